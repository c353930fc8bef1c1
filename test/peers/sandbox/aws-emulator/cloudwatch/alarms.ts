/**
 * Metric alarms stored as given (PutMetricAlarm / DescribeAlarms / DeleteAlarms) with the
 * service's validation of metric-math alarms: ≤ 20 queries and exactly one ReturnData:true.
 * Alarms are never evaluated: their state stays INSUFFICIENT_DATA.
 */
import { err } from '../errors.js';
import { ACCOUNT, REGION } from '../msf/describe.js';
import { paginate } from '../pagination.js';

type Body = Record<string, unknown>;

export interface StoredAlarm {
  arn: string;
  body: Body;
  updatedMs: number;
}

export class AlarmStore {
  readonly alarms = new Map<string, StoredAlarm>();
  /** Tags by resource ARN (alarms). */
  readonly tags = new Map<string, Map<string, string>>();

  put(body: Body, nowMs: number): void {
    const name = body.AlarmName;
    if (typeof name !== 'string' || name.length === 0 || name.length > 255)
      throw err.cwValidation('AlarmName is required (1 to 255 characters).');
    if (typeof body.EvaluationPeriods !== 'number' || body.EvaluationPeriods < 1)
      throw err.cwValidation('EvaluationPeriods must be at least 1.');
    if (typeof body.ComparisonOperator !== 'string')
      throw err.cwValidation('ComparisonOperator is required.');
    if (Array.isArray(body.Metrics)) {
      if (body.Metrics.length > 20)
        throw err.cwValidation('The collection Metrics must not have a size greater than 20.');
      const returning = (body.Metrics as Body[]).filter((m) => m.ReturnData !== false).length;
      if (returning !== 1)
        throw err.cwValidation(
          `Exactly one element of the metrics list should return data (got ${returning}).`,
        );
      if (body.MetricName !== undefined)
        throw err.cwInvalidParameter('MetricName and Metrics are mutually exclusive.');
    } else if (typeof body.MetricName !== 'string' || typeof body.Namespace !== 'string') {
      throw err.cwValidation('MetricName and Namespace are required unless Metrics is given.');
    }
    const arn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;
    this.alarms.set(name, { arn, body: structuredClone(body), updatedMs: nowMs });
    if (Array.isArray(body.Tags)) this.tag(arn, body.Tags as Body[]);
  }

  describe(body: Body): Body {
    const names = Array.isArray(body.AlarmNames) ? new Set(body.AlarmNames as string[]) : undefined;
    const prefix = typeof body.AlarmNamePrefix === 'string' ? body.AlarmNamePrefix : undefined;
    const state = typeof body.StateValue === 'string' ? body.StateValue : undefined;
    const matching = [...this.alarms.entries()]
      .filter(([n]) => (names ? names.has(n) : true) && (prefix ? n.startsWith(prefix) : true))
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([, a]) => render(a))
      .filter((a) => (state ? a.StateValue === state : true));
    const { page, nextToken } = paginate(matching, body.NextToken, body.MaxRecords, {
      max: 100,
      defaultLimit: 50,
      scope: 'DescribeAlarms',
      badToken: err.cwInvalidParameter,
    });
    return { MetricAlarms: page, CompositeAlarms: [], ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  delete(body: Body): void {
    const names = Array.isArray(body.AlarmNames) ? (body.AlarmNames as string[]) : [];
    if (names.length > 100)
      throw err.cwValidation('The collection AlarmNames must not have a size greater than 100.');
    const missing = names.filter((n) => !this.alarms.has(n));
    if (missing.length > 0) throw err.cwNotFound(`Alarm(s) not found: ${missing.join(', ')}`);
    for (const n of names) {
      const a = this.alarms.get(n)!;
      this.tags.delete(a.arn);
      this.alarms.delete(n);
    }
  }

  tag(arn: string, tags: Body[]): void {
    this.requireResource(arn);
    let m = this.tags.get(arn);
    if (!m) {
      m = new Map();
      this.tags.set(arn, m);
    }
    for (const t of tags) m.set(String(t.Key), String(t.Value ?? ''));
  }

  untag(arn: string, keys: unknown[]): void {
    this.requireResource(arn);
    for (const k of keys) this.tags.get(arn)?.delete(String(k));
  }

  listTags(arn: string): Body {
    this.requireResource(arn);
    return { Tags: [...(this.tags.get(arn) ?? new Map())].map(([Key, Value]) => ({ Key, Value })) };
  }

  private requireResource(arn: string): void {
    if (![...this.alarms.values()].some((a) => a.arn === arn))
      throw err.cwNotFound(`Resource ${arn} not found.`);
  }
}

function render(a: StoredAlarm): Body {
  const b = a.body;
  return {
    ...Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'Tags')),
    AlarmArn: a.arn,
    ActionsEnabled: b.ActionsEnabled !== false,
    StateValue: 'INSUFFICIENT_DATA',
    StateReason: 'Unchecked: the emulator does not evaluate alarms',
    StateUpdatedTimestamp: a.updatedMs / 1000,
    AlarmConfigurationUpdatedTimestamp: a.updatedMs / 1000,
  };
}
