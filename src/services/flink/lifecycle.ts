import type { Config } from '../../config/schema.js';
import { systemClock } from '../../core/clock.js';
import { refused } from '../../core/errors.js';
import type { ApplicationOperation, ApplicationSnapshot } from '../../domain/flink.js';
import { FORCE_STOP_STATUSES, ROLLBACK_STATUSES } from '../../healer/action.js';
import { restartOptions } from '../../healer/decide/evidence.js';
import type { ManagedApplicationDetail, OperationStarted } from '../../probes/managed-flink/port.js';
import { appTarget, type FlinkPorts, requireManaged } from './context.js';
import type { LifecyclePlan } from './lifecycle-plan.js';

export type { LifecyclePlan } from './lifecycle-plan.js';

export function planRollback(
  detail: ManagedApplicationDetail,
  snapshots: ApplicationSnapshot[],
  name: string,
): LifecyclePlan {
  const refusals: string[] = [];
  const ready = readySorted(snapshots);
  if (!ROLLBACK_STATUSES.includes(detail.status))
    refusals.push(`status is ${detail.status}; RollbackApplication needs ${ROLLBACK_STATUSES.join(', ')}`);
  if (detail.snapshotsEnabled === false)
    refusals.push('snapshots are disabled: there is no snapshot to restore the previous version from');
  else if (ready.length === 0)
    refusals.push(
      'the application has no READY snapshot: RollbackApplication restores from the last successful snapshot and would be rejected',
    );
  // A version made by a rollback has no "previous" to go back to but the failed one (no ping-pong).
  const rolledBack = detail.versionRolledBackFrom !== undefined && detail.versionUpdatedFrom === undefined;
  const previous = rolledBack
    ? undefined
    : (detail.versionUpdatedFrom ?? (detail.versionId > 1 ? detail.versionId - 1 : undefined));
  if (rolledBack) {
    refusals.push(
      `version ${detail.versionId} is the result of a rollback from version ${detail.versionRolledBackFrom}: rolling back again would return to the failed version — fix forward (UpdateApplication) or restart from a snapshot`,
    );
  } else if (previous === undefined)
    refusals.push(`version ${detail.versionId} has no previous version to roll back to`);
  const latest = ready[0];
  const explanation = [
    `RollbackApplication on ${detail.applicationName} (version ${detail.versionId}, ${detail.status}).`,
    `MSF restores the previous application version${previous === undefined ? '' : ` (${previous})`}: its code and configuration.`,
    latest
      ? `State is restored from the latest snapshot ${latest.name}${latest.createTime ? ` (${latest.createTime})` : ''}; input after it is reprocessed.`
      : 'No snapshot to restore from.',
    'The application goes ROLLING_BACK, then RUNNING; streamctl then polls the subtasks (with --wait).',
  ];
  return {
    app: name,
    action: 'rollback',
    allowed: refusals.length === 0,
    refusals,
    explanation,
    status: detail.status,
    currentVersionId: detail.versionId,
    ...(latest ? { latestSnapshot: latest } : {}),
  };
}

export function planForceStop(
  detail: ManagedApplicationDetail,
  snapshots: ApplicationSnapshot[],
  operations: ApplicationOperation[],
  name: string,
  now: number,
): LifecyclePlan {
  const refusals: string[] = [];
  if (!FORCE_STOP_STATUSES.includes(detail.status))
    refusals.push(
      `status is ${detail.status}; StopApplication Force=true needs ${FORCE_STOP_STATUSES.join(', ')}`,
    );
  const ready = readySorted(snapshots);
  const latest = ready[0];
  const change = operations.find((o) => o.operation === 'UpdateApplication' && o.status === 'SUCCESSFUL');
  const options = restartOptions(
    {
      app: detail,
      observedAt: now,
      snapshots: { count: ready.length, items: ready, ...(latest ? { latest } : {}) },
    },
    change,
  );
  return {
    app: name,
    action: 'force-stop',
    allowed: refusals.length === 0,
    refusals,
    explanation: [
      `StopApplication Force=true on ${detail.applicationName} (${detail.status}).`,
      'NO SNAPSHOT IS TAKEN: state since the last snapshot is not saved.',
      latest
        ? `The latest snapshot is ${latest.name}${latest.createTime ? ` (${latest.createTime})` : ''}.`
        : 'There is no snapshot: restarting loses all state.',
      'The application goes FORCE_STOPPING, then READY. Restart it with one of the options below (StartApplication).',
    ],
    status: detail.status,
    currentVersionId: detail.versionId,
    ...(latest ? { latestSnapshot: latest } : {}),
    restartOptions: options,
  };
}

function readySorted(snapshots: ApplicationSnapshot[]): ApplicationSnapshot[] {
  return snapshots
    .filter((s) => s.status === 'READY')
    .sort((a, b) => Date.parse(b.createTime ?? '0') - Date.parse(a.createTime ?? '0'));
}

/** Observes the application and plans the action (no change is made). */
export async function prepare(
  config: Config,
  ports: FlinkPorts,
  name: string,
  action: 'rollback' | 'force-stop',
  now: number,
): Promise<LifecyclePlan> {
  const t = appTarget(config, name);
  if (t.kind === 'self-managed') {
    const { prepareSelfManaged } = await import('./self-managed-lifecycle.js');
    return prepareSelfManaged(t, ports, action, systemClock);
  }
  const appName = requireManaged(t, `flink ${action}`);
  const msf = ports.msf(t.region);
  const [detail, snaps, ops] = await Promise.all([
    msf.describeApplication(appName),
    msf.listSnapshots(appName),
    action === 'force-stop' ? msf.listOperations(appName) : Promise.resolve([]),
  ]);
  return action === 'rollback'
    ? planRollback(detail, snaps, t.name)
    : planForceStop(detail, snaps, ops, t.name, now);
}

/** Performs a planned action. Refuses (exit 75) when the plan is not allowed. */
export async function perform(
  config: Config,
  ports: FlinkPorts,
  plan: LifecyclePlan,
): Promise<OperationStarted> {
  if (!plan.allowed) throw refused(`${plan.action} of ${plan.app} refused: ${plan.refusals.join('; ')}`);
  const t = appTarget(config, plan.app);
  if (t.kind === 'self-managed') {
    const { performSelfManaged } = await import('./self-managed-lifecycle.js');
    return performSelfManaged(t, plan);
  }
  const appName = requireManaged(t, `flink ${plan.action}`);
  const msf = ports.msf(t.region);
  return plan.action === 'rollback'
    ? msf.rollback(appName, { currentVersionId: plan.currentVersionId! })
    : msf.stop(appName, { force: true });
}
