import type { MetricDataQuery, PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { MetricPoint } from '../../domain/flink.js';
import type { AlarmInfo, MetricMathAlarm, MetricQuery, MetricWindow, SeriesStatus } from './port.js';
import type { RawMetricAlarm } from './schema.js';

/** Pure helpers for the CloudWatch adapter: alignment, query and alarm shapes, validation. */

/** GetMetricData / PutMetricAlarm query Id rule. */
export const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
/** GetMetricData: at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** Metric-math alarms: at most 20 entries in Metrics[]. */
export const MAX_ALARM_METRICS = 20;
/** DeleteAlarms: at most 100 names per call. */
export const MAX_DELETE_ALARMS = 100;

/** Periods CloudWatch accepts: 1, 5, 10, 30 (high resolution) or any multiple of 60 seconds. */
export function isValidPeriod(periodSec: number): boolean {
  return (
    Number.isInteger(periodSec) &&
    periodSec > 0 &&
    ([1, 5, 10, 30].includes(periodSec) || periodSec % 60 === 0)
  );
}

/** The window's start aligned down to the period, and the number of periods up to `end`. */
export function periodSlots(w: MetricWindow): { start: number; count: number } {
  const p = w.periodSec * 1000;
  const start = Math.floor(w.start / p) * p;
  const count = Math.max(0, Math.ceil((w.end - start) / p));
  return { start, count };
}

/** The Id of the i-th query of a getMetricSeries call (valid per QUERY_ID, unique per call). */
export function queryId(i: number): string {
  return `q${i}`;
}

/** A MetricQuery → the SDK's MetricDataQuery with a MetricStat. */
export function toMetricDataQuery(q: MetricQuery, id: string, periodSec: number): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: q.namespace,
        MetricName: q.metricName,
        Dimensions: q.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
      },
      Period: periodSec,
      Stat: q.stat,
    },
    ReturnData: true,
  };
}

/**
 * Places datapoints into their period slots. Slots with no datapoint stay `undefined`: a missing
 * datapoint is unknown (the app may not have reported), never zero and never "healthy".
 */
export function alignPoints(
  slots: { start: number; count: number },
  periodSec: number,
  timestamps: Date[],
  values: number[],
): MetricPoint[] {
  const p = periodSec * 1000;
  const points: MetricPoint[] = Array.from({ length: slots.count }, (_, k) => ({
    t: slots.start + k * p,
    value: undefined,
  }));
  timestamps.forEach((ts, i) => {
    const k = Math.floor((ts.getTime() - slots.start) / p);
    const v = values[i];
    const slot = points[k];
    if (slot && v !== undefined && Number.isFinite(v)) slot.value = v;
  });
  return points;
}

/** CloudWatch StatusCode → series status (the worst across pages wins). */
export function seriesStatus(codes: Array<string | undefined>): SeriesStatus {
  if (codes.includes('Forbidden')) return 'forbidden';
  if (codes.includes('InternalError')) return 'error';
  // PartialData on a page followed by more pages is normal; only the last page's code matters.
  const last = codes[codes.length - 1];
  return last === 'PartialData'
    ? 'partial'
    : last === undefined || last === 'Complete'
      ? 'complete'
      : 'error';
}

function invalidAlarm(alarm: string, field: string, expected: string): StreamctlError {
  return new StreamctlError('INVALID_ALARM', `alarm ${alarm}: ${field}: expected ${expected}`, {
    exitCode: Sysexit.DATAERR,
    hint: 'Nothing was sent to CloudWatch. Fix the alarm definition.',
  });
}

