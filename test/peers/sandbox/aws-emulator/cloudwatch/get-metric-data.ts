/**
 * GetMetricData over the MetricStore: MetricStat queries aggregated per Period, a small expression
 * subset (a bare id, DIFF, RATE, DIFF_TIME), the real limits (≤ 500 queries per call → the
 * service's ValidationError), ScanBy order and MaxDatapoints/NextToken paging.
 *
 * DIFF here is "value minus the previous datapoint's value" over the datapoints that exist: a
 * missing period is skipped, not treated as zero (AWS leaves gap handling undocumented; streamctl
 * computes DIFF itself where correctness matters — docs/reference.md §CloudWatch).
 */
import { err } from '../errors.js';
import { computeStat, isSupportedStat } from './statistics.js';
import type { Dimension, MetricStore } from './store.js';

/** AWS: "You can include up to 500 MetricDataQuery structures in one request". */
export const MAX_QUERIES = 500;
export const DEFAULT_MAX_DATAPOINTS = 100_800;

type Body = Record<string, unknown>;

interface Computed {
  id: string;
  label: string;
  returnData: boolean;
  /** Ascending by time. */
  points: { t: number; v: number }[];
}

export interface MetricDataResult {
  Id: string;
  Label: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: 'Complete' | 'PartialData';
}

