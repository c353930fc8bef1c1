/**
 * Runbook: an MSF application stuck UPDATING or AUTOSCALING. Diagnose from DescribeApplication
 * and the operations (which one is in progress, since when, did the last one fail), compare with
 * healer.stuckTimeout; then offer: wait (not stuck yet), roll back (allowed while UPDATING /
 * AUTOSCALING, needs a snapshot), or force-stop (takes no snapshot) when rollback is refused.
 */

import { formatDuration } from '../core/output.js';
import type { Severity } from '../core/severity.js';
import type { ApplicationOperation } from '../domain/flink.js';
import { policyFromConfig } from '../healer/policy.js';
import { appTarget, requireManaged } from '../services/flink/context.js';
import { type LifecycleView, lifecycleViews, performLifecycle, verifyLifecycle } from './flink-io.js';
import type { FindingLine, Runbook, RunbookOption } from './types.js';

/** Statuses an update or a scaling event passes through. */
export const SETTLING_STATUSES = ['UPDATING', 'AUTOSCALING'] as const;

export interface StuckUpdateDiagnosis {
  app: string;
  status: string;
  versionId: number;
  /** The operation in progress, if MSF lists one. */
  inProgress?: { operation: string; operationId: string; startTime?: string };
  /** How long the application has been in this status (undefined: unknown). */
  elapsedMs?: number;
  stuckTimeoutMs: number;
  lastFailed?: { operation: string; error?: string };
  rollback: LifecycleView;
  forceStop: LifecycleView;
}

/** Stuck means settling for at least the timeout (exactly the timeout counts as stuck). */
export function isStuck(
  d: Pick<StuckUpdateDiagnosis, 'status' | 'elapsedMs' | 'stuckTimeoutMs'>,
): boolean | undefined {
  if (!(SETTLING_STATUSES as readonly string[]).includes(d.status)) return false;
  if (d.elapsedMs === undefined) return undefined;
  return d.elapsedMs >= d.stuckTimeoutMs;
}

export const stuckUpdate: Runbook<StuckUpdateDiagnosis> = {
  id: 'stuck-update',
  title: 'Flink application stuck UPDATING / AUTOSCALING',
  target: 'app',
  when: 'An MSF application has been UPDATING or AUTOSCALING for longer than it should (healer.stuckTimeout, default 20m).',
  steps: {
    diagnose: 'Read the status, the operation in progress and how long it has run',
    explain: 'Explain whether it is stuck and the options: wait, roll back or force-stop',
    confirm: 'Confirm the chosen action',
    act: 'Roll back or force-stop the application',
    verify: 'Poll the subtasks until all RUNNING (or the application is READY)',
  },

  async diagnose(ctx, app) {
    const t = appTarget(ctx.config, app);
    const name = requireManaged(t, 'runbook stuck-update');
    const msf = ctx.flinkPorts().msf(t.region);
    const [detail, ops] = await Promise.all([
      msf.describeApplication(name, { tags: false }),
      msf.listOperations(name).catch(() => [] as ApplicationOperation[]),
    ]);
    const now = ctx.clock.now();
    const inProgress = ops.find((o) => o.status === 'IN_PROGRESS');
    // Only the operation in progress tells since when: LastUpdateTimestamp may be far older than
    // an AWS-initiated AUTOSCALING, and guessing "stuck" from it would roll back a healthy scale-out.
    const sinceMs = inProgress?.startTime ? Date.parse(inProgress.startTime) : Number.NaN;
    const failed = ops.find((o) => o.status === 'FAILED');
    const failedDetail =
      failed && !failed.errorString
        ? await msf.describeOperation(name, failed.operationId).catch(() => failed)
        : failed;
    const views = await lifecycleViews(ctx, app);
    return {
      app: t.name,
      status: detail.status,
      versionId: detail.versionId,
      ...(inProgress
        ? {
            inProgress: {
              operation: inProgress.operation,
              operationId: inProgress.operationId,
              ...(inProgress.startTime ? { startTime: inProgress.startTime } : {}),
            },
          }
        : {}),
      ...(Number.isFinite(sinceMs) ? { elapsedMs: Math.max(0, now - sinceMs) } : {}),
      stuckTimeoutMs: policyFromConfig(ctx.config.healer).stuckTimeoutMs,
      ...(failedDetail
        ? {
            lastFailed: {
              operation: failedDetail.operation,
              ...(failedDetail.errorString ? { error: failedDetail.errorString } : {}),
            },
          }
        : {}),
      rollback: views.rollback,
      forceStop: views.forceStop,
    };
  },

  findings: stuckUpdateFindings,
  options: stuckUpdateOptions,

  async act(ctx, d, option) {
    if (option.id === 'rollback') return performLifecycle(ctx, d.rollback, `RollbackApplication of ${d.app}`);
    if (option.id === 'force-stop')
      return performLifecycle(ctx, d.forceStop, `StopApplication Force=true of ${d.app}`);
    return { summary: 'nothing changed', lines: option.consequences };
  },

  async verify(ctx, d, option, act) {
    if (option.id === 'rollback') return verifyLifecycle(ctx, d.app, 'running', act);
    if (option.id === 'force-stop') return verifyLifecycle(ctx, d.app, 'stopped', act);
    return { outcome: 'not-needed', summary: 'nothing was changed; run the runbook again later', lines: [] };
  },
};

