import type { MetricDataQuery, PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';

/**
 * The CloudWatch alarms streamctl recommends, as exact PutMetricAlarm requests (pure).
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
}

export interface AlarmPlanOptions {
  /** SNS topic for ALARM and OK transitions. */
  snsTopicArn?: string;
  diskWarnPercent?: number;
  diskCritPercent?: number;
  /** Alarm name prefix (default "streamctl"). */
  prefix?: string;
}

/** Tag marking an alarm as installed (and owned) by streamctl: install updates it, remove deletes it. */
export const MANAGED_TAG = { Key: 'streamctl:managed', Value: 'true' } as const;

/** Flink 2.2+ runtimes publish numRestarts instead of the deprecated fullRestarts. */
export function restartMetricFor(runtime: string | undefined): 'fullRestarts' | 'numRestarts' {
  const m = /^FLINK-(\d+)_(\d+)/.exec(runtime ?? '');
  if (!m) return 'fullRestarts';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 2 || (major === 2 && minor >= 2) ? 'numRestarts' : 'fullRestarts';
}

export function planAlarms(flink: FlinkAlarmTarget[], kafka: KafkaAlarmTarget[], opts: AlarmPlanOptions = {}): PutMetricAlarmInput[] {
  const out: PutMetricAlarmInput[] = [];
  for (const app of flink) out.push(...flinkAlarms(app, opts));
  for (const c of kafka) out.push(...kafkaAlarms(c, opts));
  return out;
}

function common(name: string, target: string, description: string, opts: AlarmPlanOptions): Partial<PutMetricAlarmInput> {
  const actions = opts.snsTopicArn ? [opts.snsTopicArn] : [];
  return {
    AlarmName: `${opts.prefix ?? 'streamctl'}-${target}-${name}`,
    AlarmDescription: `${description} (managed by streamctl; changes are overwritten by \`streamctl alarms install\`)`,
    ActionsEnabled: actions.length > 0,
    AlarmActions: actions,
    OKActions: actions,
    Tags: [{ ...MANAGED_TAG }, { Key: 'streamctl:target', Value: target }],
  };
}

function flinkAlarms(app: FlinkAlarmTarget, opts: AlarmPlanOptions): PutMetricAlarmInput[] {
  const dims = [{ Name: 'Application', Value: app.applicationName }];
  const metric = (id: string, name: string, stat = 'Maximum'): MetricDataQuery => ({
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/KinesisAnalytics', MetricName: name, Dimensions: dims }, Period: 60, Stat: stat },
    ReturnData: false,
  });
  const restartMetric = restartMetricFor(app.runtime);
  const target = `flink-${app.name}`;
  return [
    {
      ...common('restart-loop', target, `Flink application ${app.applicationName} is in a fail-and-restart loop (${restartMetric} DIFF, resets ignored)`, opts),
      Metrics: [
        metric('restarts', restartMetric),
        // IF(DIFF > 0, DIFF, 0): a counter reset after a start or update is not a restart.
        { Id: 'restartsPerMinute', Expression: 'IF(DIFF(restarts) > 0, DIFF(restarts), 0)', Label: `${restartMetric} per minute`, ReturnData: true },
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'missing',
    },
    {
      ...common('downtime', target, `Flink application ${app.applicationName} is down (downtime > 0)`, opts),
      Namespace: 'AWS/KinesisAnalytics',
      MetricName: 'downtime',
      Dimensions: dims,
      Statistic: 'Maximum',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 2,
      TreatMissingData: 'missing',
    },
    {
      ...common('failed-checkpoints', target, `Flink application ${app.applicationName} is failing checkpoints`, opts),
      Metrics: [
        metric('failed', 'numberOfFailedCheckpoints'),
        { Id: 'failedRate', Expression: 'RATE(failed) * 60', Label: 'failed checkpoints per minute', ReturnData: true },
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'missing',
    },
  ];
}

function kafkaAlarms(c: KafkaAlarmTarget, opts: AlarmPlanOptions): PutMetricAlarmInput[] {
  const target = `kafka-${c.name}`;
  const out: PutMetricAlarmInput[] = [];
  if (c.brokerType === 'standard') {
    const levels: Array<[string, number]> = [
      ['warning', opts.diskWarnPercent ?? 60],
      ['critical', opts.diskCritPercent ?? 80],
    ];
    for (const id of c.brokerIds) {
      for (const [level, threshold] of levels) {
        out.push({
          ...common(`disk-${level}-broker-${id}`, target, `MSK ${c.mskClusterName} broker ${id} disk ≥ ${threshold}% used`, opts),
          Namespace: 'AWS/Kafka',
          MetricName: 'KafkaDataLogsDiskUsed',
          Dimensions: [
            { Name: 'Cluster Name', Value: c.mskClusterName },
            { Name: 'Broker ID', Value: String(id) },
          ],
          Statistic: 'Maximum',
          Period: 300,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: threshold,
          EvaluationPeriods: 1,
          DatapointsToAlarm: 1,
          TreatMissingData: 'missing',
        });
      }
    }
  }
  const insights = (id: string, fn: 'MAX' | 'SUM', metric: string): MetricDataQuery => ({
    Id: id,
    Expression: `SELECT ${fn}(${metric}) FROM SCHEMA("AWS/Kafka", "Broker ID", "Cluster Name") WHERE "Cluster Name" = '${c.mskClusterName.replace(/'/g, "''")}'`,
    Period: 60,
    ReturnData: true,
  });
  out.push(
    {
      ...common('under-replicated', target, `MSK ${c.mskClusterName} has under-replicated partitions`, opts),
      Metrics: [insights('urp', 'MAX', 'UnderReplicatedPartitions')],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      TreatMissingData: 'missing',
    },
    {
      ...common('offline-partitions', target, `MSK ${c.mskClusterName} has offline partitions`, opts),
      Metrics: [insights('offline', 'MAX', 'OfflinePartitionsCount')],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'missing',
    },
    {
      ...common('no-active-controller', target, `MSK ${c.mskClusterName} has no active controller`, opts),
      Metrics: [insights('controllers', 'SUM', 'ActiveControllerCount')],
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
    },
    {
      // Exactly one controller should be active; two for more than a few minutes is a split brain.
      ...common('multiple-active-controllers', target, `MSK ${c.mskClusterName} has more than one active controller`, opts),
      Metrics: [insights('controllers', 'SUM', 'ActiveControllerCount')],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      TreatMissingData: 'missing',
    },
  );
  return out;
}

/** Checks the CloudWatch limits the API would reject: ≤ 20 metrics, exactly one ReturnData. */
export function validateAlarm(a: PutMetricAlarmInput): string | undefined {
  if (!a.Metrics) return undefined;
  if (a.Metrics.length > 20) return `${a.AlarmName}: ${a.Metrics.length} metrics (CloudWatch allows 20)`;
  const returning = a.Metrics.filter((m) => m.ReturnData).length;
  if (returning !== 1) return `${a.AlarmName}: ${returning} queries with ReturnData:true (exactly one required)`;
  return undefined;
}
