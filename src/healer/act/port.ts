/**
 * The small port through which the healer changes the world (docs/design.md §6). The live adapter over
 * the MSF and Flink REST probes is written by the daemon's integrator; this repo ships a fake
 * (tests) and the simulator's adapter.
 */
import type { FlinkApplicationInfo } from '../../domain/flink.js';
import type { Diagnosis, Reason, Severity } from '../decide/decision.js';

/** The application an action targets. */
export type ActionTarget = Pick<FlinkApplicationInfo, 'name' | 'kind' | 'applicationName' | 'region'>;

/** What a call returned: accepted (with the MSF operation id when there is one) or rejected. */
export type ActionResult =
  | { ok: true; operationId?: string }
  | { ok: false; error: { code: string; message: string; transient: boolean } };

/** A notification about an incident (one incident per loop: opened, updated, resolved). */
export interface HealerNotification {
  /** Dedup key of the incident (PagerDuty dedup_key). */
  incidentKey: string;
  app: string;
  event: 'trigger' | 'update' | 'resolve';
  severity: Severity;
  reason: Reason | 'resolved' | 'action-verified' | 'action-failed';
  summary: string;
  diagnosis?: Diagnosis;
}

export interface HealerActions {
  /** RollbackApplication {ApplicationName, CurrentApplicationVersionId}. */
  rollback(target: ActionTarget, currentVersionId: number): Promise<ActionResult>;
  /** StopApplication {ApplicationName, Force: true}: no snapshot is taken. */
  forceStop(target: ActionTarget): Promise<ActionResult>;
  /** Self-managed Flink: cancel the job and resubmit the previous jar from the last savepoint. */
  redeploySelfManaged(
    target: ActionTarget,
    opts: { jobId?: string; previousJarId?: string; savepointPath?: string },
  ): Promise<ActionResult>;
  /** Sends a notification (Slack, PagerDuty, SNS, webhook). Must not throw for delivery failures. */
  notify(n: HealerNotification): Promise<void>;
}
