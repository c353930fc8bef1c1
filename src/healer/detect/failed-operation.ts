import type { ApplicationOperation } from '../../domain/flink.js';
import type { Anomaly } from '../anomaly.js';
import { type AppObservation, isoMs } from '../observation.js';
import type { DetectContext } from './context.js';

/** The most recent operation by start time (operations may come in any order). */
export function latestOperation(
  ops: readonly ApplicationOperation[] | undefined,
): ApplicationOperation | undefined {
  let best: ApplicationOperation | undefined;
  let bestT = Number.NEGATIVE_INFINITY;
  for (const op of ops ?? []) {
    const t = isoMs(op.startTime) ?? Number.NEGATIVE_INFINITY;
    if (t >= bestT) {
      best = op;
      bestT = t;
    }
  }
  return best;
}

/**
 * The last operation FAILED (recently: within `recentChangeWindow` of its end). MSF system rollback
 * covers failed operations before RUNNING when enabled; the anomaly says what it did, so the ladder
 * records a failure the platform already healed and pages one it did not.
 */
export function detectFailedOperation(obs: AppObservation, ctx: DetectContext): Anomaly[] {
  // A system rollback triggered by a failed operation is part of that failure, not a newer operation.
  const systemRollbacks = new Set(
    (obs.operations ?? []).map((o) => o.rollbackOperationId).filter((id): id is string => id !== undefined),
  );
  const op = latestOperation(obs.operations?.filter((o) => !systemRollbacks.has(o.operationId)));
  if (op?.status !== 'FAILED') return [];
  const t = isoMs(op.endTime) ?? isoMs(op.startTime);
  if (t === undefined || ctx.now - t >= ctx.policy.recentChangeWindowMs) return [];
  return [{ kind: 'failed-operation', operation: op, systemRollback: systemRollbackOf(obs, op) }];
}

/**
 * What MSF's own system rollback did about a failed operation (OperationFailureDetails
 * .RollbackOperationId, then that operation's status in ListApplicationOperations). A referenced
 * operation not listed (yet) is still in progress as far as we know: never "done" without proof.
 */
export function systemRollbackOf(
  obs: AppObservation,
  op: ApplicationOperation,
): 'done' | 'in-progress' | 'failed' | 'none' {
  if (!op.rollbackOperationId) return 'none';
  const rb = obs.operations?.find((o) => o.operationId === op.rollbackOperationId);
  if (!rb || rb.status === 'IN_PROGRESS') return 'in-progress';
  return rb.status === 'SUCCESSFUL' ? 'done' : 'failed';
}
