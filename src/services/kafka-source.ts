import type { Config } from '../config/schema.js';
import { usageError } from '../core/errors.js';
import { applyReassignment, readReassignmentFile } from '../domain/reassignment.js';
import { readSnapshotFile } from '../domain/snapshot.js';
import type { BrokerType } from '../monitors/msk-limits.js';
import { type KafkaObservation, observationFromSnapshot } from './kafka-monitors.js';
import { type ObserveDeps, observeLiveCluster } from './kafka-observe.js';

export interface KafkaSourceFlags {
  cluster?: string;
  snapshot?: string;
  plan?: string;
  'broker-type'?: BrokerType;
  'instance-type'?: string;
}

/**
 * Resolves the monitors' input from the command flags: a live cluster (-c) or a snapshot file,
 * optionally with a reassignment plan applied (what-if). Plan entries for unknown partitions are
 * bad input, not silently ignored.
 */
export async function loadKafkaObservation(
  flags: KafkaSourceFlags,
  config: Config,
  deps: ObserveDeps,
): Promise<KafkaObservation> {
  let obs: KafkaObservation;
  if (flags.snapshot) {
    obs = observationFromSnapshot(readSnapshotFile(flags.snapshot), {
      ...(flags['broker-type'] ? { brokerType: flags['broker-type'] } : {}),
      ...(flags['instance-type'] ? { instanceType: flags['instance-type'] } : {}),
    });
  } else if (flags.cluster) {
    obs = await observeLiveCluster(config, flags.cluster, deps);
  } else {
    throw usageError('name a cluster with -c CLUSTER, or a snapshot with --snapshot FILE');
  }
  if (flags.plan) {
    // A what-if: a broker the plan adds may not be in the cluster yet; a partition it does not
    // have is a stale plan (bad input, as in `kafka rebalance execute`).
    const plan = readReassignmentFile(flags.plan);
    const snapshot = applyReassignment(obs.snapshot, plan, { file: flags.plan, newBrokers: 'add' });
    obs = { ...obs, snapshot, live: false };
  }
  return obs;
}
