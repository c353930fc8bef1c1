import type { Config } from '../config/schema.js';
import type { KafkaCluster } from '../config/sections/kafka.js';
import { fromUnknown } from '../core/errors.js';
import type { Finding } from '../core/severity.js';
import type { BrokerType } from '../monitors/msk-limits.js';
import { createAwsClients, regionForMskCluster } from '../probes/aws-clients.js';
import { createCloudWatchProbe } from '../probes/cloudwatch/index.js';
import type { MetricQuery } from '../probes/cloudwatch/port.js';
import { kafkaBrokerQuery, kafkaClusterQuery } from '../probes/cloudwatch/queries.js';
import { createMskProbe } from '../probes/msk/index.js';

/** What MSK says about a cluster, when it is one (filled by the MSK and CloudWatch probes). */
export interface MskFacts {
  brokerType: BrokerType;
  instanceType?: string;
  /** EBS volume per broker (Standard). */
  storagePerBrokerBytes?: number;
  autoScaling?: { enabled: boolean; targetPercent?: number; maxCapacityGiB?: number };
  /** Latest KafkaDataLogsDiskUsed per broker (percent). */
  diskUsedPercent?: Map<number, number>;
  /** KafkaDataLogsDiskUsed history per broker (percent, oldest first). */
  diskHistory?: Map<number, Array<{ t: number; percent: number }>>;
  /** Express: cluster StorageUsed bytes. */
  storageUsedBytes?: number;
  /** Latest per-broker CloudWatch figures for `kafka brokers`. */
  brokerMetrics?: Map<number, BrokerMetrics>;
  kafkaVersion?: string;
  state?: string;
  gaps: Finding[];
}

/** Per-broker CloudWatch figures (MSK only; self-managed brokers expose these over JMX, not the admin API). */
export interface BrokerMetrics {
  cpuPercent?: number;
  connections?: number;
  bytesInPerSec?: number;
  bytesOutPerSec?: number;
  memoryUsedPercent?: number;
}

const GiB = 1024 ** 3;
/** History for the disk trend: 24 h of 1-hour Maximum datapoints (KafkaDataLogsDiskUsed). */
const HISTORY_MS = 24 * 3_600_000;

/**
 * MSK discovery (DescribeClusterV2, GetBootstrapBrokers) and CloudWatch AWS/Kafka figures for one
 * cluster, in as few calls as possible: one GetMetricData call carries every broker's metrics.
 * A failed metric read becomes an UNKNOWN gap, never a silent zero.
 */
export async function mskFactsFromAws(
  cluster: KafkaCluster,
  config: Config,
  now: number,
): Promise<{ facts: MskFacts; bootstrap?: string[] }> {
  const arn = cluster.msk!.arn;
  const region = regionForMskCluster(cluster, config.aws);
  const aws = createAwsClients(config.aws);
  try {
    const msk = createMskProbe(aws.kafka(region));
    const info = await msk.describeCluster(arn);
    const gaps: Finding[] = [];
    const facts: MskFacts = { brokerType: info.type, gaps };
    if (info.instanceType) facts.instanceType = info.instanceType;
    if (info.storagePerBrokerGiB) facts.storagePerBrokerBytes = info.storagePerBrokerGiB * GiB;
    if (info.kafkaVersion) facts.kafkaVersion = info.kafkaVersion;
    if (info.state) facts.state = info.state;
    if (info.storageAutoScaling !== undefined) facts.autoScaling = { enabled: info.storageAutoScaling };
    let bootstrap: string[] | undefined;
    if (!cluster.bootstrap) bootstrap = await msk.getBootstrapBrokers(arn, { auth: cluster.auth.type });

    const brokerIds = info.type === 'serverless' ? [] : (await msk.listNodes(arn)).map((n) => n.brokerId);
    await readMetrics(
      createCloudWatchProbe(aws.cloudWatch(region)),
      info.name,
      cluster.name,
      brokerIds,
      info.type,
      now,
      facts,
    );
    return { facts, ...(bootstrap ? { bootstrap } : {}) };
  } catch (e) {
    throw fromUnknown(e, `MSK ${arn}`);
  } finally {
    aws.destroy();
  }
}

