/**
 * The restart counter and its DIFF (docs/design.md §4 "Detection"): shared vocabulary of the healer's
 * detectors, the monitors and the views, so none of them imports another's folder.
 *
 * The counter (`fullRestarts`, or `numRestarts` on Flink 2.2+) is read per 1-minute period with the
 * Maximum statistic, and the DIFF is computed here rather than by CloudWatch's DIFF(), whose
 * handling of gaps is not specified
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
 * - a drop is a reset (a start or an update restarted the job): the new value is the restarts since
 *   the reset, never a negative count;
 * - a missing datapoint is unknown: it neither hides restarts nor proves health. The counter is
 *   cumulative, so the first known point after a gap carries the restarts of the whole gap
 *   ("bridged"), attributed to one period only (we cannot tell how they spread);
 * - the first point has no predecessor: unknown.
 */
import type { MetricPoint } from './flink.js';

/** The restart counter the runtime publishes: MSF removed `fullRestarts` on Flink 2.2 (docs/reference.md §MSF). */
export type RestartMetric = 'fullRestarts' | 'numRestarts';

/**
 * Which restart counter to read for a runtime: `numRestarts` from FLINK-2_2 on (and for unknown
 * future major versions), `fullRestarts` before.
 */
export function restartMetricFor(runtime: string | undefined): RestartMetric {
  const m = /^FLINK-(\d+)_(\d+)/.exec(runtime ?? '');
  if (!m) return 'fullRestarts';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 2 || (major === 2 && minor >= 2) ? 'numRestarts' : 'fullRestarts';
}

/**
 * The restart counter per 1-minute period (CloudWatch Maximum), oldest first, one point per period
 * of the look-back even when missing (`value: undefined`), so gaps are explicit.
 */
export interface RestartCounterSeries {
  metric: RestartMetric;
  source: 'cloudwatch' | 'flink-rest';
  periodMs: number;
  points: MetricPoint[];
}

/** Restarts in one period: undefined when unknown. */
export interface PeriodRestarts {
  t: number;
  restarts: number | undefined;
  /** The counter dropped in this period (reset by a start or an update). */
  reset: boolean;
  /** The diff spans missing periods before this one. */
  bridged: boolean;
}

/** DIFF of the counter per period, with resets and gaps made explicit. */
export function restartsPerPeriod(series: RestartCounterSeries): PeriodRestarts[] {
  const out: PeriodRestarts[] = [];
  let last: number | undefined;
  let gap = false;
  for (const p of series.points) {
    if (p.value === undefined) {
      out.push({ t: p.t, restarts: undefined, reset: false, bridged: false });
      if (last !== undefined) gap = true;
      continue;
    }
    if (last === undefined) {
      out.push({ t: p.t, restarts: undefined, reset: false, bridged: false });
    } else if (p.value < last) {
      out.push({ t: p.t, restarts: p.value, reset: true, bridged: gap });
    } else {
      out.push({ t: p.t, restarts: p.value - last, reset: false, bridged: gap });
    }
    last = p.value;
    gap = false;
  }
  return out;
}
