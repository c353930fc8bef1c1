/**
 * What `/healthz` says, from the tick loop's state. Unhealthy (503), the most serious first:
 *  - `journal-fault`: the journal cannot be opened or written; the daemon refuses to act;
 *  - `stalled`: a tick has run past `healer.daemon.tickDeadline` (an endpoint that never answers
 *    wedges it: before, /healthz said "starting" or "ok" the whole time);
 *  - `failing`: `unhealthyAfterFailedTicks` ticks in a row failed.
 * Healthy (200): `starting` before the first tick ends, `ok` after. `reason` says why in words.
 */
import type { HealthView } from './server.js';

/** The tick loop's state that /healthz reads. */
export interface Health {
  consecutiveFailed: number;
  lastTickAt?: number;
  lastSuccessAt?: number;
  lastError?: string;
  /** When the tick in progress started (undefined between ticks). */
  tickStartedAt?: number;
  /** Why the journal is unusable (the JournalGuard's fault). */
  journalFault?: string;
}

export interface HealthLimits {
  failLimit: number;
  tickDeadlineMs: number;
  mode: 'dry-run' | 'act';
}

/** The /healthz answer at `now`. */
export function healthView(h: Health, now: number, limits: HealthLimits): HealthView {
  const running = h.tickStartedAt === undefined ? 0 : now - h.tickStartedAt;
  const base = {
    consecutiveFailedTicks: h.consecutiveFailed,
    ...(h.lastTickAt !== undefined ? { lastTickAt: new Date(h.lastTickAt).toISOString() } : {}),
    ...(h.lastSuccessAt !== undefined ? { lastSuccessAt: new Date(h.lastSuccessAt).toISOString() } : {}),
    ...(h.lastError ? { lastError: h.lastError } : {}),
    mode: limits.mode,
  };
  if (h.journalFault)
    return {
      ok: false,
      status: 'journal-fault',
      reason: `refusing to act: ${h.journalFault}`,
      ...base,
    };
  if (running > limits.tickDeadlineMs)
    return {
      ok: false,
      status: 'stalled',
      reason: `the tick started at ${new Date(h.tickStartedAt!).toISOString()} has run ${Math.round(running / 1000)} s, past its deadline of ${Math.round(limits.tickDeadlineMs / 1000)} s (healer.daemon.tickDeadline)`,
      ...base,
    };
  if (h.consecutiveFailed >= limits.failLimit)
    return {
      ok: false,
      status: 'failing',
      reason: `${h.consecutiveFailed} ticks in a row failed${h.lastError ? `; last: ${h.lastError}` : ''}`,
      ...base,
    };
  return {
    ok: true,
    status: h.lastSuccessAt === undefined && h.consecutiveFailed === 0 ? 'starting' : 'ok',
    ...base,
  };
}
