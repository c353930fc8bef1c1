/**
 * The MSF control plane over a FlinkBackend: what StartApplication, StopApplication,
 * UpdateApplication, RollbackApplication and CreateApplicationSnapshot do to the real job, as
 * background processes that move the application through the status machine in model.ts and
 * record each one as an application operation (ListApplicationOperations).
 *
 * Every process captures the app's `epoch`; a later operation that takes over the application
 * (Force stop, rollback) bumps it, and the stale process stops at its next step and records its
 * operation CANCELLED, the way AWS aborts an update when you force-stop it.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorClock } from '../clock.js';
import { err } from '../errors.js';
import type { FlinkBackend, JobSpec } from '../flink-backend.js';
import { jobDefinition } from './config.js';
import {
  type AppConfig,
  type AppOperation,
  type AppSnapshot,
  assertTransition,
  conditionalToken,
  currentConfig,
  type EmulatedApp,
  effectiveStatus,
  type ForcedStatus,
  type LifecycleStatus,
} from './model.js';

/** MSF truncates OperationFailureDetails.ErrorInfo.ErrorString to 512 characters. */
const MAX_ERROR_STRING = 512;
const TERMINAL_JOB_STATES = new Set(['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED']);

export interface MsfEngineOptions {
  backend: FlinkBackend | undefined;
  clock: EmulatorClock;
  /** How often a process polls the real job's state (real time). */
  pollMs?: number;
  /** How long a job may take to reach RUNNING before the operation fails (real time). */
  runningTimeoutMs?: number;
}

/** Why a background process stopped early: another operation took the application over. */
class Superseded extends Error {}

export class MsfEngine {
  readonly apps = new Map<string, EmulatedApp>();
  private readonly inflight = new Set<Promise<void>>();
  private opSeq = 0;
  private readonly pollMs: number;
  private readonly runningTimeoutMs: number;

  constructor(private readonly opts: MsfEngineOptions) {
    this.pollMs = opts.pollMs ?? 250;
    this.runningTimeoutMs = opts.runningTimeoutMs ?? 120_000;
  }

  /** The application, or ResourceNotFoundException as MSF answers for an unknown name. */
  get(name: unknown): EmulatedApp {
    const app = typeof name === 'string' ? this.apps.get(name) : undefined;
    if (!app) throw err.notFound(`Application ${String(name)} is not found`);
    return app;
  }

