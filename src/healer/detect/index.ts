import type { Anomaly } from '../anomaly.js';
import type { AppObservation } from '../observation.js';
import { detectCheckpointStall } from './checkpoint-stall.js';
import type { DetectContext } from './context.js';
import { detectFailedOperation } from './failed-operation.js';
import { detectRestartLoop } from './restart-loop.js';
import { detectStuckUpdate } from './stuck-update.js';
import { detectSubtasksAfterOperation } from './subtasks-after-operation.js';

export type { DetectContext } from './context.js';

/** Every detector, in a fixed order. Each is pure: (observation, context) => Anomaly[]. */
export const DETECTORS = [
  detectRestartLoop,
  detectStuckUpdate,
  detectFailedOperation,
  detectSubtasksAfterOperation,
  detectCheckpointStall,
] as const;

/** Runs every detector on one observation. */
export function detectAll(obs: AppObservation, ctx: DetectContext): Anomaly[] {
  return DETECTORS.flatMap((d) => d(obs, ctx));
}
