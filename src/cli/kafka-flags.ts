import { Flags } from '@oclif/core';

/** Flags shared by the Kafka monitor commands: a live cluster or an offline snapshot (what-if). */
export const kafkaTargetFlags = {
  cluster: Flags.string({
    char: 'c',
    description: 'Cluster name from streamctl.yaml.',
    exclusive: ['snapshot'],
  }),
  snapshot: Flags.string({
    description: 'Evaluate a cluster snapshot file instead of a live cluster (offline what-if).',
    exclusive: ['cluster'],
  }),
  plan: Flags.string({
    description: 'Evaluate the layout after this reassignment plan (Kafka JSON) has completed.',
  }),
  'broker-type': Flags.option({
    options: ['standard', 'express', 'serverless', 'self-managed'] as const,
    description: 'Broker type for a snapshot (default: from the snapshot, else self-managed).',
  })(),
  'instance-type': Flags.string({
    description: 'MSK instance type for a snapshot, e.g. kafka.m5.large (partition limits).',
  }),
};
