import type { Anomaly } from '../anomaly.js';
import { type AppObservation, isoMs } from '../observation.js';
import type { DetectContext } from './context.js';

const STUCK_STATUSES = ['UPDATING', 'AUTOSCALING'] as const;

/**
 * An application UPDATING or AUTOSCALING past `stuckTimeout`. The start is the earliest of the
 * in-progress operation's StartTime and the first tick that saw the status (the healer state), so a
 * daemon restart does not reset the clock when the operation is known.
 */
export function detectStuckUpdate(obs: AppObservation, ctx: DetectContext): Anomaly[] {
  const status = obs.app.status;
  if (status !== 'UPDATING' && status !== 'AUTOSCALING') return [];
  const inProgress = (obs.operations ?? [])
    .filter((o) => o.status === 'IN_PROGRESS')
    .map((o) => isoMs(o.startTime))
    .filter((t): t is number => t !== undefined);
  const candidates = [...inProgress, ...(ctx.statusSince !== undefined ? [ctx.statusSince] : [])];
  if (candidates.length === 0) return [];
  const since = Math.min(...candidates);
  const forMs = ctx.now - since;
  if (forMs < ctx.policy.stuckTimeoutMs) return [];
  return [{ kind: 'stuck-operation', status: status as (typeof STUCK_STATUSES)[number], since, forMs }];
}
