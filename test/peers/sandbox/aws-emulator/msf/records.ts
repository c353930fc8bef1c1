/**
 * Bookkeeping on an application's record: versions, operations and snapshots. Plain functions of
 * the app and the time, shared by the lifecycle engine and the control API.
 */
import { randomBytes } from 'node:crypto';
import {
  type AppConfig,
  type AppOperation,
  type AppSnapshot,
  currentConfig,
  type EmulatedApp,
} from './model.js';

/** MSF truncates OperationFailureDetails.ErrorInfo.ErrorString to 512 characters. */
export const MAX_ERROR_STRING = 512;

let opSeq = 0;

/** Appends `config` as the next version. */
export function newVersion(app: EmulatedApp, config: AppConfig, nowMs: number): void {
  app.versionStatus.set(app.versionId, app.status);
  app.versionId += 1;
  app.versions.set(app.versionId, structuredClone(config));
  app.versionCreateMs = nowMs;
  app.lastUpdateMs = nowMs;
}

/** Drops the current version and goes back to `to` (an update that never happened). */
export function revertVersion(app: EmulatedApp, to: number): void {
  if (app.versionId === to) return;
  app.versions.delete(app.versionId);
  app.versionId = to;
}

/** Starts recording an operation (IN_PROGRESS). */
export function beginOperation(
  app: EmulatedApp,
  operation: string,
  nowMs: number,
  versionFrom?: number,
  versionTo?: number,
): AppOperation {
  opSeq += 1;
  const op: AppOperation = {
    id: `${opSeq.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`,
    operation,
    status: 'IN_PROGRESS',
    startMs: nowMs,
    ...(versionFrom !== undefined && versionTo !== undefined ? { versionFrom, versionTo } : {}),
  };
  app.operations.push(op);
  return op;
}

/** Ends an operation once (later calls are ignored: the first outcome wins). */
export function finishOperation(
  op: AppOperation,
  status: AppOperation['status'],
  nowMs: number,
  error?: unknown,
): void {
  if (op.status !== 'IN_PROGRESS') return;
  op.status = status;
  op.endMs = nowMs;
  if (error !== undefined) op.errorString = errorText(error);
}

/**
 * Control API: if a failure is queued for this operation, records its ErrorString and returns
 * true. The caller undoes its own changes so the application stays where it was.
 */
export function takeQueuedFailure(app: EmulatedApp, op: AppOperation): boolean {
  const f = app.failNext;
  if (!f || (f.operation !== undefined && f.operation !== op.operation)) return false;
  app.failNext = undefined;
  op.errorString = f.errorString.slice(0, MAX_ERROR_STRING);
  return true;
}

/** An error as MSF's ErrorString. */
export function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, MAX_ERROR_STRING);
}

/** The newest READY snapshot, which RESTORE_FROM_LATEST_SNAPSHOT and rollbacks restore. */
export function latestSnapshot(app: EmulatedApp): AppSnapshot | undefined {
  return app.snapshots.filter((s) => s.status === 'READY').sort((a, b) => b.createMs - a.createMs)[0];
}

/** Records a snapshot the service took itself (on stop or update). */
export function addAutoSnapshot(
  app: EmulatedApp,
  savepointPath: string,
  nowMs: number,
  versionId = app.versionId,
): void {
  app.snapshots.push({
    name: `${app.name}-v${versionId}-${nowMs}`,
    status: 'READY',
    versionId,
    createMs: nowMs,
    runtime: app.versions.get(versionId)?.runtime ?? currentConfig(app).runtime,
    savepointPath,
  });
}
