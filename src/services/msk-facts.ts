import type { KafkaCluster } from '../config/sections/kafka.js';
import { fromUnknown } from '../core/errors.js';
import type { Finding } from '../core/severity.js';
import type { BrokerType } from '../monitors/msk-limits.js';
import type { CloudWatchPort, MetricQuery } from '../probes/cloudwatch/port.js';
import { kafkaBrokerQuery, kafkaClusterQuery } from '../probes/cloudwatch/queries.js';
import type { MskPort } from '../probes/msk/port.js';

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

/** The MSK API and CloudWatch of the cluster's region. */
export interface MskFactsPorts {
  msk: Pick<MskPort, 'describeCluster' | 'getBootstrapBrokers' | 'listNodes'>;
  cloudWatch: Pick<CloudWatchPort, 'getMetricSeries'>;
}

/**
 * What MSK says about one cluster, in as few calls as possible: one GetMetricData call carries
 * every broker's metrics. A failed metric read becomes an UNKNOWN gap, never a silent zero.
 */
export async function readMskFacts(
  cluster: KafkaCluster,
  ports: MskFactsPorts,
  now: number,
): Promise<{ facts: MskFacts; bootstrap?: string[] }> {
  const arn = cluster.msk!.arn;
  try {
    const { msk } = ports;
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
    const where: MetricsTarget = { mskName: info.name, target: cluster.name, brokerIds, type: info.type };
    await readMetrics(ports.cloudWatch, where, now, facts);
    return { facts, ...(bootstrap ? { bootstrap } : {}) };
  } catch (e) {
    throw fromUnknown(e, `MSK ${arn}`);
  }
}

/** Whose metrics to read: the MSK cluster's name, streamctl's name for it, its brokers and type. */
interface MetricsTarget {
  mskName: string;
  target: string;
  brokerIds: number[];
  type: MskFacts['brokerType'];
}

/** The latest figures per broker, and on Standard the disk's gaps and its 24 h history. */
async function readMetrics(
  cw: MskFactsPorts['cloudWatch'],
  where: MetricsTarget,
  now: number,
  facts: MskFacts,
): Promise<void> {
  const { type } = where;
  try {
    // Latest: 5-minute periods over the last 30 minutes, newest defined point wins.
    const series = await cw.getMetricSeries(latestQueries(where), {
      start: now - 30 * 60_000,
      end: now,
      periodSec: 300,
    });
    const latest = latestFigures(series);
    facts.brokerMetrics = latest.metrics;
    if (type === 'standard') {
      facts.diskUsedPercent = latest.diskPct;
      facts.gaps.push(...diskGaps(where.brokerIds, latest.diskPct));
      facts.diskHistory = await diskHistory(cw, where, now);
    }
    if (latest.storageUsed !== undefined) facts.storageUsedBytes = latest.storageUsed;
  } catch (e) {
    const err = fromUnknown(e, 'CloudWatch AWS/Kafka');
    facts.gaps.push({
      severity: 'UNKNOWN',
      code: 'kafka.metrics-unreadable',
      subject: where.target,
      message: err.message,
      ...(err.hint ? { advice: err.hint } : {}),
    });
  }
}

/** One query per broker and figure (disk on Standard, storage on Express), and the offline count. */
function latestQueries({ mskName, target, brokerIds, type }: MetricsTarget): MetricQuery[] {
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
  return latest;
}

type Series = Awaited<ReturnType<CloudWatchPort['getMetricSeries']>>;

/** Each broker's newest defined point per figure; CPU is user plus system; storage sums the brokers. */
function latestFigures(series: Series): {
  metrics: Map<number, BrokerMetrics>;
  diskPct: Map<number, number>;
  storageUsed?: number;
} {
  const metrics = new Map<number, BrokerMetrics>();
  const diskPct = new Map<number, number>();
  let storageUsed: number | undefined;
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
        storageUsed = (storageUsed ?? 0) + value;
        break;
    }
    metrics.set(id, m);
  }
  return { metrics, diskPct, ...(storageUsed === undefined ? {} : { storageUsed }) };
}

/** A broker without a recent disk datapoint is UNKNOWN, never a silent zero. */
function diskGaps(brokerIds: number[], diskPct: Map<number, number>): Finding[] {
  return brokerIds
    .filter((id) => !diskPct.has(id))
    .map((id) => ({
      severity: 'UNKNOWN',
      code: 'disk.metric-missing',
      subject: `broker ${id}`,
      message: 'no KafkaDataLogsDiskUsed datapoint in the last 30 minutes',
      advice:
        'Check that CloudWatch metrics are published for this cluster (DEFAULT monitoring level or higher).',
    }));
}

/** KafkaDataLogsDiskUsed per broker over the last 24 h, hourly (the disk trend). */
async function diskHistory(
  cw: MskFactsPorts['cloudWatch'],
  { mskName, target, brokerIds }: MetricsTarget,
  now: number,
): Promise<NonNullable<MskFacts['diskHistory']>> {
  const history = await cw.getMetricSeries(
    brokerIds.map((id) => kafkaBrokerQuery(target, mskName, id, 'KafkaDataLogsDiskUsed')),
    { start: now - HISTORY_MS, end: now, periodSec: 3600 },
  );
  return new Map(
    history.map((s) => [
      Number(/broker=(\d+)/.exec(s.key.dimension ?? '')?.[1]),
      s.points.filter((p) => p.value !== undefined).map((p) => ({ t: p.t, percent: p.value! })),
    ]),
  );
}
