import type { MetricQuery, MetricStat } from './port.js';

/**
 * Query builders for the metrics streamctl watches. The statistic is part of the meaning:
 * counters (restarts, failed checkpoints, downtime) use Maximum over the period, so a DIFF of
 * consecutive periods counts the restarts of the period (docs/design.md §4); gauges use Average unless
 * the worst value is what matters (lag: Maximum).
 */

export const KINESIS_ANALYTICS = 'AWS/KinesisAnalytics';
export const KAFKA = 'AWS/Kafka';

/** AWS/KinesisAnalytics metrics with the `Application` dimension only. */
export type FlinkAppMetric =
  | 'restarts'
  | 'downtime'
  | 'uptime'
  | 'numberOfFailedCheckpoints'
  | 'lastCheckpointDuration'
  | 'lastCheckpointSize'
  | 'cpuUtilization'
  | 'heapMemoryUtilization'
  | 'KPUs'
  | 'records_lag_max';

const FLINK_STATS: Record<Exclude<FlinkAppMetric, 'restarts'>, MetricStat> = {
  downtime: 'Maximum',
  uptime: 'Maximum',
  numberOfFailedCheckpoints: 'Maximum',
  lastCheckpointDuration: 'Maximum',
  lastCheckpointSize: 'Maximum',
  cpuUtilization: 'Average',
  heapMemoryUtilization: 'Average',
  KPUs: 'Maximum',
  records_lag_max: 'Maximum',
};

/**
 * The restart counter of a runtime: `fullRestarts`, except on runtimes where MSF no longer
 * publishes it (Flink 2.2 and later: `numRestarts`). An unknown runtime gets fullRestarts, the
 * metric every runtime up to 1.20 publishes.
 */
export function restartMetricName(runtime: string | undefined): 'fullRestarts' | 'numRestarts' {
  const m = /^FLINK-(\d+)_(\d+)/.exec(runtime ?? '');
  if (!m) return 'fullRestarts';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 2 || (major === 2 && minor >= 2) ? 'numRestarts' : 'fullRestarts';
}

/**
 * One AWS/KinesisAnalytics metric of an application (dimension Application = the MSF name).
 * `restarts` resolves to fullRestarts or numRestarts from the runtime; the key's metric says which.
 */
export function flinkAppQuery(
  target: string,
  applicationName: string,
  metric: FlinkAppMetric,
  opts: { runtime?: string; stat?: MetricStat } = {},
): MetricQuery {
  const metricName = metric === 'restarts' ? restartMetricName(opts.runtime) : metric;
  const stat = opts.stat ?? (metric === 'restarts' ? 'Maximum' : FLINK_STATS[metric]);
  return {
    key: { target, metric: metricName },
    namespace: KINESIS_ANALYTICS,
    metricName,
    dimensions: [{ name: 'Application', value: applicationName }],
    stat,
  };
}

/** millisBehindLatest of a Kinesis source: dimensions Application, Id (the stream, `.`→`_`) and Flow (IN). */
export function millisBehindLatestQuery(
  target: string,
  applicationName: string,
  streamId: string,
  flow = 'IN',
): MetricQuery {
  return {
    key: { target, metric: 'millisBehindLatest', dimension: `id=${streamId},flow=${flow}` },
    namespace: KINESIS_ANALYTICS,
    metricName: 'millisBehindLatest',
    dimensions: [
      { name: 'Application', value: applicationName },
      { name: 'Id', value: streamId },
      { name: 'Flow', value: flow },
    ],
    stat: 'Maximum',
  };
}

/** AWS/Kafka per-broker metrics (dimensions "Cluster Name" and "Broker ID"). */
export type KafkaBrokerMetric =
  | 'KafkaDataLogsDiskUsed'
  | 'PartitionCount'
  | 'LeaderCount'
  | 'ConnectionCount'
  | 'CpuUser'
  | 'CpuSystem'
  | 'MemoryUsed'
  | 'MemoryFree'
  | 'HeapMemoryAfterGC'
  | 'BytesInPerSec'
  | 'BytesOutPerSec'
  | 'UnderReplicatedPartitions'
  | 'UnderMinIsrPartitionCount'
  | 'StorageUsed';

const BROKER_STATS: Record<KafkaBrokerMetric, MetricStat> = {
  KafkaDataLogsDiskUsed: 'Maximum',
  PartitionCount: 'Maximum',
  LeaderCount: 'Maximum',
  ConnectionCount: 'Maximum',
  CpuUser: 'Average',
  CpuSystem: 'Average',
  MemoryUsed: 'Average',
  MemoryFree: 'Average',
  HeapMemoryAfterGC: 'Maximum',
  BytesInPerSec: 'Average',
  BytesOutPerSec: 'Average',
  UnderReplicatedPartitions: 'Maximum',
  UnderMinIsrPartitionCount: 'Maximum',
  // Express brokers: storage used (bytes); there is no per-broker disk % on Express.
  StorageUsed: 'Maximum',
};

export function kafkaBrokerQuery(
  target: string,
  clusterName: string,
  brokerId: number,
  metric: KafkaBrokerMetric,
  stat?: MetricStat,
): MetricQuery {
  return {
    key: { target, metric, dimension: `broker=${brokerId}` },
    namespace: KAFKA,
    metricName: metric,
    dimensions: [
      { name: 'Cluster Name', value: clusterName },
      { name: 'Broker ID', value: String(brokerId) },
    ],
    stat: stat ?? BROKER_STATS[metric],
  };
}

/**
 * AWS/Kafka cluster-level metrics (dimension "Cluster Name" only). Only the active controller
 * reports GlobalPartitionCount / OfflinePartitionsCount meaningfully (others report 0), so
 * Maximum is the cluster's value; ActiveControllerCount is summed (exactly 1 is healthy).
 */
export type KafkaClusterMetric =
  | 'GlobalPartitionCount'
  | 'GlobalTopicCount'
  | 'OfflinePartitionsCount'
  | 'ActiveControllerCount';

export function kafkaClusterQuery(
  target: string,
  clusterName: string,
  metric: KafkaClusterMetric,
  stat?: MetricStat,
): MetricQuery {
  return {
    key: { target, metric },
    namespace: KAFKA,
    metricName: metric,
    dimensions: [{ name: 'Cluster Name', value: clusterName }],
    stat: stat ?? (metric === 'ActiveControllerCount' ? 'Sum' : 'Maximum'),
  };
}

/** Stable text form of a key, for maps and logs: `target/metric[/dimension]`. */
export function keyString(k: { target: string; metric: string; dimension?: string }): string {
  return k.dimension ? `${k.target}/${k.metric}/${k.dimension}` : `${k.target}/${k.metric}`;
}