/** What the diagnosis shows (pure). */
export function stuckUpdateFindings(d: StuckUpdateDiagnosis): FindingLine[] {
  const out: FindingLine[] = [];
  const stuck = isStuck(d);
  const op = d.inProgress
    ? `${d.inProgress.operation} (${d.inProgress.operationId})`
    : 'no operation listed as in progress';
  if (stuck === false && !(SETTLING_STATUSES as readonly string[]).includes(d.status)) {
    out.push({ severity: 'OK', text: `status is ${d.status}: not updating or autoscaling` });
  } else if (stuck === undefined) {
    out.push({ severity: 'UNKNOWN', text: `${d.status}, but since when is unknown; ${op}` });
  } else {
    const sev: Severity = stuck ? 'CRITICAL' : 'WARNING';
    out.push({
      severity: sev,
      text: `${d.status} for ${formatDuration(d.elapsedMs)} (${stuck ? 'stuck: past' : 'within'} the ${formatDuration(d.stuckTimeoutMs)} timeout); ${op}`,
    });
  }
  if (d.lastFailed)
    out.push({
      severity: 'WARNING',
      text: `last failed operation: ${d.lastFailed.operation}${d.lastFailed.error ? ` — ${d.lastFailed.error}` : ''}`,
    });
  out.push({
    severity: d.rollback.allowed ? 'OK' : 'WARNING',
    text: d.rollback.allowed
      ? `rollback possible (latest snapshot ${d.rollback.latestSnapshot ?? '?'})`
      : `rollback impossible: ${d.rollback.refusals.join('; ')}`,
  });
  return out;
}

/** The options given the diagnosis (pure): the ladder's step 5 (stuck → roll back), else force-stop. */
export function stuckUpdateOptions(d: StuckUpdateDiagnosis): RunbookOption[] {
  const stuck = isStuck(d);
  return [
    {
      id: 'rollback',
      title: 'Roll back to the previous version (RollbackApplication)',
      mode: 'automatic',
      destructive: true,
      available: d.rollback.allowed,
      ...(d.rollback.allowed ? {} : { unavailableReason: d.rollback.refusals.join('; ') }),
      recommended: stuck === true && d.rollback.allowed,
      consequences: [
        'Abandons the update: the previous version (code and configuration) runs again.',
        d.rollback.latestSnapshot
          ? `Needs a snapshot: state is restored from ${d.rollback.latestSnapshot}.`
          : 'Needs a snapshot: rejected without one.',
        'The change has to be fixed and deployed again later.',
      ],
    },
    {
      id: 'force-stop',
      title: 'Force-stop the application (StopApplication Force=true)',
      mode: 'automatic',
      destructive: true,
      available: d.forceStop.allowed,
      ...(d.forceStop.allowed ? {} : { unavailableReason: d.forceStop.refusals.join('; ') }),
      recommended: stuck === true && !d.rollback.allowed && d.forceStop.allowed,
      consequences: [
        'Takes NO snapshot: state since the last snapshot is not saved.',
        'The application ends READY (stopped) and must be started again.',
        ...(d.forceStop.restartOptions ?? []).map((o) => `Restart option — ${o.label}: ${o.note}`),
      ],
    },
    {
      id: 'wait',
      title: stuck === false ? 'Wait: the operation is still within its normal time' : 'Wait longer',
      mode: 'none',
      destructive: false,
      available: true,
      recommended: stuck === false,
      consequences: [
        'Nothing changes. Updates and scaling usually finish in minutes; a rollback or force-stop cuts them short.',
      ],
    },
  ];
}
