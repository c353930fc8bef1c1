import type { MetricPoint } from '../../domain/flink.js';

/**
 * The port to CloudWatch metrics and alarms for one region.
 * Adapters: index.ts (the SDK, AWS JSON 1.0), fake.ts (in memory).
 */
export interface CloudWatchPort {
  /**
   * GetMetricData for any number of queries: split into calls of ≤ 500 queries, every NextToken
   * followed, one series per query (same order as `queries`) aligned to the periods of the window.
   * A missing datapoint is `value: undefined` — unknown, never zero.
   */
  getMetricSeries(queries: MetricQuery[], window: MetricWindow): Promise<MetricSeries[]>;
  /** PutMetricAlarm for a metric-math alarm (validated first: ≤ 20 metrics, one ReturnData). */
  putMetricAlarm(alarm: MetricMathAlarm): Promise<void>;
  /** DescribeAlarms by name prefix, all pages. */
  describeAlarms(namePrefix: string): Promise<AlarmInfo[]>;
  /** DeleteAlarms, ≤ 100 names per call. */
  deleteAlarms(names: string[]): Promise<void>;
  tagResource(arn: string, tags: Record<string, string>): Promise<void>;
  listTagsForResource(arn: string): Promise<Record<string, string>>;
}

/** What a series measures, so results map back to the fleet: (target, metric, dimension). */
export interface MetricKey {
  /** The app or cluster name in streamctl.yaml (or the MSF/MSK name). */
  target: string;
  metric: string;
  /** Extra identity beyond the target, e.g. `broker=3` or `id=orders,flow=IN`. */
  dimension?: string;
}

export type MetricStat = 'Maximum' | 'Minimum' | 'Average' | 'Sum' | 'SampleCount' | (string & {});

/** One metric to fetch. */
export interface MetricQuery {
  key: MetricKey;
  namespace: string;
  metricName: string;
  dimensions: Array<{ name: string; value: string }>;
  stat: MetricStat;
}

/** The time window: epoch ms; `start` is aligned down to the period. */
export interface MetricWindow {
  start: number;
  end: number;
  periodSec: number;
}

/** complete: every page read; partial/forbidden/error: CloudWatch said so for this query. */
export type SeriesStatus = 'complete' | 'partial' | 'forbidden' | 'error';

export interface MetricSeries {
  key: MetricKey;
  /** The GetMetricData query Id used (q0, q1, …). */
  id: string;
  /** One point per period from the aligned start to the end; missing = undefined. */
  points: MetricPoint[];
  status: SeriesStatus;
  messages?: string[];
}

/** One entry of a metric-math alarm's Metrics[]. Exactly one of `expression` / `metric`. */
export interface AlarmMetric {
  id: string;
  expression?: string;
  metric?: {
    namespace: string;
    metricName: string;
    dimensions: Array<{ name: string; value: string }>;
    periodSec: number;
    stat: MetricStat;
  };
  /** Period of an expression result (required by CloudWatch for some expressions). */
  periodSec?: number;
  label?: string;
  returnData: boolean;
}

export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export interface MetricMathAlarm {
  name: string;
  description?: string;
  metrics: AlarmMetric[];
  comparison: ComparisonOperator;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  treatMissingData?: 'breaching' | 'notBreaching' | 'ignore' | 'missing';
  alarmActions?: string[];
  okActions?: string[];
  /** Applied only when the alarm is created; use tagResource for an existing one. */
  tags?: Record<string, string>;
}

export interface AlarmInfo {
  name: string;
  arn?: string;
  /** OK | ALARM | INSUFFICIENT_DATA (unknown values kept). */
  state: string;
  stateReason?: string;
  description?: string;
  threshold?: number;
  comparison?: string;
  evaluationPeriods?: number;
  metricCount: number;
  alarmActions: string[];
}