  /** Resolves when every background process has finished (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  status(app: EmulatedApp): string {
    return effectiveStatus(app, this.opts.clock.now());
  }

  // ---- StartApplication -------------------------------------------------------------------

  start(app: EmulatedApp, runConfiguration: Record<string, unknown> | undefined): string {
    const status = this.status(app);
    if (status !== 'READY') throw err.resourceInUse(`Application ${app.name} is in ${status} status; it can be started only when READY`);
    const restoreCfg = (runConfiguration?.ApplicationRestoreConfiguration ?? {}) as Record<string, unknown>;
    const type = typeof restoreCfg.ApplicationRestoreType === 'string' ? restoreCfg.ApplicationRestoreType : 'RESTORE_FROM_LATEST_SNAPSHOT';
    const savepointPath = this.resolveRestore(app, type, restoreCfg.SnapshotName);
    const flinkRun = (runConfiguration?.FlinkRunConfiguration ?? {}) as Record<string, unknown>;
    // AllowNonRestoredState resets to false when omitted (REFERENCE.md).
    app.allowNonRestoredState = flinkRun.AllowNonRestoredState === true;
    app.restore = { ApplicationRestoreType: type, ...(typeof restoreCfg.SnapshotName === 'string' ? { SnapshotName: restoreCfg.SnapshotName } : {}) };
    const op = this.beginOperation(app, 'StartApplication');
    assertTransition(app, 'STARTING');
    const epoch = ++app.epoch;
    this.track(app, op, epoch, async () => {
      if (this.consumeFailNext(app, op)) throw new Error(op.errorString);
      await this.runCurrentVersion(app, epoch, savepointPath);
      this.settle(app, op, 'RUNNING', 'SUCCESSFUL');
    }, () => this.settle(app, op, 'READY', 'FAILED'));
    return op.id;
  }

  private resolveRestore(app: EmulatedApp, type: string, snapshotName: unknown): string | undefined {
    switch (type) {
      case 'SKIP_RESTORE_FROM_SNAPSHOT':
        return undefined;
      case 'RESTORE_FROM_LATEST_SNAPSHOT':
        return currentConfig(app).snapshotsEnabled ? this.latestSnapshot(app)?.savepointPath : undefined;
      case 'RESTORE_FROM_CUSTOM_SNAPSHOT': {
        if (typeof snapshotName !== 'string') throw err.invalidArgument('SnapshotName is required with RESTORE_FROM_CUSTOM_SNAPSHOT');
        const snap = app.snapshots.find((s) => s.name === snapshotName && s.status === 'READY');
        if (!snap) throw err.notFound(`Snapshot ${snapshotName} of application ${app.name} is not found`);
        return snap.savepointPath;
      }
      default:
        throw err.invalidArgument(`ApplicationRestoreType ${type} is not valid`);
    }
  }

  // ---- StopApplication --------------------------------------------------------------------

  stop(app: EmulatedApp, force: boolean): string {
    const status = this.status(app);
    if (!['STARTING', 'UPDATING', 'STOPPING', 'AUTOSCALING', 'RUNNING', 'ROLLING_BACK'].includes(status)) {
      throw err.resourceInUse(`Application ${app.name} is in ${status} status; StopApplication is not allowed`);
    }
    const epoch = ++app.epoch; // supersedes any in-flight start/update/rollback
    app.overlay = undefined;
    const op = this.beginOperation(app, 'StopApplication');
    const job = app.job;
    if (force) {
      assertTransition(app, 'FORCE_STOPPING');
      // Force skips the snapshot (AWS: "the application is stopped without taking a snapshot").
      this.track(app, op, epoch, async () => {
        if (job) await this.backend().cancelJob(job.jobId);
        this.detachJob(app);
        this.settle(app, op, 'READY', 'SUCCESSFUL');
      }, () => this.settle(app, op, 'READY', 'FAILED'));
      return op.id;
    }
    assertTransition(app, 'STOPPING');
    this.track(app, op, epoch, async () => {
      if (this.consumeFailNext(app, op)) throw new Error(op.errorString);
      if (job && currentConfig(app).snapshotsEnabled) {
        const { savepointPath } = await this.backend().stopWithSavepoint(job.jobId);
        this.addSnapshot(app, this.autoSnapshotName(app), savepointPath);
      } else if (job) {
        await this.backend().cancelJob(job.jobId);
      }
      this.checkEpoch(app, epoch);
      this.detachJob(app);
      this.settle(app, op, 'READY', 'SUCCESSFUL');
    }, () => this.settle(app, op, app.job ? 'RUNNING' : 'READY', 'FAILED'));
    return op.id;
  }

  // ---- UpdateApplication ------------------------------------------------------------------

  /** Applies a new configuration as a new version; restarts the job when RUNNING. */
  update(app: EmulatedApp, next: AppConfig, expected: { versionId?: unknown; token?: unknown }): string {
    this.checkVersion(app, expected.versionId, expected.token);
    const status = this.status(app);
    if (status !== 'READY' && status !== 'RUNNING') {
      throw err.resourceInUse(`Application ${app.name} is in ${status} status; it can be updated only when READY or RUNNING`);
    }
    const now = this.opts.clock.now();
    const from = app.versionId;
    const previous = currentConfig(app);
    const before = { updatedFrom: app.versionUpdatedFrom, rbFrom: app.rolledBackFrom, rbTo: app.rolledBackTo };
    const undo = () => {
      this.revertVersion(app, from);
      app.versionUpdatedFrom = before.updatedFrom;
      app.rolledBackFrom = before.rbFrom;
      app.rolledBackTo = before.rbTo;
    };
    this.newVersion(app, next, now);
    app.versionUpdatedFrom = from;
    app.rolledBackFrom = undefined;
    app.rolledBackTo = undefined;
    const op = this.beginOperation(app, 'UpdateApplication', from, app.versionId);
    if (status === 'READY') {
      this.settle(app, op, 'READY', 'SUCCESSFUL');
      return op.id;
    }
    assertTransition(app, 'UPDATING');
    const epoch = ++app.epoch;
    const oldJob = app.job;
    this.track(app, op, epoch, async () => {
      if (this.consumeFailNext(app, op)) {
        undo();
        throw new Error(op.errorString);
      }
      let savepointPath: string | undefined;
      if (oldJob && previous.snapshotsEnabled) {
        try {
          ({ savepointPath } = await this.backend().stopWithSavepoint(oldJob.jobId));
        } catch (e) {
          // MSF cannot take the update snapshot of a job that is not healthy: the update fails and
          // the old version keeps running.
          undo();
          throw new Error(`Snapshot creation failed before the update: ${message(e)}`);
        }
        this.addSnapshot(app, this.autoSnapshotName(app, from), savepointPath, from);
      } else if (oldJob) {
        await this.backend().cancelJob(oldJob.jobId);
      }
      this.detachJob(app);
      this.checkEpoch(app, epoch);
      try {
        await this.runCurrentVersion(app, epoch, savepointPath);
      } catch (e) {
        if (e instanceof Superseded) throw e;
        if (next.systemRollbackEnabled) {
          op.rollbackOperationId = this.systemRollback(app, epoch, from, savepointPath);
          throw e;
        }
        throw e;
      }
      this.settle(app, op, 'RUNNING', 'SUCCESSFUL');
    }, () => {
      if (op.rollbackOperationId) this.finish(op, 'FAILED');
      else this.settle(app, op, app.job ? 'RUNNING' : 'READY', 'FAILED');
    });
    return op.id;
  }

