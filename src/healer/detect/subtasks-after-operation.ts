import type { Anomaly } from '../anomaly.js';
import { type AppObservation, isoMs } from '../observation.js';
import type { DetectContext } from './context.js';
import { latestOperation } from './failed-operation.js';

/**
 * FAILING/CANCELED subtasks seen (presigned Flink REST) within `subtaskCheckWindow` after the last
 * operation ended. AWS advises polling subtasks right after an operation, not continuously, so this
 * detector only reads what the observer fetched after one.
 */
export function detectSubtasksAfterOperation(obs: AppObservation, ctx: DetectContext): Anomaly[] {
  const sub = obs.subtasks;
  if (!sub?.available) return [];
  const op = latestOperation(obs.operations);
  const end = isoMs(op?.endTime);
  if (op?.status !== 'SUCCESSFUL' || end === undefined) return [];
  if (sub.observedAt < end || sub.observedAt - end > ctx.policy.subtaskCheckWindowMs) return [];
  const t = sub.job.subtasks;
  const failing = (t.FAILED ?? 0) + (sub.job.state === 'FAILING' ? 1 : 0);
  const canceled = (t.CANCELED ?? 0) + (t.CANCELING ?? 0);
  if (failing + canceled === 0) return [];
  const total = Object.values(t).reduce((s, n) => s + (n ?? 0), 0);
  return [{ kind: 'subtasks-failing', afterOperation: op, failing, canceled, total }];
}
