import { join } from 'node:path';

/** The Kafka lines the demo sandbox can run (the test bed's `KafkaVersion`). */
export type DemoKafkaVersion = '3.9' | '4';

/**
 * What the demo sandbox host (test/peers/sandbox/demo/host.ts, dev-only) writes to `state.json`
 * once its peers are up: the shipped `demo` commands read it, so the format lives on this side.
 */
export interface DemoState {
  hostPid: number;
  controlUrl: string;
  configFile: string;
  journalFile: string;
  emulatorEndpoint: string;
  flinkRestUrl: string;
  kafkaBootstrap: string;
  kafkaVersion: DemoKafkaVersion;
  /** Every JVM the host started, for `demo down` to kill if the host itself is gone. */
  pids: number[];
  startedAt: string;
}

/** `<dir>/state.json`: where the host records a running sandbox. */
export function demoStateFile(dir: string): string {
  return join(dir, 'state.json');
}

/**
 * The MSF property group the AWS emulator reads the test job's mode from (its
 * `ApplicationConfiguration.EnvironmentProperties`): the demo sets it to make an app healthy or
 * failing.
 */
export const JOB_PROPERTY_GROUP = 'emulator.job';