  /** MSF's system rollback after a failed update: back to `toVersion` from the update's snapshot. */
  private systemRollback(app: EmulatedApp, epoch: number, toVersion: number, savepointPath: string | undefined): string {
    const from = app.versionId;
    const config = app.versions.get(toVersion);
    if (!config) throw new Error(`emulator bug: no version ${toVersion}`);
    this.newVersion(app, config, this.opts.clock.now());
    app.rolledBackFrom = from;
    app.rolledBackTo = toVersion;
    const op = this.beginOperation(app, 'RollbackApplication', from, app.versionId);
    assertTransition(app, 'ROLLING_BACK');
    this.track(app, op, epoch, async () => {
      await this.runCurrentVersion(app, epoch, savepointPath);
      this.settle(app, op, 'RUNNING', 'SUCCESSFUL');
    }, () => this.settle(app, op, 'READY', 'FAILED'));
    return op.id;
  }

  // ---- RollbackApplication ----------------------------------------------------------------

  rollback(app: EmulatedApp, currentVersionId: unknown): { operationId: string } {
    const status = this.status(app);
    if (!['RUNNING', 'UPDATING', 'AUTOSCALING'].includes(status)) {
      throw err.resourceInUse(`Application ${app.name} is in ${status} status; it can be rolled back only when RUNNING, UPDATING or AUTOSCALING`);
    }
    if (typeof currentVersionId !== 'number') throw err.invalidArgument('CurrentApplicationVersionId is required');
    this.checkVersion(app, currentVersionId, undefined);
    const target = app.versionUpdatedFrom;
    if (target === undefined || !app.versions.has(target)) {
      throw err.invalidRequest(`Application ${app.name} has no previous version to roll back to`);
    }
    const snapshot = this.latestSnapshot(app);
    if (!snapshot) {
      // AWS: "If the application has no snapshots, Managed Service for Apache Flink rejects the rollback request."
      throw err.resourceInUse(`Application ${app.name} has no snapshots; RollbackApplication needs one to restore state from`);
    }
    const from = app.versionId;
    const before = { updatedFrom: app.versionUpdatedFrom, rbFrom: app.rolledBackFrom, rbTo: app.rolledBackTo };
    const epoch = ++app.epoch; // supersedes a stuck update
    app.overlay = undefined;
    const targetConfig = app.versions.get(target)!;
    this.newVersion(app, targetConfig, this.opts.clock.now());
    app.rolledBackFrom = from;
    app.rolledBackTo = target;
    app.versionUpdatedFrom = undefined;
    const op = this.beginOperation(app, 'RollbackApplication', from, app.versionId);
    assertTransition(app, 'ROLLING_BACK');
    const job = app.job;
    this.track(app, op, epoch, async () => {
      if (this.consumeFailNext(app, op)) {
        app.versionUpdatedFrom = before.updatedFrom;
        app.rolledBackFrom = before.rbFrom;
        app.rolledBackTo = before.rbTo;
        throw new Error(op.errorString);
      }
      // The looping job cannot take a savepoint: cancel it and restore the last good snapshot.
      if (job) await this.backend().cancelJob(job.jobId);
      this.detachJob(app);
      this.checkEpoch(app, epoch);
      await this.runCurrentVersion(app, epoch, snapshot.savepointPath);
      this.settle(app, op, 'RUNNING', 'SUCCESSFUL');
    }, () => this.settle(app, op, app.job ? 'RUNNING' : 'READY', 'FAILED'));
    return { operationId: op.id };
  }

