import type { Anomaly } from '../anomaly.js';
import type { AppObservation } from '../observation.js';
import type { DetectContext } from './context.js';

/**
 * No completed checkpoint for `checkpointStallAfter` while RUNNING with checkpointing enabled.
 * Unknown (`lastCheckpointAt` undefined) is not a stall; a job that never completed one since it
 * started running is measured from `runningSince`.
 */
export function detectCheckpointStall(obs: AppObservation, ctx: DetectContext): Anomaly[] {
  if (obs.app.status !== 'RUNNING' || obs.app.checkpointingEnabled === false) return [];
  if (obs.lastCheckpointAt === undefined) return [];
  const ref = obs.lastCheckpointAt ?? obs.runningSince;
  if (ref === undefined) return [];
  const forMs = ctx.now - ref;
  if (forMs < ctx.policy.checkpointStallAfterMs) return [];
  return [{ kind: 'checkpoint-stall', lastCompletedAt: obs.lastCheckpointAt, forMs }];
}
