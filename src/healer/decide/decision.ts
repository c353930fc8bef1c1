/**
 * The policy's answer (docs/design.md §6, after cruise-control's AnomalyNotificationResult): a value with
 * a named reason for every guard and every rung of the ladder, recorded in the journal.
 */
import type { HealerAction } from '../action.js';
import type { Classification } from '../classifier.js';

/** Every reason the ladder can give; one per guard and per rung (docs/healer.md lists them). */
export const REASONS = [
  // nothing to do
  'no-anomaly',
  'maintenance',
  'restart-metric-unknown',
  // look again sooner
  'restarts-below-threshold',
  'system-fault-flink-restarting',
  'evidence-incomplete',
  // guards
  'healing-disabled-config',
  'healing-disabled-tag',
  'dry-run',
  'outside-allowed-hours',
  'action-in-flight',
  'cooldown',
  'action-budget-exhausted',
  'fleet-wide-event',
  'fleet-wide-event-forming',
  'target-locked',
  'gave-up',
  // the ladder
  'bad-deploy-rollback',
  'stuck-operation-rollback',
  'stuck-rollback-impossible',
  'rollback-impossible-force-stop',
  'rollback-did-not-heal-force-stop',
  'user-loop-persists-force-stop',
  'self-managed-redeploy',
  'user-fault-no-recent-change',
  'loop-predates-change',
  'config-changed-outside-lifecycle',
  'system-fault-persistent',
  'verdict-unknown',
  'force-stop-impossible',
  'operation-failed',
  'system-rollback-in-progress',
  'system-rollback-done',
  'subtasks-failing',
  'checkpoint-stall',
] as const;
export type Reason = (typeof REASONS)[number];

/** One way to restart a force-stopped application (StartApplication ApplicationRestoreConfiguration). */
export interface RestartOption {
  label: string;
  restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' | 'RESTORE_FROM_CUSTOM_SNAPSHOT' | 'SKIP_RESTORE_FROM_SNAPSHOT';
  snapshotName?: string;
  note: string;
}

/** What a human needs at 3 a.m.: what is wrong, why we think so, what was (not) done, what to do. */
export interface Diagnosis {
  summary: string;
  verdict?: 'user' | 'system' | 'unknown';
  classification?: Pick<Classification, 'verdict' | 'confidence' | 'subtype' | 'rootCause'>;
  evidence: string[];
  restartOptions?: RestartOption[];
}

export type Severity = 'critical' | 'warning' | 'info';

export type Decision =
  | { kind: 'ignore'; reason: Reason }
  | { kind: 'record'; reason: Reason; proposed: Exclude<Decision, { kind: 'record' }> }
  | { kind: 'wait'; afterMs: number; reason: Reason }
  | { kind: 'check'; afterMs: number; reason: Reason }
  | { kind: 'act'; action: HealerAction; reason: Reason; diagnosis: Diagnosis; thenPage?: Severity }
  | { kind: 'page'; severity: Severity; reason: Reason; diagnosis: Diagnosis };

/** `kind:reason`, the key under which decisions are deduplicated in the journal and notifications. */
export function decisionKey(d: Decision): string {
  return `${d.kind}:${d.reason}`;
}
