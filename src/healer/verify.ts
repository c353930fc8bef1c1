/**
 * Pure evaluation of the observations after an action (docs/design.md §4 "verify"):
 * 1. wait for the application to settle (RUNNING after a rollback or a redeploy, READY after a
 *    force-stop), within `verify.settleTimeout`;
 * 2. then read the subtasks polled over presigned Flink REST after settling: all RUNNING = healed,
 *    any FAILED/CANCELED/CANCELING (or the job FAILING/RESTARTING) = failed, otherwise keep waiting;
 * 3. when the dashboard is unavailable (CreateApplicationPresignedUrl refused, 403, or not RUNNING),
 *    fall back to the status and the restart counter: `fallbackQuietPeriods` known periods without
 *    restarts after settling (at least the loop's stable run) = healed; a loop again = failed;
 * 4. past `verify.timeout` = failed.
 */

import { restartsPerPeriod } from '../domain/restart-counter.js';
import { stableRunMs } from './detect/loop-rhythm.js';
import type { AppObservation } from './observation.js';
import type { HealerPolicy } from './policy.js';
import type { InFlightAction } from './state.js';

export type VerifyResult =
  | {
      kind: 'pending';
      reason: 'settling' | 'awaiting-subtasks' | 'awaiting-quiet-periods';
      settledAt?: number;
    }
  | {
      kind: 'healed';
      via: 'subtasks' | 'status-and-metrics' | 'stopped';
      evidence: string;
      settledAt: number;
    }
  | {
      kind: 'failed';
      reason: 'subtasks-failing' | 'restarts-continue' | 'settle-timeout' | 'verify-timeout';
      evidence: string;
    };

const SETTLED: Record<InFlightAction['action']['type'], string> = {
  rollback: 'RUNNING',
  'self-managed-redeploy': 'RUNNING',
  'force-stop': 'READY',
};

/**
 * Evaluates one post-action observation. Pure: `now` and the action's settle time come in.
 * `loopIntervalMs` (the loop's observed rhythm) lengthens the fallback's quiet proof: a loop that
 * restarted every 5 minutes is not healed by 3 quiet minutes.
 */
export function verifyAction(
  action: InFlightAction,
  obs: AppObservation,
  policy: HealerPolicy,
  now: number,
  loopIntervalMs?: number,
): VerifyResult {
  const elapsed = now - action.startedAt;
  const target = SETTLED[action.action.type];
  let settledAt = action.settledAt;
  if (settledAt === undefined && obs.app.status === target) settledAt = now;

  if (settledAt === undefined) {
    if (elapsed >= policy.verify.settleTimeoutMs) {
      return {
        kind: 'failed',
        reason: 'settle-timeout',
        evidence: `status ${obs.app.status} ${Math.round(elapsed / 1000)} s after the action (expected ${target})`,
      };
    }
    return { kind: 'pending', reason: 'settling' };
  }
  if (action.action.type === 'force-stop') {
    return {
      kind: 'healed',
      via: 'stopped',
      evidence: 'status READY: the application is stopped (no snapshot was taken)',
      settledAt,
    };
  }
  if (elapsed >= policy.verify.timeoutMs) {
    return {
      kind: 'failed',
      reason: 'verify-timeout',
      evidence: `not verified ${Math.round(elapsed / 1000)} s after the action`,
    };
  }

  const sub = obs.subtasks;
  if (sub?.available && sub.observedAt >= settledAt) return bySubtasks(sub, settledAt);
  // Fallback: status and restart metrics over the periods after settling.
  if (obs.app.status !== target) return { kind: 'pending', reason: 'settling', settledAt };
  const byMetrics = obs.restarts && byRestarts(obs.restarts, settledAt, target, policy, loopIntervalMs);
  return (
    byMetrics || {
      kind: 'pending',
      reason: sub?.available ? 'awaiting-subtasks' : 'awaiting-quiet-periods',
      settledAt,
    }
  );
}

/** Flink REST after settling: any subtask failing fails; all RUNNING (or FINISHED) heals. */
function bySubtasks(
  sub: Extract<AppObservation['subtasks'], { available: true }>,
  settledAt: number,
): VerifyResult {
  const t = sub.job.subtasks;
  const bad = (t.FAILED ?? 0) + (t.CANCELED ?? 0) + (t.CANCELING ?? 0);
  if (bad > 0 || sub.job.state === 'FAILING' || sub.job.state === 'RESTARTING') {
    return {
      kind: 'failed',
      reason: 'subtasks-failing',
      evidence: `job ${sub.job.state}, subtasks ${JSON.stringify(t)}`,
    };
  }
  const total = Object.values(t).reduce((s, n) => s + (n ?? 0), 0);
  if (total > 0 && (t.RUNNING ?? 0) + (t.FINISHED ?? 0) === total && (t.RUNNING ?? 0) > 0) {
    return { kind: 'healed', via: 'subtasks', evidence: `all ${t.RUNNING} subtasks RUNNING`, settledAt };
  }
  return { kind: 'pending', reason: 'awaiting-subtasks', settledAt };
}

/**
 * The restart counter after settling, when the dashboard is unavailable: two restarts fail (one can
 * be a blip); enough quiet periods heal; otherwise undefined (keep waiting).
 */
function byRestarts(
  restarts: NonNullable<AppObservation['restarts']>,
  settledAt: number,
  target: string,
  policy: HealerPolicy,
  loopIntervalMs: number | undefined,
): VerifyResult | undefined {
  const after = { ...restarts, points: restarts.points.filter((p) => p.t + restarts.periodMs > settledAt) };
  const periods = restartsPerPeriod(after);
  const quietKnown = periods.filter((p) => p.restarts === 0).length;
  const restartsAfter = periods.reduce((s, p) => s + (p.restarts ?? 0), 0);
  if (restartsAfter >= 2) {
    return {
      kind: 'failed',
      reason: 'restarts-continue',
      evidence: `${restartsAfter} restarts after settling (dashboard unavailable)`,
    };
  }
  const quietNeeded = Math.max(
    policy.verify.fallbackQuietPeriods,
    loopIntervalMs === undefined ? 0 : Math.ceil(stableRunMs(policy, loopIntervalMs) / policy.periodMs),
  );
  if (restartsAfter === 0 && quietKnown >= quietNeeded) {
    return {
      kind: 'healed',
      via: 'status-and-metrics',
      evidence: `status ${target} and ${quietKnown} periods without restarts (dashboard unavailable)`,
      settledAt,
    };
  }
  return undefined;
}
