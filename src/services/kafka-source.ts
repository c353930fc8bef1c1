import type { Config } from '../config/schema.js';
import { badInput, StreamctlError, usageError } from '../core/errors.js';
import { readReassignmentFile } from '../domain/reassignment.js';
import { readSnapshotFile } from '../domain/snapshot.js';
import { applyReassignment } from '../monitors/broker-load.js';
import type { BrokerType } from '../monitors/msk-limits.js';
import { type KafkaObservation, observationFromSnapshot } from './kafka-monitors.js';
import { observeLiveCluster } from './kafka-observe.js';

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
): Promise<KafkaObservation> {
  let obs: KafkaObservation;
  if (flags.snapshot) {
    obs = observationFromSnapshot(readSnapshotFile(flags.snapshot), {
      ...(flags['broker-type'] ? { brokerType: flags['broker-type'] } : {}),
      ...(flags['instance-type'] ? { instanceType: flags['instance-type'] } : {}),
    });
  } else if (flags.cluster) {
    obs = await observeLiveCluster(config, flags.cluster);
  } else {
    throw usageError('name a cluster with -c CLUSTER, or a snapshot with --snapshot FILE');
  }
  if (flags.plan) {
    const plan = readReassignmentFile(flags.plan);
    const { snapshot, unknown } = applyReassignment(obs.snapshot, plan);
    if (unknown.length) {
      // Bad input data (exit 65), as a stale plan is for `kafka rebalance execute`.
      const e = badInput(
        flags.plan,
        'partitions',
        `partitions of cluster ${obs.cluster}`,
        `${unknown.length} not in it: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`,
      );
      throw new StreamctlError(e.code, e.message, {
        exitCode: e.exitCode,
        hint: 'The plan is stale or for another cluster; nothing was written.',
      });
    }
    obs = { ...obs, snapshot, live: false };
  }
  return obs;
}