async function readMetrics(
  cw: ReturnType<typeof createCloudWatchProbe>,
  mskName: string,
  target: string,
  brokerIds: number[],
  type: MskFacts['brokerType'],
  now: number,
  facts: MskFacts,
): Promise<void> {
  const latest: MetricQuery[] = [];
  for (const id of brokerIds) {
    for (const m of [
      'KafkaDataLogsDiskUsed',
      'CpuUser',
      'CpuSystem',
      'ConnectionCount',
      'BytesInPerSec',
      'BytesOutPerSec',
    ] as const) {
      if (m === 'KafkaDataLogsDiskUsed' && type !== 'standard') continue;
      latest.push(kafkaBrokerQuery(target, mskName, id, m));
    }
    if (type === 'express') latest.push(kafkaBrokerQuery(target, mskName, id, 'StorageUsed'));
  }
  latest.push(kafkaClusterQuery(target, mskName, 'OfflinePartitionsCount'));
  try {
    // Latest: 5-minute periods over the last 30 minutes, newest defined point wins.
    const series = await cw.getMetricSeries(latest, { start: now - 30 * 60_000, end: now, periodSec: 300 });
    const metrics = new Map<number, BrokerMetrics>();
    const diskPct = new Map<number, number>();
    let storageUsed = 0;
    let storageSeen = false;
    for (const s of series) {
      const id = Number(/broker=(\d+)/.exec(s.key.dimension ?? '')?.[1]);
      const value = [...s.points].reverse().find((p) => p.value !== undefined)?.value;
      if (!Number.isFinite(id) || value === undefined) continue;
      const m = metrics.get(id) ?? {};
      switch (s.key.metric) {
        case 'KafkaDataLogsDiskUsed':
          diskPct.set(id, value);
          break;
        case 'CpuUser':
        case 'CpuSystem':
          m.cpuPercent = (m.cpuPercent ?? 0) + value;
          break;
        case 'ConnectionCount':
          m.connections = value;
          break;
        case 'BytesInPerSec':
          m.bytesInPerSec = value;
          break;
        case 'BytesOutPerSec':
          m.bytesOutPerSec = value;
          break;
        case 'StorageUsed':
          storageUsed += value;
          storageSeen = true;
          break;
      }
      metrics.set(id, m);
    }
    facts.brokerMetrics = metrics;
    if (type === 'standard') {
      facts.diskUsedPercent = diskPct;
      for (const id of brokerIds) {
        if (!diskPct.has(id)) {
          facts.gaps.push({
            severity: 'UNKNOWN',
            code: 'disk.metric-missing',
            subject: `broker ${id}`,
            message: 'no KafkaDataLogsDiskUsed datapoint in the last 30 minutes',
            advice:
              'Check that CloudWatch metrics are published for this cluster (DEFAULT monitoring level or higher).',
          });
        }
      }
      const history = await cw.getMetricSeries(
        brokerIds.map((id) => kafkaBrokerQuery(target, mskName, id, 'KafkaDataLogsDiskUsed')),
        { start: now - HISTORY_MS, end: now, periodSec: 3600 },
      );
      facts.diskHistory = new Map(
        history.map((s) => [
          Number(/broker=(\d+)/.exec(s.key.dimension ?? '')?.[1]),
          s.points.filter((p) => p.value !== undefined).map((p) => ({ t: p.t, percent: p.value! })),
        ]),
      );
    }
    if (storageSeen) facts.storageUsedBytes = storageUsed;
  } catch (e) {
    const err = fromUnknown(e, 'CloudWatch AWS/Kafka');
    facts.gaps.push({
      severity: 'UNKNOWN',
      code: 'kafka.metrics-unreadable',
      subject: target,
      message: err.message,
      ...(err.hint ? { advice: err.hint } : {}),
    });
  }
}
