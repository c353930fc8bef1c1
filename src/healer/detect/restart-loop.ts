/**
 * Fail-and-restart loop detection from the restart counter (docs/design.md §4).
 *
 * The counter (`fullRestarts`, or `numRestarts` on Flink 2.2+) is read per 1-minute period with the
 * Maximum statistic. We compute DIFF ourselves (CloudWatch's DIFF treats gaps in an undocumented
 * way, docs/reference.md §CloudWatch):
 * - a drop is a reset (a start or an update restarted the job): the new value is the restarts since
 *   the reset, never a negative count;
 * - a missing datapoint is unknown: it neither hides restarts nor proves health. The counter is
 *   cumulative, so the first known point after a gap carries the restarts of the whole gap
 *   ("bridged"), attributed to one period only (we cannot tell how they spread);
 * - the first point has no predecessor: unknown.
 *
 * Default rule: ≥ 3 restarts within the last 5 periods, in ≥ 2 distinct periods. A job restarting
 * once a minute has its third restart in the third period, so the rule fires on the first
 * observation that shows it (≤ CloudWatch latency + suspect re-check interval, 15 s by default,
 * after the restart): well inside 90 s, versus 5 minutes for the conservative DIFF alarm. One or two
 * restarts (maintenance, a transient outage) never fire; neither does a burst inside one minute
 * (a TaskManager loss restarting a few regions at once). Restarts overlapping MSF maintenance are
 * suppressed.
 *
 * Slow rule (loop-rhythm.ts): a job that restarts every few minutes (large state restoring for
 * minutes) with no stable run between restarts is a loop too, over the longer look-back the
 * observer reads (`policy.loop.lookbackPeriods`). It fires on the first observation that shows the
 * third restart event: ≤ one period + CloudWatch latency + one tick after it, well inside two
 * restart intervals.
 */

import { type PeriodRestarts, restartsPerPeriod } from '../../domain/restart-counter.js';
import type { Anomaly } from '../anomaly.js';
import type { AppObservation, RestartCounterSeries } from '../observation.js';
import type { HealerPolicy } from '../policy.js';
import type { DetectContext } from './context.js';
import { type RestartEvent, slowLoop } from './loop-rhythm.js';
import { maintenanceOverlap } from './maintenance.js';

export { type PeriodRestarts, restartsPerPeriod } from '../../domain/restart-counter.js';

/** The state of the restart counter over the rule's window. */
export type RestartAssessment =
  | {
      state: 'loop';
      /** `fast`: many restarts within the window; `slow`: a steady rhythm with no stable run between. */
      rule: 'fast' | 'slow';
      restarts: number;
      periods: number;
      windowStart: number;
      firstRestartAt: number;
      lastRestartAt: number;
      /** The loop's observed restart interval. */
      intervalMs: number;
      /** The job already looped before the latest reset (the change that reset it did not start the loop). */
      loopedBeforeReset: boolean;
    }
  | { state: 'restarting'; restarts: number; periods: number; windowStart: number; trailingQuiet: number }
  | { state: 'quiet'; trailingQuiet: number }
  | {
      state: 'unknown';
      reason: 'no-series' | 'missing-datapoints';
      missingPeriods: number;
      restarts: number;
      trailingQuiet: number;
    };

/** Consecutive known periods without restarts at the end of the series. */
export function trailingQuietPeriods(periods: readonly PeriodRestarts[]): number {
  let n = 0;
  for (let i = periods.length - 1; i >= 0; i--) {
    const r = periods[i]!.restarts;
    if (r !== 0) break;
    n++;
  }
  return n;
}

type LoopFound = Omit<Extract<RestartAssessment, { state: 'loop' }>, 'state' | 'loopedBeforeReset'>;

/** The fast rule over the last window, then the slow rule over all the periods given (one incarnation). */
function loopIn(
  incarnation: readonly PeriodRestarts[],
  lastPeriod: number,
  loop: HealerPolicy['loop'],
): { loop?: LoopFound; restarts: number; periods: number; missing: number; windowStart: number } {
  const window = incarnation.slice(-loop.windowPeriods);
  let restarts = 0;
  let periods = 0;
  let missing = 0;
  let first: number | undefined;
  let last: number | undefined;
  for (const p of window) {
    if (p.restarts === undefined) {
      missing++;
      continue;
    }
    if (p.restarts > 0) {
      restarts += p.restarts;
      periods++;
      first ??= p.t;
      last = p.t;
    }
  }
  const windowStart = window[0]!.t;
  const counts = { restarts, periods, missing, windowStart };
  if (restarts >= loop.minRestarts && periods >= loop.minPeriods) {
    const intervalMs = Math.max(1, Math.round((last! - first!) / (restarts - 1)));
    return {
      ...counts,
      loop: {
        rule: 'fast',
        restarts,
        periods,
        windowStart,
        firstRestartAt: first!,
        lastRestartAt: last!,
        intervalMs,
      },
    };
  }
  const events: RestartEvent[] = incarnation
    .filter((p) => (p.restarts ?? 0) > 0)
    .map((p) => ({ t: p.t, restarts: p.restarts! }));
  const slow = slowLoop(events, lastPeriod, loop);
  if (!slow) return counts;
  const firstEvent = slow.events[0]!;
  return {
    ...counts,
    loop: {
      rule: 'slow',
      restarts: slow.events.reduce((n, e) => n + e.restarts, 0),
      periods: slow.events.length,
      windowStart: firstEvent.t,
      firstRestartAt: firstEvent.t,
      lastRestartAt: slow.events[slow.events.length - 1]!.t,
      intervalMs: slow.intervalMs,
    },
  };
}

