import type { AlarmMetric, MetricMathAlarm } from '../probes/cloudwatch/port.js';
import { restartMetricName } from '../probes/cloudwatch/queries.js';

/**
 * The CloudWatch alarms streamctl recommends (pure), as the CloudWatch port's metric-math alarms;
 * `toPutMetricAlarmInput` (src/probes/cloudwatch/map.ts) turns each into the exact PutMetricAlarm
 * request that `alarms plan` prints and `alarms install` sends.
 *
 * Flink (AWS/KinesisAnalytics, dimension Application) — from the MSF lifecycle guidance:
 *  - restart loop: metric math on the restart counter's DIFF, guarded against counter resets
 *    (a start or update resets fullRestarts: DIFF goes negative, which is not "negative
 *    restarts"), so only positive DIFFs count. fullRestarts, or numRestarts on Flink 2.2+ where
 *    MSF no longer publishes fullRestarts. Conservative, as the guidance says: do not alarm on one
 *    or two restarts (3 of 5 one-minute periods with restarts).
 *  - downtime > 0 for 2 of 5 minutes (a maintenance restart causes 10–30 s, not two minutes).
 *  - failed checkpoints: RATE(numberOfFailedCheckpoints) > 0.
 * Kafka (AWS/Kafka):
 *  - KafkaDataLogsDiskUsed ≥ 60% (warning) and ≥ 80% (critical) per broker, Standard brokers only.
 *  - under-replicated and offline partitions (MAX across brokers) and the active controller count
 *    (SUM across brokers must be exactly 1), as CloudWatch Metrics Insights queries so one alarm
 *    covers every broker (metric-math alarms allow only 20 metrics).
 */
export interface FlinkAlarmTarget {
  /** Name in streamctl.yaml. */
  name: string;
  /** MSF ApplicationName (the CloudWatch dimension). */
  applicationName: string;
  /** e.g. FLINK-1_20, FLINK-2_2; undefined when unknown (fullRestarts is assumed). */
  runtime?: string;
}

export interface KafkaAlarmTarget {
  name: string;
  /** MSK cluster name (the "Cluster Name" dimension). */
  mskClusterName: string;
  brokerType: 'standard' | 'express' | 'serverless';
  brokerIds: number[];
  /** The cluster's own disk thresholds (kafka.clusters[].diskWarnPercent/diskCritPercent), over the options'. */
  diskWarnPercent?: number;
  diskCritPercent?: number;
}

export interface AlarmPlanOptions {
  /** SNS topic for ALARM and OK transitions. */
  snsTopicArn?: string;
  diskWarnPercent?: number;
  diskCritPercent?: number;
  /** Alarm name prefix (default "streamctl"). */
  prefix?: string;
}

/** Tag marking an alarm as installed (and owned) by streamctl: install updates it, remove deletes only these. */
export const MANAGED_TAG = { key: 'streamctl:managed', value: 'true' } as const;

/** The tag naming the target an alarm watches (`flink-<name>`, `kafka-<name>`). */
export const TARGET_TAG = 'streamctl:target';

/** The target id of a Flink application's alarms (name part and TARGET_TAG value). */
export function flinkAlarmTarget(name: string): string {
  return `flink-${name}`;
}

/** The target id of a Kafka cluster's alarms (name part and TARGET_TAG value). */
export function kafkaAlarmTarget(name: string): string {
  return `kafka-${name}`;
}

export function planAlarms(
  flink: FlinkAlarmTarget[],
  kafka: KafkaAlarmTarget[],
  opts: AlarmPlanOptions = {},
): MetricMathAlarm[] {
  const out: MetricMathAlarm[] = [];
  for (const app of flink) out.push(...flinkAlarms(app, opts));
  for (const c of kafka) out.push(...kafkaAlarms(c, opts));
  return out;
}

type Common = Pick<MetricMathAlarm, 'name' | 'description' | 'alarmActions' | 'okActions' | 'tags'>;

function common(name: string, target: string, description: string, opts: AlarmPlanOptions): Common {
  const actions = opts.snsTopicArn ? [opts.snsTopicArn] : [];
  return {
    name: `${opts.prefix ?? 'streamctl'}-${target}-${name}`,
    description: `${description} (managed by streamctl; changes are overwritten by \`streamctl alarms install\`)`,
    alarmActions: actions,
    okActions: actions,
    tags: { [MANAGED_TAG.key]: MANAGED_TAG.value, [TARGET_TAG]: target },
  };
}

function stat(
  id: string,
  namespace: string,
  metricName: string,
  dimensions: Array<{ name: string; value: string }>,
  s: string,
  periodSec: number,
  returnData: boolean,
): AlarmMetric {
  return { id, metric: { namespace, metricName, dimensions, periodSec, stat: s }, returnData };
}

