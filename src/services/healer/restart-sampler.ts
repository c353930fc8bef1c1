/**
 * The restart counter of self-managed Flink jobs. Self-managed Flink has no CloudWatch: the daemon
 * reads `numRestarts` (GET /jobs/:id/metrics) once per tick and keeps, in memory, the Maximum per
 * 1-minute period — the same shape as the CloudWatch series of MSF applications, so the same
 * detector reads both. Periods without a sample are missing (unknown), never zero; after a daemon
 * restart the history starts empty (unknown until enough periods are sampled).
 */
import type { MetricPoint } from '../../domain/flink.js';
import type { RestartCounterSeries, RestartMetric } from '../../healer/observation.js';

const PERIOD_MS = 60_000;

/** Per-app per-minute Maximum of the restart counter. */
export class RestartSampler {
  private readonly samples = new Map<string, { metric: RestartMetric; byPeriod: Map<number, number> }>();

  /** Keeps this many periods per app (older ones are dropped). */
  constructor(private readonly keepPeriods = 30) {}

  /** Records one reading of the counter at `t`. */
  record(app: string, t: number, metric: RestartMetric, value: number): void {
    const start = Math.floor(t / PERIOD_MS) * PERIOD_MS;
    let s = this.samples.get(app);
    if (!s) {
      s = { metric, byPeriod: new Map() };
      this.samples.set(app, s);
    }
    s.metric = metric;
    const prev = s.byPeriod.get(start);
    s.byPeriod.set(start, prev === undefined ? value : Math.max(prev, value));
    for (const k of s.byPeriod.keys()) if (k < start - this.keepPeriods * PERIOD_MS) s.byPeriod.delete(k);
  }

  /**
   * The series of the last `periods` periods ending with the one containing `now`, oldest first,
   * one point per period (missing = undefined). Undefined when the app was never sampled.
   *
   * A Maximum per period hides a reset inside the period (a new job whose counter is still below
   * the old one's): the drop shows in the next period, which the detector reads as a reset.
   */
  series(app: string, now: number, periods: number): RestartCounterSeries | undefined {
    const s = this.samples.get(app);
    if (!s) return undefined;
    const last = Math.floor(now / PERIOD_MS) * PERIOD_MS;
    const points: MetricPoint[] = [];
    for (let i = periods - 1; i >= 0; i--) {
      const t = last - i * PERIOD_MS;
      points.push({ t, value: s.byPeriod.get(t) });
    }
    return { metric: s.metric, source: 'flink-rest', periodMs: PERIOD_MS, points };
  }

  /** Forgets an app (its job was replaced and the caller wants a clean history). */
  forget(app: string): void {
    this.samples.delete(app);
  }
}
