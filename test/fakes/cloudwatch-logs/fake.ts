import type {
  CloudWatchLogsPort,
  InsightsQuery,
  InsightsResult,
} from '../../../src/probes/cloudwatch-logs/port.js';

/**
 * An in-memory CloudWatchLogsPort: answers each query with the result registered for the first
 * matching predicate, and records the queries. An unmatched query fails the test loudly.
 */
export class FakeCloudWatchLogs implements CloudWatchLogsPort {
  readonly queries: InsightsQuery[] = [];
  private readonly answers: Array<{ when: (q: InsightsQuery) => boolean; result: InsightsResult | Error }> =
    [];

  /** Registers the result for queries matching `when` (e.g. q => q.queryString.includes('FAILED')). */
  answer(when: (q: InsightsQuery) => boolean, result: InsightsResult | Error): this {
    this.answers.push({ when, result });
    return this;
  }

  async runInsightsQuery(q: InsightsQuery): Promise<InsightsResult> {
    this.queries.push(structuredClone(q));
    const hit = this.answers.find((a) => a.when(q));
    if (!hit) throw new Error(`FakeCloudWatchLogs: no answer registered for query ${q.queryString}`);
    if (hit.result instanceof Error) throw hit.result;
    return structuredClone(hit.result);
  }
}
