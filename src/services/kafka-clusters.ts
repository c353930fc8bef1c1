import type { Config } from '../config/schema.js';
import type { KafkaCluster } from '../config/sections/kafka.js';
import { fromUnknown } from '../core/errors.js';
import { createAwsClients, regionForMskCluster } from '../probes/aws-clients.js';
import { openKafkaAdmin } from '../probes/kafka-admin/index.js';
import type { KafkaAdminPort } from '../probes/kafka-admin/port.js';
import { createMskProbe } from '../probes/msk/index.js';
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

/** What `listClusters` reads through: the MSK API per region and an admin client per cluster. */
export interface ClusterPorts {
  /** The MSK API in a region (undefined: the default region of the config). */
  msk(region: string | undefined): MskPort;
  /** A connection to a self-managed cluster; the caller closes it. */
  openAdmin(cluster: KafkaCluster): Promise<Pick<KafkaAdminPort, 'describeCluster' | 'close'>>;
}

/**
 * The real ports: AWS SDK clients from the config's credentials and kafkajs admin connections with
 * a short timeout (a listing must not hang on one unreachable cluster). `close` destroys the
 * AWS clients.
 */
export function liveClusterPorts(config: Config): ClusterPorts & { close(): void } {
  const aws = createAwsClients(config.aws);
  return {
    msk: (region) => createMskProbe(aws.kafka(region)),
    openAdmin: (cluster) => openKafkaAdmin(cluster, { retries: 1, connectionTimeoutMs: 5000 }),
    close: () => aws.destroy(),
  };
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