/** Runs one GetMetricData request. Timestamps in the request and response are epoch seconds. */
export function getMetricData(
  store: MetricStore,
  body: Body,
): { MetricDataResults: MetricDataResult[]; NextToken?: string; Messages: [] } {
  const queries = body.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0)
    throw err.cwValidation('MetricDataQueries is required and must not be empty.');
  if (queries.length > MAX_QUERIES) {
    throw err.cwValidation(
      `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
    );
  }
  const start = seconds(body.StartTime, 'StartTime');
  const end = seconds(body.EndTime, 'EndTime');
  if (start >= end)
    throw err.cwValidation('The parameter StartTime must be less than the parameter EndTime.');
  const maxPoints = body.MaxDatapoints === undefined ? DEFAULT_MAX_DATAPOINTS : body.MaxDatapoints;
  if (typeof maxPoints !== 'number' || !Number.isInteger(maxPoints) || maxPoints < 1)
    throw err.cwValidation('MaxDatapoints must be a positive integer.');
  const scanBy = body.ScanBy ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending')
    throw err.cwValidation(`ScanBy ${String(scanBy)} is not valid.`);

  const seen = new Set<string>();
  for (const [i, q] of (queries as Body[]).entries()) {
    const id = q?.Id;
    if (typeof id !== 'string' || !/^[a-z][a-zA-Z0-9_]*$/.test(id)) {
      throw err.cwValidation(
        `MetricDataQueries[${i}].Id must start with a lowercase letter and contain only letters, digits and underscores (got ${String(id)}).`,
      );
    }
    if (seen.has(id)) throw err.cwValidation(`The value ${id} for MetricDataQueries.Id is duplicated.`);
    seen.add(id);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw err.cwValidation(`MetricDataQueries[${i}] must have exactly one of MetricStat and Expression.`);
    }
  }

  const byId = new Map<string, Computed>();
  const computing = new Set<string>();
  const all = queries as Body[];
  const compute = (q: Body): Computed => {
    const id = q.Id as string;
    const done = byId.get(id);
    if (done) return done;
    if (computing.has(id)) throw err.cwValidation(`Circular reference in expression of ${id}.`);
    computing.add(id);
    const c =
      q.MetricStat !== undefined
        ? metricStat(store, q, start, end)
        : expression(q, (ref) => {
            const target = all.find((x) => x.Id === ref);
            if (!target) throw err.cwValidation(`Expression of ${id} references unknown id ${ref}.`);
            return compute(target);
          });
    byId.set(id, c);
    return c;
  };
  const results = all.map(compute).filter((c) => c.returnData);

  // Paging: datapoints of the returned queries, in order, at most MaxDatapoints per page.
  let cursor = { q: 0, p: 0 };
  if (typeof body.NextToken === 'string' && body.NextToken) {
    const decoded = decodeCursor(body.NextToken);
    if (!decoded) throw err.cwInvalidParameterToken(body.NextToken);
    cursor = decoded;
  }
  const out: MetricDataResult[] = [];
  let budget = maxPoints;
  let next: { q: number; p: number } | undefined;
  for (let qi = cursor.q; qi < results.length; qi++) {
    const c = results[qi]!;
    const ordered = scanBy === 'TimestampAscending' ? c.points : [...c.points].reverse();
    const from = qi === cursor.q ? cursor.p : 0;
    const take = ordered.slice(from, from + budget);
    budget -= take.length;
    const complete = from + take.length >= ordered.length;
    out.push({
      Id: c.id,
      Label: c.label,
      Timestamps: take.map((p) => p.t / 1000),
      Values: take.map((p) => p.v),
      StatusCode: complete ? 'Complete' : 'PartialData',
    });
    if (!complete) {
      next = { q: qi, p: from + take.length };
      break;
    }
    if (budget === 0 && qi + 1 < results.length) {
      next = { q: qi + 1, p: 0 };
      break;
    }
  }
  return { MetricDataResults: out, ...(next ? { NextToken: encodeCursor(next) } : {}), Messages: [] };
}

function metricStat(store: MetricStore, q: Body, startMs: number, endMs: number): Computed {
  const ms = q.MetricStat as Body;
  const metric = (ms?.Metric ?? {}) as Body;
  const id = q.Id as string;
  if (typeof metric.Namespace !== 'string' || typeof metric.MetricName !== 'string') {
    throw err.cwValidation(`MetricStat.Metric of ${id} needs Namespace and MetricName.`);
  }
  const period = ms.Period;
  if (
    typeof period !== 'number' ||
    !Number.isInteger(period) ||
    period < 1 ||
    (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 20, 30].includes(period))
  ) {
    throw err.cwValidation(
      `MetricStat.Period of ${id} must be 1, 5, 10, 20, 30 or a multiple of 60 (got ${String(period)}).`,
    );
  }
  const stat = ms.Stat;
  if (typeof stat !== 'string' || !isSupportedStat(stat))
    throw err.cwValidation(`MetricStat.Stat ${String(stat)} of ${id} is not supported by the emulator.`);
  const dims = Array.isArray(metric.Dimensions) ? (metric.Dimensions as Dimension[]) : [];
  const periodMs = period * 1000;
  const samples = store.samples(metric.Namespace, metric.MetricName, dims, startMs, endMs);
  const buckets = new Map<number, number[]>();
  for (const s of samples) {
    const b = Math.floor(s.t / periodMs) * periodMs;
    if (b < startMs) continue;
    let vs = buckets.get(b);
    if (!vs) {
      vs = [];
      buckets.set(b, vs);
    }
    vs.push(s.v);
  }
  const points = [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, vs]) => ({ t, v: computeStat(stat, vs) }));
  return {
    id,
    label: typeof q.Label === 'string' ? q.Label : metric.MetricName,
    returnData: q.ReturnData !== false,
    points,
  };
}

const EXPR = /^\s*(?:(DIFF|RATE|DIFF_TIME)\s*\(\s*([a-z][a-zA-Z0-9_]*)\s*\)|([a-z][a-zA-Z0-9_]*))\s*$/;

function expression(q: Body, ref: (id: string) => Computed): Computed {
  const id = q.Id as string;
  const text = String(q.Expression);
  const m = EXPR.exec(text);
  if (!m) {
    throw err.cwValidation(
      `Expression "${text}" of ${id} is not supported by the emulator (supported: an id, DIFF(id), RATE(id), DIFF_TIME(id)).`,
    );
  }
  const fn = m[1];
  const source = ref((m[2] ?? m[3])!);
  const points: { t: number; v: number }[] = [];
  if (!fn) points.push(...source.points);
  else {
    for (let i = 1; i < source.points.length; i++) {
      const prev = source.points[i - 1]!;
      const cur = source.points[i]!;
      const dt = (cur.t - prev.t) / 1000;
      const v = fn === 'DIFF' ? cur.v - prev.v : fn === 'RATE' ? (cur.v - prev.v) / dt : dt;
      points.push({ t: cur.t, v });
    }
  }
  return {
    id,
    label: typeof q.Label === 'string' ? q.Label : id,
    returnData: q.ReturnData !== false,
    points,
  };
}

function seconds(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw err.cwValidation(`${name} is required (epoch seconds).`);
  return v * 1000;
}

function encodeCursor(c: { q: number; p: number }): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(token: string): { q: number; p: number } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; p?: unknown };
    if (Number.isInteger(v.q) && Number.isInteger(v.p)) return { q: v.q as number, p: v.p as number };
  } catch {
    /* fall through */
  }
  return undefined;
}
