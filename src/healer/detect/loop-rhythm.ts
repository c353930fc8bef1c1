/**
 * The rhythm of a restart loop: slow loops and stable runs. Pure.
 *
 * A job with large state restores for minutes, so it can fail and restart once every 4–5 minutes
 * forever; "3 restarts within 5 minutes" never fires on it. What makes it a loop is not the rate
 * but that the job never has a sustained healthy run between restarts. So the slow rule looks at
 * the last `minRestarts` periods with restarts (each a separate restart event) and calls them a
 * loop when:
 * - no gap between consecutive events exceeds `loop.maxInterval` (restarts further apart are
 *   isolated: a transient outage, then another one an hour later);
 * - no gap is a stable run: longer than `stableRunFactor` × the shortest gap of the sequence
 *   (two restarts close together and a third 13 minutes later is a blip and an isolated restart,
 *   not a rhythm);
 * - the job has not run stably since the last event (`stableRunFactor` × the longest gap): a
 *   loop that ended is not detected afresh.
 * The observed interval also scales what "healthy again" means (`stableRunMs`): a loop restarting
 * every 5 minutes is not over after 3 quiet minutes.
 */
import type { HealerPolicy } from '../policy.js';

/** One period with restarts (a restart event; a burst inside one period is one event). */
export interface RestartEvent {
  t: number;
  restarts: number;
}

/** A slow loop found by the rhythm rule. */
export interface SlowLoop {
  events: RestartEvent[];
  /** Median gap between the events (the loop's observed restart interval). */
  intervalMs: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The slow rule over the restart events of the current incarnation, oldest first; `lastPeriod` is
 * the start of the newest known period (how long the job has run since the last event).
 */
export function slowLoop(
  events: readonly RestartEvent[],
  lastPeriod: number,
  loop: HealerPolicy['loop'],
): SlowLoop | undefined {
  const n = Math.max(loop.minRestarts, loop.minPeriods);
  if (events.length < n) return undefined;
  const tail = events.slice(-n);
  const gaps = tail.slice(1).map((e, i) => e.t - tail[i]!.t);
  const shortest = Math.min(...gaps);
  const longest = Math.max(...gaps);
  if (longest > loop.maxIntervalMs) return undefined;
  if (longest > loop.stableRunFactor * shortest) return undefined;
  if (lastPeriod - tail[tail.length - 1]!.t > loop.stableRunFactor * longest) return undefined;
  return { events: tail, intervalMs: median(gaps) };
}

/**
 * How long a loop with this observed interval must stay quiet to be over: the larger of
 * `resolveAfterQuietPeriods` periods and `stableRunFactor` × the interval.
 */
export function stableRunMs(policy: HealerPolicy, intervalMs: number | undefined): number {
  const floor = policy.loop.resolveAfterQuietPeriods * policy.periodMs;
  if (intervalMs === undefined) return floor;
  return Math.max(
    floor,
    Math.ceil((policy.loop.stableRunFactor * intervalMs) / policy.periodMs) * policy.periodMs,
  );
}
