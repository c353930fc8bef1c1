import { alignPoints, periodSlots, queryId, validateAlarm } from '../../../src/probes/cloudwatch/map.js';
import type {
  AlarmInfo,
  CloudWatchPort,
  MetricMathAlarm,
  MetricQuery,
  MetricSeries,
  MetricWindow,
} from '../../../src/probes/cloudwatch/port.js';

/**
 * An in-memory CloudWatchPort. Tests put datapoints for a metric identity (namespace, name,
 * dimensions, stat) and read them back aligned exactly as the real adapter aligns them, gaps
 * included. Alarms are validated with the same rules as the adapter.
 */
export class FakeCloudWatch implements CloudWatchPort {
  private readonly data = new Map<string, Array<{ t: number; value: number }>>();
  readonly alarms = new Map<string, MetricMathAlarm & { state: string }>();
  readonly tags = new Map<string, Record<string, string>>();
  /** Number of getMetricSeries calls (the bench-style "calls per tick" assertion for core tests). */
  metricCalls = 0;

  static identity(q: Pick<MetricQuery, 'namespace' | 'metricName' | 'dimensions' | 'stat'>): string {
    const dims = [...q.dimensions]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((d) => `${d.name}=${d.value}`);
    return `${q.namespace}|${q.metricName}|${dims.join(',')}|${q.stat}`;
  }

  /** Records datapoints (epoch ms, value) for the metric a query names. */
  put(
    q: Pick<MetricQuery, 'namespace' | 'metricName' | 'dimensions' | 'stat'>,
    points: Array<{ t: number; value: number }>,
  ): void {
    const id = FakeCloudWatch.identity(q);
    this.data.set(id, [...(this.data.get(id) ?? []), ...points]);
  }

  async getMetricSeries(queries: MetricQuery[], window: MetricWindow): Promise<MetricSeries[]> {
    this.metricCalls += 1;
    const slots = periodSlots(window);
    return queries.map((q, i) => {
      const pts = (this.data.get(FakeCloudWatch.identity(q)) ?? []).filter(
        (p) => p.t >= slots.start && p.t < window.end,
      );
      return {
        key: q.key,
        id: queryId(i),
        points: alignPoints(
          slots,
          window.periodSec,
          pts.map((p) => new Date(p.t)),
          pts.map((p) => p.value),
        ),
        status: 'complete' as const,
      };
    });
  }

  async putMetricAlarm(alarm: MetricMathAlarm): Promise<void> {
    validateAlarm(alarm);
    const prev = this.alarms.get(alarm.name);
    this.alarms.set(alarm.name, { ...structuredClone(alarm), state: prev?.state ?? 'INSUFFICIENT_DATA' });
    if (!prev && alarm.tags) this.tags.set(this.arn(alarm.name), { ...alarm.tags });
  }

  async describeAlarms(namePrefix: string): Promise<AlarmInfo[]> {
    return [...this.alarms.values()]
      .filter((a) => a.name.startsWith(namePrefix))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((a) => ({
        name: a.name,
        arn: this.arn(a.name),
        state: a.state,
        threshold: a.threshold,
        comparison: a.comparison,
        evaluationPeriods: a.evaluationPeriods,
        metricCount: a.metrics.length,
        alarmActions: a.alarmActions ?? [],
        ...(a.description ? { description: a.description } : {}),
      }));
  }

  async deleteAlarms(names: string[]): Promise<void> {
    for (const n of names) {
      this.alarms.delete(n);
      this.tags.delete(this.arn(n));
    }
  }

  async tagResource(arn: string, tags: Record<string, string>): Promise<void> {
    this.tags.set(arn, { ...(this.tags.get(arn) ?? {}), ...tags });
  }

  async listTagsForResource(arn: string): Promise<Record<string, string>> {
    return { ...(this.tags.get(arn) ?? {}) };
  }

  arn(name: string): string {
    return `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`;
  }
}
