import { trackPid, untrackPid } from '../pids.js';
import {
  type KafkaCluster,
  type KafkaClusterInfo,
  type KafkaVersion,
  startKafkaCluster,
} from '../sandbox/kafka/index.js';
import type { PeerKind, StartedPeer } from './types.js';

/**
 * Parameters of the `kafka` peer. Shared peers are keyed by these exact params, so reuse the
 * canonical ones: `{ version, brokers: 3, scram: true }` and `{ version, brokers: 1 }`.
 */
export interface KafkaPeerParams {
  version: KafkaVersion;
  brokers: number;
  scram?: boolean;
  /** Broker property overrides, e.g. `{ 'replica.lag.time.max.ms': 5000 }` for fault tests. */
  extraBrokerProps?: Record<string, string | number | boolean>;
}

/** What a test gets from `usePeer('kafka', …)`: the cluster's plain-JSON description. */
export type KafkaPeerInfo = KafkaClusterInfo;

/** A directly started Kafka peer: also exposes the fault controls (kill, pause, restart, addBroker). */
export interface StartedKafkaPeer extends StartedPeer<KafkaPeerInfo> {
  cluster: KafkaCluster;
}

const kind = {
  async start(params: KafkaPeerParams): Promise<StartedKafkaPeer> {
    const cluster = await startKafkaCluster({
      version: params.version,
      brokers: params.brokers,
      scram: params.scram,
      extraBrokerProps: params.extraBrokerProps,
      onSpawn: (pid, label) => trackPid(pid, label),
      onExit: (pid) => untrackPid(pid),
    });
    return { info: cluster.info(), stop: () => cluster.stop(), cluster };
  },
} satisfies PeerKind<KafkaPeerParams, KafkaPeerInfo>;

export default kind;
