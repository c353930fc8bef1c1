/** `kafka clusters`: every configured and discovered cluster in one table, through ports. */
import type { Config } from '../config/schema.js';
import type { KafkaCluster } from '../config/sections/kafka.js';
import { fromUnknown } from '../core/errors.js';
import { regionForMskCluster } from '../probes/aws-clients.js';
import type { KafkaAdminPort } from '../probes/kafka-admin/port.js';
import type { MskClusterInfo, MskPort } from '../probes/msk/port.js';

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
 * What `listClusters` reads through: the MSK API per region and an admin client per cluster (the
 * command builds the live ones: cli/live-ports.ts).
 */
export interface ClusterPorts {
  /** The MSK API in a region (undefined: the default region of the config). */
  msk(region: string | undefined): MskPort;
  /** A connection to a self-managed cluster; the caller closes it. */
  openAdmin(cluster: KafkaCluster): Promise<Pick<KafkaAdminPort, 'describeCluster' | 'close'>>;
}

/**
 * Configured clusters (MSK described; self-managed asked for its brokers) and, with
 * kafka.discoverMsk, every MSK cluster of the default region that the config does not name.
 * A cluster that cannot be read is a row with its error, never a missing row.
 */
export async function listClusters(config: Config, ports: ClusterPorts): Promise<ClusterRow[]> {
  const rows: ClusterRow[] = [];
  for (const c of config.kafka.clusters)
    rows.push(c.msk ? await mskRow(c, config, ports) : await selfManagedRow(c, ports));
  if (config.kafka.discoverMsk) {
    const known = new Set(config.kafka.clusters.flatMap((c) => (c.msk ? [c.msk.arn] : [])));
    for (const i of await ports.msk(config.aws.region).listClusters())
      if (!known.has(i.arn)) rows.push(mskInfoRow(i.name, 'discovered', i));
  }
  return rows;
}

/** A configured MSK cluster, from DescribeClusterV2 in its region. */
async function mskRow(c: KafkaCluster, config: Config, ports: ClusterPorts): Promise<ClusterRow> {
  const arn = c.msk!.arn;
  try {
    const i = await ports.msk(regionForMskCluster(c, config.aws)).describeCluster(arn);
    return mskInfoRow(c.name, 'configured', i);
  } catch (e) {
    return {
      name: c.name,
      source: 'configured',
      kind: 'standard',
      state: 'UNKNOWN',
      arn,
      error: fromUnknown(e, 'DescribeClusterV2').message,
    };
  }
}

function mskInfoRow(name: string, source: ClusterRow['source'], i: MskClusterInfo): ClusterRow {
  return {
    name,
    source,
    kind: i.type,
    state: i.state,
    arn: i.arn,
    ...(i.kafkaVersion ? { kafkaVersion: i.kafkaVersion } : {}),
    ...(i.brokerCount === undefined ? {} : { brokers: i.brokerCount }),
    ...(i.instanceType ? { instanceType: i.instanceType } : {}),
  };
}

/** A self-managed cluster: REACHABLE with its broker count, or UNREACHABLE with the reason. */
async function selfManagedRow(c: KafkaCluster, ports: ClusterPorts): Promise<ClusterRow> {
  const base = { name: c.name, source: 'configured', kind: 'self-managed' } as const;
  try {
    const admin = await ports.openAdmin(c);
    try {
      const d = await admin.describeCluster();
      return {
        ...base,
        state: 'REACHABLE',
        brokers: d.brokers.length,
        ...(c.instanceType ? { instanceType: c.instanceType } : {}),
      };
    } finally {
      await admin.close();
    }
  } catch (e) {
    return { ...base, state: 'UNREACHABLE', error: fromUnknown(e, 'connect').message };
  }
}
