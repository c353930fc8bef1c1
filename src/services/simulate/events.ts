/**
 * How each scenario event changes the simulated world (docs/scenarios.md "Events").
 */
import type { Scenario, ScenarioEvent } from './scenario.js';
import { MAINTENANCE_TEXT, type SimApp } from './sim-app.js';

/**
 * The parts of the simulated world an event changes (SimWorld, world.ts, has them): declared here
 * so that events.ts does not import world.ts, which imports it.
 */
export interface EventWorld {
  readonly scenario: Scenario;
  readonly locks: { from: number; to: number; kind: 'rebalance' | 'streamctl-action'; holder: string }[];
  readonly externalChanges: { t: number; kind: 'iam' | 'endpoint' | 'network'; detail: string }[];
  readonly dashboardLog: { t: number; available: boolean }[];
}

/** The payload of one kind of scenario event. */
type EventOf<K extends string> = ScenarioEvent extends infer E
  ? E extends Record<K, infer P>
    ? P
    : never
  : never;

/** Schedules or applies one event on one app. */
export function applyScenarioEvent(world: EventWorld, app: SimApp, e: ScenarioEvent): void {
  const at = e.at;
  if ('update' in e) scheduleUpdate(app, at, e.update);
  else if ('updateFails' in e) scheduleFailedUpdate(world, app, at, e.updateFails);
  else if ('stuck' in e) {
    app.schedule(at, () => {
      app.setStatus(at, e.stuck.status);
      app.addOperation({
        operation: e.stuck.status === 'UPDATING' ? 'UpdateApplication' : 'Autoscaling',
        status: 'IN_PROGRESS',
        startTime: new Date(at).toISOString(),
        versionFrom: app.versionId,
        versionTo: app.versionId + 1,
      });
    });
  } else if ('loop' in e) {
    app.loops.push({
      from: at,
      every: e.loop.every,
      endsAt: e.loop.until ?? Number.POSITIVE_INFINITY,
      cause: e.loop.cause,
      exception: e.loop.exception,
      truth: true,
    });
  } else if ('restarts' in e) {
    for (let k = 0; k < e.restarts.count; k++)
      app.explicitRestarts.push({
        t: at + k * e.restarts.spacing,
        cause: e.restarts.cause,
        text: e.restarts.exception,
      });
  } else if ('maintenance' in e) scheduleMaintenance(app, at, e.maintenance);
  else if ('lock' in e) {
    world.locks.push({ from: at, to: at + e.lock.for, kind: e.lock.kind, holder: e.lock.holder });
  } else if ('externalChange' in e) {
    world.externalChanges.push({ t: at, ...e.externalChange });
  } else if ('checkpointsStop' in e) {
    app.checkpointsStopAt = at;
  } else if ('dashboard' in e) {
    world.dashboardLog.push({ t: at, available: e.dashboard === 'available' });
  }
}

/** UpdateApplication to a new version: a snapshot before it (when enabled), RUNNING after. */
function scheduleUpdate(app: SimApp, at: number, u: EventOf<'update'>): void {
  const { toVersion, duration } = u;
  app.schedule(at, () => {
    const from = app.versionId;
    app.setStatus(at, 'UPDATING');
    if (app.snapshotsEnabled)
      app.snapshots.push({
        name: `${app.name}-snap-before-v${toVersion}`,
        status: 'READY',
        versionId: from,
        createTime: new Date(at).toISOString(),
      });
    const op = app.addOperation({
      operation: 'UpdateApplication',
      status: 'IN_PROGRESS',
      startTime: new Date(at).toISOString(),
      versionFrom: from,
      versionTo: toVersion,
    });
    app.schedule(at + duration, () => {
      op.status = 'SUCCESSFUL';
      op.endTime = new Date(at + duration).toISOString();
      app.versionId = toVersion;
      app.resets.push(at + duration);
      app.setStatus(at + duration, 'RUNNING');
    });
  });
}

/** An update that fails; MSF rolls it back only when the application opted in to system rollback. */
function scheduleFailedUpdate(world: EventWorld, app: SimApp, at: number, u: EventOf<'updateFails'>): void {
  const { duration, error, systemRollback } = u;
  app.schedule(at, () => {
    app.setStatus(at, 'UPDATING');
    const op = app.addOperation({
      operation: 'UpdateApplication',
      status: 'IN_PROGRESS',
      startTime: new Date(at).toISOString(),
      versionFrom: app.versionId,
      versionTo: app.versionId + 1,
    });
    app.schedule(at + duration, () => {
      op.status = 'FAILED';
      op.endTime = new Date(at + duration).toISOString();
      op.errorString = error.slice(0, 512);
      // MSF rolls a failed update back only when the application opted in (app.systemRollback).
      if (systemRollback && world.scenario.app.systemRollback) {
        const rb = app.addOperation({
          operation: 'RollbackApplication',
          status: 'SUCCESSFUL',
          startTime: op.endTime,
          endTime: new Date(at + duration + 30_000).toISOString(),
        });
        op.rollbackOperationId = rb.operationId;
      }
      app.resets.push(at + duration);
      // Without a system rollback MSF leaves the application READY (stopped) on the failed update.
      app.setStatus(at + duration, op.rollbackOperationId ? 'RUNNING' : 'READY');
    });
  });
}

/** A maintenance window: status MAINTENANCE, its operation, and the restarts it causes. */
function scheduleMaintenance(app: SimApp, at: number, m: EventOf<'maintenance'>): void {
  const { duration, restarts } = m;
  app.maintenance.push({ from: at, to: at + duration });
  app.schedule(at, () => {
    const prev = app.status;
    app.setStatus(at, 'MAINTENANCE');
    const op = app.addOperation({
      operation: 'Maintenance',
      status: 'IN_PROGRESS',
      startTime: new Date(at).toISOString(),
    });
    app.schedule(at + duration, () => {
      op.status = 'SUCCESSFUL';
      op.endTime = new Date(at + duration).toISOString();
      app.setStatus(at + duration, prev);
    });
  });
  for (let k = 0; k < restarts; k++)
    app.explicitRestarts.push({
      t: at + Math.round(((k + 1) * duration) / (restarts + 1)),
      cause: 'maintenance',
      text: MAINTENANCE_TEXT,
    });
}
