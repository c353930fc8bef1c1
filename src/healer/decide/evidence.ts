/**
 * Facts the ladder derives from an observation: the recent change, whether a rollback is possible,
 * the restart options after a force-stop. Pure.
 */
import type { ApplicationOperation, ApplicationSnapshot } from '../../domain/flink.js';
import { ROLLBACK_STATUSES } from '../action.js';
import type { Incident } from '../incident.js';
import { actionsOfType } from '../incident.js';
import { type AppObservation, isoMs } from '../observation.js';
import type { RestartOption } from './decision.js';

/**
 * The successful UpdateApplication that produced the running version, if it ended within
 * `windowMs` before `now` and did not come after the loop had already started (then it may be a
 * fix attempt, not the cause). Unknown version ids do not disqualify it.
 */
export function recentSuccessfulUpdate(
  obs: AppObservation,
  now: number,
  windowMs: number,
  loopSince?: number,
  periodMs = 60_000,
): ApplicationOperation | undefined {
  const candidates = (obs.operations ?? [])
    .filter((o) => o.operation === 'UpdateApplication' && o.status === 'SUCCESSFUL')
    .map((o) => ({ o, t: isoMs(o.endTime) ?? isoMs(o.startTime) }))
    .filter(
      (x): x is { o: ApplicationOperation; t: number } =>
        x.t !== undefined && x.t <= now && now - x.t < windowMs,
    )
    .sort((a, b) => b.t - a.t);
  const latest = candidates[0];
  if (!latest) return undefined;
  const { o } = latest;
  if (o.versionTo !== undefined && obs.app.versionId !== undefined && o.versionTo !== obs.app.versionId)
    return undefined;
  const start = isoMs(o.startTime) ?? latest.t;
  if (loopSince !== undefined && loopSince + periodMs < start) return undefined;
  return o;
}

/** Whether RollbackApplication can be called now, and if not, why. */
export type RollbackFeasibility =
  | { ok: true; currentVersionId: number }
  | { ok: false; unknown: boolean; why: string };

/**
 * RollbackApplication needs status RUNNING/UPDATING/AUTOSCALING, at least one snapshot (it restores
 * the last one) and the current version id (ConcurrentModificationException otherwise); and this
 * incident must not have rolled back already (no ping-pong).
 */
export function rollbackFeasibility(
  obs: AppObservation,
  incident: Incident | undefined,
): RollbackFeasibility {
  if (actionsOfType(incident, 'rollback') > 0)
    return { ok: false, unknown: false, why: 'this incident already rolled back once (no ping-pong)' };
  if (!ROLLBACK_STATUSES.includes(obs.app.status))
    return { ok: false, unknown: false, why: `status ${obs.app.status} does not allow RollbackApplication` };
  if (obs.app.snapshotsEnabled === false)
    return { ok: false, unknown: false, why: 'snapshots are disabled: there is no snapshot to roll back to' };
  if (!obs.snapshots) return { ok: false, unknown: true, why: 'snapshots not observed' };
  if (obs.snapshots.count < 1)
    return {
      ok: false,
      unknown: false,
      why: 'the application has no snapshot: RollbackApplication would be rejected',
    };
  if (obs.app.versionId === undefined) return { ok: false, unknown: true, why: 'current version id unknown' };
  return { ok: true, currentVersionId: obs.app.versionId };
}

function snapshotTime(s: ApplicationSnapshot): number {
  return isoMs(s.createTime) ?? 0;
}

/**
 * The restart options a page offers after StopApplication Force=true (which takes no snapshot):
 * the latest snapshot, the last snapshot before the change, or skipping restore (state lost).
 */
export function restartOptions(obs: AppObservation, change?: ApplicationOperation): RestartOption[] {
  const snaps = [...(obs.snapshots?.items ?? (obs.snapshots?.latest ? [obs.snapshots.latest] : []))]
    .filter((s) => s.status === 'READY')
    .sort((a, b) => snapshotTime(b) - snapshotTime(a));
  const out: RestartOption[] = [];
  const latest = snaps[0];
  if (latest) {
    out.push({
      label: 'latest snapshot',
      restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT',
      snapshotName: latest.name,
      note: 'Keeps the most state; if the failure is in state or input, it may loop again.',
    });
  }
  const changeAt = isoMs(change?.startTime);
  const before = changeAt === undefined ? undefined : snaps.find((s) => snapshotTime(s) < changeAt);
  if (before) {
    out.push({
      label: 'snapshot before the change',
      restoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
      snapshotName: before.name,
      note: 'State as it was before the last UpdateApplication; input since then is reprocessed.',
    });
  }
  out.push({
    label: 'skip restore',
    restoreType: 'SKIP_RESTORE_FROM_SNAPSHOT',
    note: 'Starts without state: data loss for stateful operators.',
  });
  return out;
}