/** Checks what CloudWatch would refuse, before sending: ids, ≤ 20 metrics, exactly one ReturnData. */
export function validateAlarm(a: MetricMathAlarm): void {
  if (!a.name || a.name.length > 255) throw invalidAlarm(a.name, 'name', '1 to 255 characters');
  if (a.metrics.length < 1 || a.metrics.length > MAX_ALARM_METRICS) {
    throw invalidAlarm(a.name, 'metrics', `1 to ${MAX_ALARM_METRICS} entries (got ${a.metrics.length})`);
  }
  const ids = new Set<string>();
  a.metrics.forEach((m, i) => {
    if (!QUERY_ID.test(m.id))
      throw invalidAlarm(a.name, `metrics[${i}].id`, `an id matching ${QUERY_ID} (got "${m.id}")`);
    if (ids.has(m.id)) throw invalidAlarm(a.name, `metrics[${i}].id`, `a unique id ("${m.id}" is repeated)`);
    ids.add(m.id);
    if ((m.expression === undefined) === (m.metric === undefined)) {
      throw invalidAlarm(a.name, `metrics[${i}]`, 'exactly one of expression or metric');
    }
    if (m.metric && !isValidPeriod(m.metric.periodSec))
      throw invalidAlarm(a.name, `metrics[${i}].metric.periodSec`, '1, 5, 10, 30 or a multiple of 60');
  });
  const returning = a.metrics.filter((m) => m.returnData).length;
  if (returning !== 1)
    throw invalidAlarm(a.name, 'metrics[].returnData', `exactly one true (got ${returning})`);
  if (!Number.isInteger(a.evaluationPeriods) || a.evaluationPeriods < 1)
    throw invalidAlarm(a.name, 'evaluationPeriods', 'an integer ≥ 1');
  if (
    a.datapointsToAlarm !== undefined &&
    (a.datapointsToAlarm < 1 || a.datapointsToAlarm > a.evaluationPeriods)
  ) {
    throw invalidAlarm(a.name, 'datapointsToAlarm', `1 to evaluationPeriods (${a.evaluationPeriods})`);
  }
  if (!Number.isFinite(a.threshold)) throw invalidAlarm(a.name, 'threshold', 'a finite number');
}

/** The PutMetricAlarm input for a (validated) metric-math alarm. */
export function toPutMetricAlarmInput(a: MetricMathAlarm): PutMetricAlarmInput {
  const input: PutMetricAlarmInput = {
    AlarmName: a.name,
    ActionsEnabled: true,
    Metrics: a.metrics.map((m) => {
      const q: MetricDataQuery = { Id: m.id, ReturnData: m.returnData };
      if (m.expression !== undefined) q.Expression = m.expression;
      if (m.metric) {
        q.MetricStat = {
          Metric: {
            Namespace: m.metric.namespace,
            MetricName: m.metric.metricName,
            Dimensions: m.metric.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
          },
          Period: m.metric.periodSec,
          Stat: m.metric.stat,
        };
      }
      if (m.periodSec !== undefined) q.Period = m.periodSec;
      if (m.label !== undefined) q.Label = m.label;
      return q;
    }),
    ComparisonOperator: a.comparison,
    Threshold: a.threshold,
    EvaluationPeriods: a.evaluationPeriods,
  };
  if (a.description !== undefined) input.AlarmDescription = a.description;
  if (a.datapointsToAlarm !== undefined) input.DatapointsToAlarm = a.datapointsToAlarm;
  if (a.treatMissingData !== undefined) input.TreatMissingData = a.treatMissingData;
  if (a.alarmActions !== undefined) input.AlarmActions = a.alarmActions;
  if (a.okActions !== undefined) input.OKActions = a.okActions;
  if (a.tags !== undefined) input.Tags = Object.entries(a.tags).map(([Key, Value]) => ({ Key, Value }));
  return input;
}

/** DescribeAlarms row → AlarmInfo. */
export function toAlarmInfo(r: RawMetricAlarm): AlarmInfo {
  const info: AlarmInfo = {
    name: r.AlarmName,
    state: r.StateValue,
    metricCount: r.Metrics?.length ?? 0,
    alarmActions: r.AlarmActions ?? [],
  };
  if (r.AlarmArn !== undefined) info.arn = r.AlarmArn;
  if (r.StateReason !== undefined) info.stateReason = r.StateReason;
  if (r.AlarmDescription !== undefined) info.description = r.AlarmDescription;
  if (r.Threshold !== undefined) info.threshold = r.Threshold;
  if (r.ComparisonOperator !== undefined) info.comparison = r.ComparisonOperator;
  if (r.EvaluationPeriods !== undefined) info.evaluationPeriods = r.EvaluationPeriods;
  return info;
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
