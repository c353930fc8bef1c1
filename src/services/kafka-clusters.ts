import type { Config } from '../config/schema.js';
import { fromUnknown } from '../core/errors.js';
import { createAwsClients, regionForMskCluster } from '../probes/aws-clients.js';
import { openKafkaAdmin } from '../probes/kafka-admin/index.js';
import { createMskProbe } from '../probes/msk/index.js';

/** One row of `kafka clusters`. */
export interface ClusterRow {
  name: string;
  source: 'configured' | 'discovered';
  kind: 'standard' | 'express' | 'serverless' | 'self-managed';
  kafkaVersion?: string;
  brokers?: number;
  instanceType?: string;
  state: string;
  arn?: string;
  error?: string;
}

/**
 * Configured clusters (MSK described; self-managed asked for its brokers) and, with
 * kafka.discoverMsk, every MSK cluster of the default region that the config does not name.
 */
export async function listClusters(config: Config): Promise<ClusterRow[]> {
  const aws = createAwsClients(config.aws);
  const rows: ClusterRow[] = [];
  const known = new Set<string>();
  try {
    for (const c of config.kafka.clusters) {
      if (c.msk) {
        known.add(c.msk.arn);
        try {
          const i = await createMskProbe(aws.kafka(regionForMskCluster(c, config.aws))).describeCluster(
            c.msk.arn,
          );
          rows.push({
            name: c.name,
            source: 'configured',
            kind: i.type,
            state: i.state,
            arn: i.arn,
            ...(i.kafkaVersion ? { kafkaVersion: i.kafkaVersion } : {}),
            ...(i.brokerCount === undefined ? {} : { brokers: i.brokerCount }),
            ...(i.instanceType ? { instanceType: i.instanceType } : {}),
          });
        } catch (e) {
          rows.push({
            name: c.name,
            source: 'configured',
            kind: 'standard',
            state: 'UNKNOWN',
            arn: c.msk.arn,
            error: fromUnknown(e, 'DescribeClusterV2').message,
          });
        }
        continue;
      }
      try {
        const admin = await openKafkaAdmin(c, { retries: 1, connectionTimeoutMs: 5000 });
        try {
          const d = await admin.describeCluster();
          rows.push({
            name: c.name,
            source: 'configured',
            kind: 'self-managed',
            state: 'REACHABLE',
            brokers: d.brokers.length,
            ...(c.instanceType ? { instanceType: c.instanceType } : {}),
          });
        } finally {
          await admin.close();
        }
      } catch (e) {
        rows.push({
          name: c.name,
          source: 'configured',
          kind: 'self-managed',
          state: 'UNREACHABLE',
          error: fromUnknown(e, 'connect').message,
        });
      }
    }
    if (config.kafka.discoverMsk) {
      for (const i of await createMskProbe(aws.kafka(config.aws.region)).listClusters()) {
        if (known.has(i.arn)) continue;
        rows.push({
          name: i.name,
          source: 'discovered',
          kind: i.type,
          state: i.state,
          arn: i.arn,
          ...(i.kafkaVersion ? { kafkaVersion: i.kafkaVersion } : {}),
          ...(i.brokerCount === undefined ? {} : { brokers: i.brokerCount }),
          ...(i.instanceType ? { instanceType: i.instanceType } : {}),
        });
      }
    }
    return rows;
  } finally {
    aws.destroy();
  }
}