function flinkAlarms(app: FlinkAlarmTarget, opts: AlarmPlanOptions): MetricMathAlarm[] {
  const dims = [{ name: 'Application', value: app.applicationName }];
  const restartMetric = restartMetricName(app.runtime);
  const target = flinkAlarmTarget(app.name);
  return [
    {
      ...common(
        'restart-loop',
        target,
        `Flink application ${app.applicationName} is in a fail-and-restart loop (${restartMetric} DIFF, resets ignored)`,
        opts,
      ),
      metrics: [
        stat('restarts', 'AWS/KinesisAnalytics', restartMetric, dims, 'Maximum', 60, false),
        // IF(DIFF > 0, DIFF, 0): a counter reset after a start or update is not a restart.
        {
          id: 'restartsPerMinute',
          expression: 'IF(DIFF(restarts) > 0, DIFF(restarts), 0)',
          label: `${restartMetric} per minute`,
          returnData: true,
        },
      ],
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
    },
    {
      ...common('downtime', target, `Flink application ${app.applicationName} is down (downtime > 0)`, opts),
      metrics: [stat('downtime', 'AWS/KinesisAnalytics', 'downtime', dims, 'Maximum', 60, true)],
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 2,
      treatMissingData: 'missing',
    },
    {
      ...common(
        'failed-checkpoints',
        target,
        `Flink application ${app.applicationName} is failing checkpoints`,
        opts,
      ),
      metrics: [
        stat('failed', 'AWS/KinesisAnalytics', 'numberOfFailedCheckpoints', dims, 'Maximum', 60, false),
        {
          id: 'failedRate',
          expression: 'RATE(failed) * 60',
          label: 'failed checkpoints per minute',
          returnData: true,
        },
      ],
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
    },
  ];
}

/** The alarms of one MSK cluster. */
function kafkaAlarms(c: KafkaAlarmTarget, opts: AlarmPlanOptions): MetricMathAlarm[] {
  return [...(c.brokerType === 'standard' ? diskAlarms(c, opts) : []), ...clusterAlarms(c, opts)];
}

/** Standard brokers: disk used per broker at the warning and critical levels of `kafka disk`. */
function diskAlarms(c: KafkaAlarmTarget, opts: AlarmPlanOptions): MetricMathAlarm[] {
  const target = kafkaAlarmTarget(c.name);
  const levels: Array<[string, number]> = [
    ['warning', c.diskWarnPercent ?? opts.diskWarnPercent ?? 60],
    ['critical', c.diskCritPercent ?? opts.diskCritPercent ?? 80],
  ];
  return c.brokerIds.flatMap((id) => {
    const dims = [
      { name: 'Cluster Name', value: c.mskClusterName },
      { name: 'Broker ID', value: String(id) },
    ];
    return levels.map(
      ([level, threshold]): MetricMathAlarm => ({
        ...common(
          `disk-${level}-broker-${id}`,
          target,
          `MSK ${c.mskClusterName} broker ${id} disk ≥ ${threshold}% used`,
          opts,
        ),
        metrics: [stat('disk', 'AWS/Kafka', 'KafkaDataLogsDiskUsed', dims, 'Maximum', 300, true)],
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'missing',
      }),
    );
  });
}

/** The cluster's partitions and controller, over every broker (a Metrics Insights query each). */
function clusterAlarms(c: KafkaAlarmTarget, opts: AlarmPlanOptions): MetricMathAlarm[] {
  const target = kafkaAlarmTarget(c.name);
  const insights = (id: string, fn: 'MAX' | 'SUM', metric: string): AlarmMetric => ({
    id,
    expression: `SELECT ${fn}(${metric}) FROM SCHEMA("AWS/Kafka", "Broker ID", "Cluster Name") WHERE "Cluster Name" = '${c.mskClusterName.replace(/'/g, "''")}'`,
    periodSec: 60,
    returnData: true,
  });
  return [
    {
      ...common('under-replicated', target, `MSK ${c.mskClusterName} has under-replicated partitions`, opts),
      metrics: [insights('urp', 'MAX', 'UnderReplicatedPartitions')],
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: 'missing',
    },
    {
      ...common('offline-partitions', target, `MSK ${c.mskClusterName} has offline partitions`, opts),
      metrics: [insights('offline', 'MAX', 'OfflinePartitionsCount')],
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'missing',
    },
    {
      ...common('no-active-controller', target, `MSK ${c.mskClusterName} has no active controller`, opts),
      metrics: [insights('controllers', 'SUM', 'ActiveControllerCount')],
      comparison: 'LessThanThreshold',
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: 'breaching',
    },
    {
      // Exactly one controller should be active; two for five minutes is a split brain.
      ...common(
        'multiple-active-controllers',
        target,
        `MSK ${c.mskClusterName} has more than one active controller`,
        opts,
      ),
      metrics: [insights('controllers', 'SUM', 'ActiveControllerCount')],
      comparison: 'GreaterThanThreshold',
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: 'missing',
    },
  ];
}
