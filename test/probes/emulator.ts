import { VirtualClock } from '../../src/core/clock.js';
import { type AwsClients, createAwsClients } from '../../src/probes/aws-clients.js';
import { type AwsEmulator, FakeFlinkBackend, startAwsEmulator } from '../peers/sandbox/aws-emulator/index.js';

/** 2026-11-22T00:00:00Z: emulator start for end-to-end adapter tests on a virtual clock. */
export const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);

/**
 * The local AWS emulator (in process, over the in-memory Flink backend and a virtual clock) and
 * streamctl's own client factory pointed at it through `aws.endpoints`: the real SDK v3 clients,
 * wire protocols, retries and call-counting middleware, end to end.
 */
export async function startEmulatorWithClients(opts: { restartEveryMs?: number } = {}): Promise<{
  emu: AwsEmulator;
  fake: FakeFlinkBackend;
  clients: AwsClients;
  stop(): Promise<void>;
}> {
  const clock = new VirtualClock(T0);
  let now = () => clock.now();
  const fake = new FakeFlinkBackend(() => now(), opts.restartEveryMs ?? 10_000);
  const emu = await startAwsEmulator({ flink: fake, clock, sampleIntervalMs: 0, pollMs: 1 });
  now = () => emu.control.now();
  const e = emu.endpoint;
  const clients = createAwsClients(
    {
      region: 'us-east-1',
      endpoints: { kinesisanalyticsv2: e, cloudwatch: e, logs: e, kafka: e, sns: e },
      maxAttempts: 1,
    },
    { credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'not-a-secret' } },
  );
  return {
    emu,
    fake,
    clients,
    async stop() {
      clients.destroy();
      await emu.stop();
    },
  };
}
