import type { Anomaly } from '../anomaly.js';
import type { AppObservation } from '../observation.js';
import type { HealerPolicy } from '../policy.js';
import type { DetectContext } from './context.js';

/**
 * How long without a completed checkpoint is a stall for this application: the per-application
 * setting, else the global one, else max(checkpointStallMin, checkpointStallIntervals × the
 * checkpoint interval read from the application's configuration). A fixed 30 minutes was too late
 * for a job checkpointing every minute and too early for one checkpointing every 10 minutes; the
 * Flink Kubernetes Operator alarms after 5 minutes without checkpoint progress
 * (kubernetes.operator.cluster.health-check.checkpoint-progress). An unknown interval uses the
 * floor (MSF's default interval is 60 s, so the floor is what it would give).
 */
export function checkpointStallThreshold(obs: AppObservation, policy: HealerPolicy): number {
  const own = obs.healing?.checkpointStallAfterMs ?? policy.checkpointStall.afterMs;
  if (own !== undefined) return own;
  const interval = obs.app.checkpointIntervalMs;
  const scaled = interval && interval > 0 ? policy.checkpointStall.intervals * interval : 0;
  return Math.max(policy.checkpointStall.minMs, scaled);
}

/**
 * No completed checkpoint for the stall threshold while RUNNING with checkpointing enabled.
 * Unknown (`lastCheckpointAt` undefined) is not a stall; a job that never completed one since it
 * started running is measured from `runningSince`.
 */
export function detectCheckpointStall(obs: AppObservation, ctx: DetectContext): Anomaly[] {
  if (obs.app.status !== 'RUNNING' || obs.app.checkpointingEnabled === false) return [];
  if (obs.lastCheckpointAt === undefined) return [];
  const ref = obs.lastCheckpointAt ?? obs.runningSince;
  if (ref === undefined) return [];
  const forMs = ctx.now - ref;
  const thresholdMs = checkpointStallThreshold(obs, ctx.policy);
  if (forMs < thresholdMs) return [];
  return [{ kind: 'checkpoint-stall', lastCompletedAt: obs.lastCheckpointAt, forMs, thresholdMs }];
}