/**
 * Applies the loop rule to a series (pure; also used by verify and incident resolution).
 * Only the current incarnation of the job counts: periods before the latest reset in the window,
 * and periods that ended before `countFrom` (when a healer action settled), are left out: they
 * are neither restarts nor gaps.
 */
export function assessRestarts(
  series: RestartCounterSeries | undefined,
  loop: HealerPolicy['loop'],
  countFrom?: number,
): RestartAssessment {
  if (!series || series.points.length === 0)
    return {
      state: 'unknown',
      reason: 'no-series',
      missingPeriods: loop.windowPeriods,
      restarts: 0,
      trailingQuiet: 0,
    };
  let all = restartsPerPeriod(series);
  // The newest periods are often not published yet (CloudWatch latency): not yet unknown.
  const raw = series.points;
  let pending = 0;
  while (pending < loop.pendingPeriods && all.length > 1 && raw[all.length - 1]?.value === undefined) {
    all = all.slice(0, -1);
    pending++;
  }
  if (countFrom !== undefined) all = all.filter((p) => p.t + series.periodMs > countFrom);
  if (all.length === 0)
    return {
      state: 'unknown',
      reason: 'missing-datapoints',
      missingPeriods: 0,
      restarts: 0,
      trailingQuiet: 0,
    };
  // Only the current incarnation: from the latest reset on.
  let lastReset = -1;
  all.forEach((p, i) => {
    if (p.reset) lastReset = i;
  });
  const incarnation = lastReset > 0 ? all.slice(lastReset) : all;
  const trailingQuiet = trailingQuietPeriods(all);
  const r = loopIn(incarnation, all[all.length - 1]!.t, loop);
  if (r.loop) {
    // Did the job already loop before the reset (a start or an update)? Then the change that
    // reset the counter did not start the loop: it may be a fix attempt, not the cause.
    let prevReset = 0;
    for (let i = 0; i < lastReset; i++) if (all[i]!.reset) prevReset = i;
    const before = lastReset > 0 ? all.slice(prevReset, lastReset) : [];
    const loopedBeforeReset = before.length > 0 && loopIn(before, all[lastReset]!.t, loop).loop !== undefined;
    return { state: 'loop', ...r.loop, loopedBeforeReset };
  }
  const { restarts, periods, missing, windowStart } = r;
  if (restarts > 0) return { state: 'restarting', restarts, periods, windowStart, trailingQuiet };
  if (missing > 0)
    return {
      state: 'unknown',
      reason: 'missing-datapoints',
      missingPeriods: missing,
      restarts,
      trailingQuiet,
    };
  return { state: 'quiet', trailingQuiet };
}

/** The restart-loop detector: a loop, restarts below the threshold (look again soon), unknown, or maintenance. */
export function detectRestartLoop(obs: AppObservation, ctx: DetectContext): Anomaly[] {
  const a = assessRestarts(obs.restarts, ctx.policy.loop, ctx.countRestartsFrom);
  const metric = obs.restarts?.metric ?? 'fullRestarts';
  switch (a.state) {
    case 'quiet':
      return [];
    case 'unknown':
      return [{ kind: 'restart-metric-unknown', reason: a.reason, missingPeriods: a.missingPeriods }];
    case 'restarting':
    case 'loop': {
      const m = maintenanceOverlap(obs, a.windowStart, ctx.now);
      if (m)
        return [
          {
            kind: 'maintenance',
            since: m.since,
            ...(m.operationId ? { operationId: m.operationId } : {}),
            suppressedRestarts: a.restarts,
          },
        ];
      if (a.state === 'restarting')
        return [{ kind: 'restarts-below-threshold', metric, restarts: a.restarts, periods: a.periods }];
      return [
        {
          kind: 'restart-loop',
          metric,
          rule: a.rule,
          restarts: a.restarts,
          periods: a.periods,
          windowStart: a.windowStart,
          firstRestartAt: a.firstRestartAt,
          lastRestartAt: a.lastRestartAt,
          intervalMs: a.intervalMs,
          ...(a.loopedBeforeReset ? { loopedBeforeReset: true } : {}),
        },
      ];
    }
  }
}