  // ---- CreateApplicationSnapshot ----------------------------------------------------------

  createSnapshot(app: EmulatedApp, name: string): void {
    const status = this.status(app);
    if (status !== 'RUNNING') throw err.resourceInUse(`Application ${app.name} is in ${status} status; snapshots need RUNNING`);
    if (!currentConfig(app).snapshotsEnabled) throw err.invalidArgument(`Snapshots are disabled for application ${app.name}`);
    if (app.snapshots.some((s) => s.name === name)) throw err.invalidArgument(`Snapshot ${name} already exists`);
    const job = app.job;
    if (!job) throw err.resourceInUse(`Application ${app.name} has no running job`);
    const snap: AppSnapshot = { name, status: 'CREATING', versionId: app.versionId, createMs: this.opts.clock.now(), runtime: currentConfig(app).runtime };
    app.snapshots.push(snap);
    const p = this.backend()
      .triggerSavepoint(job.jobId)
      .then(({ savepointPath }) => {
        snap.status = 'READY';
        snap.savepointPath = savepointPath;
      })
      .catch(() => {
        snap.status = 'FAILED';
      })
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  // ---- control API helpers ----------------------------------------------------------------

  /** Forces a status (UPDATING/AUTOSCALING/MAINTENANCE) for `durationMs` of emulator time. */
  forceStatus(app: EmulatedApp, status: ForcedStatus, durationMs: number): void {
    app.overlay = { status, untilMs: this.opts.clock.now() + durationMs };
  }

  /** Records an operation AWS started on its own (a Maintenance, a system restart). */
  addOperation(app: EmulatedApp, operation: string, status: AppOperation['status'], errorString?: string, durationMs = 0): string {
    const op = this.beginOperation(app, operation);
    if (status !== 'IN_PROGRESS') {
      op.endMs = op.startMs + durationMs;
      op.status = status;
    }
    if (errorString !== undefined) op.errorString = errorString.slice(0, MAX_ERROR_STRING);
    return op.id;
  }

  // ---- internals --------------------------------------------------------------------------

  private backend(): FlinkBackend {
    if (!this.opts.backend) throw err.unsupported('This emulator runs without a Flink backend; lifecycle operations are unavailable');
    return this.opts.backend;
  }

  private checkVersion(app: EmulatedApp, versionId: unknown, token: unknown): void {
    if (typeof versionId === 'number' && versionId !== app.versionId) {
      throw err.concurrentModification(`CurrentApplicationVersionId ${versionId} does not match the current version ${app.versionId} of ${app.name}`);
    }
    if (typeof token === 'string' && token !== conditionalToken(app)) {
      throw err.concurrentModification(`ConditionalToken does not match the current version ${app.versionId} of ${app.name}`);
    }
  }

  private newVersion(app: EmulatedApp, config: AppConfig, now: number): void {
    app.versionStatus.set(app.versionId, app.status);
    app.versionId += 1;
    app.versions.set(app.versionId, structuredClone(config));
    app.versionCreateMs = now;
    app.lastUpdateMs = now;
  }

  private revertVersion(app: EmulatedApp, to: number): void {
    if (app.versionId === to) return;
    app.versions.delete(app.versionId);
    app.versionId = to;
  }

  /** Starts the current version's job (optionally from a savepoint) and waits until it runs. */
  private async runCurrentVersion(app: EmulatedApp, epoch: number, savepointPath: string | undefined): Promise<void> {
    const config = currentConfig(app);
    const def = jobDefinition(config, app.versionId);
    const spec: JobSpec = {
      appName: app.name,
      versionLabel: def.versionLabel,
      mode: def.mode,
      args: def.args,
      allowNonRestoredState: app.allowNonRestoredState,
      parallelism: config.parallelism.Parallelism,
      ...(savepointPath !== undefined ? { savepointPath } : {}),
    };
    const { jobId } = await this.backend().startJob(spec);
    const job = { jobId, versionId: app.versionId, startedMs: this.opts.clock.now() };
    if (app.epoch !== epoch) {
      await this.backend().cancelJob(jobId).catch(() => undefined);
      throw new Superseded();
    }
    app.job = job;
    app.pastJobs.push(job);
    const deadline = Date.now() + this.runningTimeoutMs;
    for (;;) {
      this.checkEpoch(app, epoch);
      const state = await this.backend().jobState(jobId);
      if (state === 'RUNNING' && (await (this.backend().allSubtasksRunning?.(jobId) ?? true))) return;
      if (state !== undefined && TERMINAL_JOB_STATES.has(state)) {
        this.detachJob(app);
        throw new Error(`Flink job ${jobId} ended ${state} before it was running`);
      }
      if (Date.now() > deadline) {
        await this.backend().cancelJob(jobId).catch(() => undefined);
        this.detachJob(app);
        throw new Error(`Flink job ${jobId} did not reach RUNNING within ${this.runningTimeoutMs} ms (state ${state})`);
      }
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  private checkEpoch(app: EmulatedApp, epoch: number): void {
    if (app.epoch !== epoch) throw new Superseded();
  }

  private detachJob(app: EmulatedApp): void {
    app.job = undefined;
  }

  /**
   * Control API: fails this operation with the queued ErrorString, undoing its version change so
   * the application stays where it was. Returns true (after recording the error) when it did.
   */
  private consumeFailNext(app: EmulatedApp, op: AppOperation): boolean {
    const f = app.failNext;
    if (!f || (f.operation !== undefined && f.operation !== op.operation)) return false;
    app.failNext = undefined;
    if (op.versionFrom !== undefined) this.revertVersion(app, op.versionFrom);
    op.errorString = f.errorString.slice(0, MAX_ERROR_STRING);
    return true;
  }

  private beginOperation(app: EmulatedApp, operation: string, versionFrom?: number, versionTo?: number): AppOperation {
    this.opSeq += 1;
    const op: AppOperation = {
      id: `${this.opSeq.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`,
      operation,
      status: 'IN_PROGRESS',
      startMs: this.opts.clock.now(),
      ...(versionFrom !== undefined && versionTo !== undefined ? { versionFrom, versionTo } : {}),
    };
    app.operations.push(op);
    return op;
  }

  private finish(op: AppOperation, status: AppOperation['status'], error?: unknown): void {
    if (op.status !== 'IN_PROGRESS') return;
    op.status = status;
    op.endMs = this.opts.clock.now();
    if (error !== undefined) op.errorString = message(error).slice(0, MAX_ERROR_STRING);
  }

  private settle(app: EmulatedApp, op: AppOperation, to: LifecycleStatus, status: AppOperation['status']): void {
    if (app.status !== to) assertTransition(app, to);
    app.lastUpdateMs = this.opts.clock.now();
    app.versionStatus.set(app.versionId, to);
    this.finish(op, status);
  }

  /** Runs a background process; a failure records the operation FAILED via `onFailure`. */
  private track(app: EmulatedApp, op: AppOperation, epoch: number, body: () => Promise<void>, onFailure: () => void): void {
    const p = (async () => {
      try {
        await body();
      } catch (e) {
        if (e instanceof Superseded || app.epoch !== epoch) {
          this.finish(op, 'CANCELLED');
          return;
        }
        if (op.errorString === undefined) op.errorString = message(e).slice(0, MAX_ERROR_STRING);
        onFailure();
        this.finish(op, 'FAILED');
      }
    })().finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private latestSnapshot(app: EmulatedApp): AppSnapshot | undefined {
    return app.snapshots.filter((s) => s.status === 'READY').sort((a, b) => b.createMs - a.createMs)[0];
  }

  private addSnapshot(app: EmulatedApp, name: string, savepointPath: string, versionId = app.versionId): void {
    app.snapshots.push({
      name,
      status: 'READY',
      versionId,
      createMs: this.opts.clock.now(),
      runtime: app.versions.get(versionId)?.runtime ?? currentConfig(app).runtime,
      savepointPath,
    });
  }

  private autoSnapshotName(app: EmulatedApp, versionId = app.versionId): string {
    return `${app.name}-v${versionId}-${this.opts.clock.now()}`;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
