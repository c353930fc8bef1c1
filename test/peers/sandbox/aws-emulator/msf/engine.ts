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
import type { EmulatorClock } from '../clock.js';
import { err } from '../errors.js';
import type { FlinkBackend } from '../flink-backend.js';
import { checkEpoch, runCurrentVersion, Superseded } from './job-runner.js';
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
import {
  addAutoSnapshot,
  beginOperation,
  errorText,
  finishOperation,
  latestSnapshot,
  newVersion,
  revertVersion,
  takeQueuedFailure,
} from './records.js';

export interface MsfEngineOptions {
  backend: FlinkBackend | undefined;
  clock: EmulatorClock;
  /** How often a process polls the real job's state (real time). */
  pollMs?: number;
  /** How long a job may take to reach RUNNING before the operation fails (real time). */
  runningTimeoutMs?: number;
}

/** Which version fields an operation changed, to put back when it fails before doing anything. */
interface VersionFields {
  versionId: number;
  updatedFrom: number | undefined;
  rbFrom: number | undefined;
  rbTo: number | undefined;
}

export class MsfEngine {
  readonly apps = new Map<string, EmulatedApp>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly opts: MsfEngineOptions) {}

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
    return effectiveStatus(app, this.now());
  }

  // ---- StartApplication -------------------------------------------------------------------

  start(app: EmulatedApp, runConfiguration: Record<string, unknown> | undefined): string {
    const status = this.status(app);
    if (status !== 'READY')
      throw err.resourceInUse(
        `Application ${app.name} is in ${status} status; it can be started only when READY`,
      );
    const restoreCfg = (runConfiguration?.ApplicationRestoreConfiguration ?? {}) as Record<string, unknown>;
    const type =
      typeof restoreCfg.ApplicationRestoreType === 'string'
        ? restoreCfg.ApplicationRestoreType
        : 'RESTORE_FROM_LATEST_SNAPSHOT';
    const savepointPath = this.resolveRestore(app, type, restoreCfg.SnapshotName);
    const flinkRun = (runConfiguration?.FlinkRunConfiguration ?? {}) as Record<string, unknown>;
    // AllowNonRestoredState resets to false when omitted (docs/reference.md §MSF).
    app.allowNonRestoredState = flinkRun.AllowNonRestoredState === true;
    app.restore = {
      ApplicationRestoreType: type,
      ...(typeof restoreCfg.SnapshotName === 'string' ? { SnapshotName: restoreCfg.SnapshotName } : {}),
    };
    const op = beginOperation(app, 'StartApplication', this.now());
    assertTransition(app, 'STARTING');
    const epoch = ++app.epoch;
    this.track(
      app,
      op,
      epoch,
      async () => {
        if (takeQueuedFailure(app, op)) throw new Error(op.errorString);
        await this.run(app, epoch, savepointPath);
        this.settle(app, op, 'RUNNING', 'SUCCESSFUL');
      },
      () => this.settle(app, op, 'READY', 'FAILED'),
    );
    return op.id;
  }

  private resolveRestore(app: EmulatedApp, type: string, snapshotName: unknown): string | undefined {
    switch (type) {
      case 'SKIP_RESTORE_FROM_SNAPSHOT':
        return undefined;
      case 'RESTORE_FROM_LATEST_SNAPSHOT':
        return currentConfig(app).snapshotsEnabled ? latestSnapshot(app)?.savepointPath : undefined;
      case 'RESTORE_FROM_CUSTOM_SNAPSHOT': {
        if (typeof snapshotName !== 'string')
          throw err.invalidArgument('SnapshotName is required with RESTORE_FROM_CUSTOM_SNAPSHOT');
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
    if (!['STARTING', 'UPDATING', 'STOPPING', 'AUTOSCALING', 'RUNNING'].includes(status)) {
      throw err.resourceInUse(
        `Application ${app.name} is in ${status} status; StopApplication is not allowed`,
      );
    }
    const epoch = ++app.epoch; // supersedes an in-flight start or update
    app.overlay = undefined;
    const op = beginOperation(app, 'StopApplication', this.now());
    const job = app.job;
    if (force) {
      assertTransition(app, 'FORCE_STOPPING');
      // Force skips the snapshot (AWS: the application is stopped without taking a snapshot).
      this.track(
        app,
        op,
        epoch,
        async () => {
          if (job) await this.backend().cancelJob(job.jobId);
          app.job = undefined;
          this.settle(app, op, 'READY', 'SUCCESSFUL');
        },
        () => this.settle(app, op, 'READY', 'FAILED'),
      );
      return op.id;
    }
    assertTransition(app, 'STOPPING');
    this.track(
      app,
      op,
      epoch,
      async () => {
        if (takeQueuedFailure(app, op)) throw new Error(op.errorString);
        if (job && currentConfig(app).snapshotsEnabled) {
          const { savepointPath } = await this.backend().stopWithSavepoint(job.jobId);
          addAutoSnapshot(app, savepointPath, this.now());
        } else if (job) {
          await this.backend().cancelJob(job.jobId);
        }
        checkEpoch(app, epoch);
        app.job = undefined;
        this.settle(app, op, 'READY', 'SUCCESSFUL');
      },
      () => this.settle(app, op, app.job ? 'RUNNING' : 'READY', 'FAILED'),
    );
    return op.id;
  }

  // ---- UpdateApplication ------------------------------------------------------------------

  /** Applies a new configuration as a new version; restarts the job when RUNNING. */
  update(app: EmulatedApp, next: AppConfig, expected: { versionId?: unknown; token?: unknown }): string {
    this.checkVersion(app, expected.versionId, expected.token);
    const status = this.status(app);
    if (status !== 'READY' && status !== 'RUNNING') {
      throw err.resourceInUse(
        `Application ${app.name} is in ${status} status; it can be updated only when READY or RUNNING`,
      );
    }
    const from = app.versionId;
    const previous = currentConfig(app);
    const before = this.versionFields(app);
    newVersion(app, next, this.now());
    app.versionUpdatedFrom = from;
    app.rolledBackFrom = undefined;
    app.rolledBackTo = undefined;
    const op = beginOperation(app, 'UpdateApplication', this.now(), from, app.versionId);
    if (status === 'READY') {
      this.settle(app, op, 'READY', 'SUCCESSFUL');
      return op.id;
    }
    assertTransition(app, 'UPDATING');
    const epoch = ++app.epoch;
    const oldJob = app.job;
    this.track(
      app,
      op,
      epoch,
      async () => {
        if (takeQueuedFailure(app, op)) {
          this.restoreVersionFields(app, before);
          throw new Error(op.errorString);
        }
        let savepointPath: string | undefined;
        if (oldJob && previous.snapshotsEnabled) {
          try {
            ({ savepointPath } = await this.backend().stopWithSavepoint(oldJob.jobId));
          } catch (e) {
            // MSF cannot take the update snapshot of a job that is not healthy: the update fails
            // and the old version keeps running.
            this.restoreVersionFields(app, before);
            throw new Error(`Snapshot creation failed before the update: ${errorText(e)}`);
          }
          addAutoSnapshot(app, savepointPath, this.now(), from);
        } else if (oldJob) {
          await this.backend().cancelJob(oldJob.jobId);
        }
        app.job = undefined;
        checkEpoch(app, epoch);
        try {
          await this.run(app, epoch, savepointPath);
        } catch (e) {
          if (!(e instanceof Superseded) && next.systemRollbackEnabled)
            op.rollbackOperationId = this.systemRollback(app, epoch, from, savepointPath);
          throw e;
        }
        this.settle(app, op, 'RUNNING', 'SUCCESSFUL');
      },
      () => {
        if (op.rollbackOperationId) finishOperation(op, 'FAILED', this.now());
        else this.settle(app, op, app.job ? 'RUNNING' : 'READY', 'FAILED');
      },
    );
    return op.id;
  }

  /** MSF's system rollback after a failed update: back to `toVersion` from the update's snapshot. */
  private systemRollback(
    app: EmulatedApp,
    epoch: number,
    toVersion: number,
    savepointPath: string | undefined,
  ): string {
    const from = app.versionId;
    const config = app.versions.get(toVersion);
    if (!config) throw new Error(`emulator bug: no version ${toVersion}`);
    newVersion(app, config, this.now());
    app.rolledBackFrom = from;
    app.rolledBackTo = toVersion;
    const op = beginOperation(app, 'RollbackApplication', this.now(), from, app.versionId);
    assertTransition(app, 'ROLLING_BACK');
    this.track(
      app,
      op,
      epoch,
      async () => {
        await this.run(app, epoch, savepointPath);
        this.settle(app, op, 'RUNNING', 'SUCCESSFUL');
      },
      () => this.settle(app, op, 'READY', 'FAILED'),
    );
    return op.id;
  }

  // ---- RollbackApplication ----------------------------------------------------------------

  rollback(app: EmulatedApp, currentVersionId: unknown): { operationId: string } {
    const status = this.status(app);
    if (!['RUNNING', 'UPDATING', 'AUTOSCALING'].includes(status)) {
      throw err.resourceInUse(
        `Application ${app.name} is in ${status} status; it can be rolled back only when RUNNING, UPDATING or AUTOSCALING`,
      );
    }
    if (typeof currentVersionId !== 'number')
      throw err.invalidArgument('CurrentApplicationVersionId is required');
    this.checkVersion(app, currentVersionId, undefined);
    const target = app.versionUpdatedFrom;
    const targetConfig = target === undefined ? undefined : app.versions.get(target);
    if (target === undefined || !targetConfig)
      throw err.invalidRequest(`Application ${app.name} has no previous version to roll back to`);
    const snapshot = latestSnapshot(app);
    // AWS: "If the application has no snapshots, Managed Service for Apache Flink rejects the rollback request."
    if (!snapshot)
      throw err.resourceInUse(
        `Application ${app.name} has no snapshots; RollbackApplication needs one to restore state from`,
      );
    const from = app.versionId;
    const before = this.versionFields(app);
    const epoch = ++app.epoch; // supersedes a stuck update
    app.overlay = undefined;
    newVersion(app, targetConfig, this.now());
    app.rolledBackFrom = from;
    app.rolledBackTo = target;
    app.versionUpdatedFrom = undefined;
    const op = beginOperation(app, 'RollbackApplication', this.now(), from, app.versionId);
    assertTransition(app, 'ROLLING_BACK');
    const job = app.job;
    this.track(
      app,
      op,
      epoch,
      async () => {
        if (takeQueuedFailure(app, op)) {
          this.restoreVersionFields(app, before);
          throw new Error(op.errorString);
        }
        // The looping job cannot take a savepoint: cancel it and restore the last good snapshot.
        if (job) await this.backend().cancelJob(job.jobId);
        app.job = undefined;
        checkEpoch(app, epoch);
        await this.run(app, epoch, snapshot.savepointPath);
        this.settle(app, op, 'RUNNING', 'SUCCESSFUL');
      },
      () => this.settle(app, op, app.job ? 'RUNNING' : 'READY', 'FAILED'),
    );
    return { operationId: op.id };
  }

  // ---- CreateApplicationSnapshot ----------------------------------------------------------

  createSnapshot(app: EmulatedApp, name: string): void {
    const status = this.status(app);
    if (status !== 'RUNNING')
      throw err.resourceInUse(`Application ${app.name} is in ${status} status; snapshots need RUNNING`);
    if (!currentConfig(app).snapshotsEnabled)
      throw err.invalidArgument(`Snapshots are disabled for application ${app.name}`);
    if (app.snapshots.some((s) => s.name === name))
      throw err.invalidArgument(`Snapshot ${name} already exists`);
    const job = app.job;
    if (!job) throw err.resourceInUse(`Application ${app.name} has no running job`);
    const snap: AppSnapshot = {
      name,
      status: 'CREATING',
      versionId: app.versionId,
      createMs: this.now(),
      runtime: currentConfig(app).runtime,
    };
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
    app.overlay = { status, untilMs: this.now() + durationMs };
  }

  /**
   * An AWS maintenance as MSF runs one: status MAINTENANCE for `durationMs` (emulator time), a
   * `Maintenance` operation, and the job restarted on the same version from a fresh snapshot
   * (a cancel-and-restart when snapshots are off or the job cannot take one) — so the restart
   * counter resets and downtime shows, the way a real patch restart looks to the healer.
   */
  maintenance(app: EmulatedApp, durationMs: number): string {
    const status = this.status(app);
    if (status !== 'RUNNING')
      throw err.resourceInUse(
        `Application ${app.name} is in ${status} status; maintenance restarts RUNNING applications`,
      );
    this.forceStatus(app, 'MAINTENANCE', durationMs);
    const op = beginOperation(app, 'Maintenance', this.now());
    const epoch = ++app.epoch;
    const job = app.job;
    this.track(
      app,
      op,
      epoch,
      async () => {
        let savepointPath: string | undefined;
        if (job && currentConfig(app).snapshotsEnabled) {
          savepointPath = await this.backend()
            .stopWithSavepoint(job.jobId)
            .then((r) => r.savepointPath)
            .catch(() => undefined);
          if (savepointPath) addAutoSnapshot(app, savepointPath, this.now());
        }
        if (job && !savepointPath) await this.backend().cancelJob(job.jobId);
        app.job = undefined;
        checkEpoch(app, epoch);
        await this.run(app, epoch, savepointPath ?? latestSnapshot(app)?.savepointPath);
        this.settle(app, op, 'RUNNING', 'SUCCESSFUL');
      },
      () => this.settle(app, op, app.job ? 'RUNNING' : 'READY', 'FAILED'),
    );
    return op.id;
  }

  /** Records an operation AWS started on its own (a Maintenance, a system restart). */
  addOperation(
    app: EmulatedApp,
    operation: string,
    status: AppOperation['status'],
    errorString?: string,
    durationMs = 0,
  ): string {
    const op = beginOperation(app, operation, this.now());
    if (status !== 'IN_PROGRESS') finishOperation(op, status, op.startMs + durationMs);
    if (errorString !== undefined) op.errorString = errorText(errorString);
    return op.id;
  }

  // ---- internals --------------------------------------------------------------------------

  private now(): number {
    return this.opts.clock.now();
  }

  private backend(): FlinkBackend {
    if (!this.opts.backend)
      throw err.unsupported(
        'This emulator runs without a Flink backend; lifecycle operations are unavailable',
      );
    return this.opts.backend;
  }

  private run(app: EmulatedApp, epoch: number, savepointPath: string | undefined): Promise<void> {
    return runCurrentVersion(
      {
        backend: this.backend(),
        nowMs: () => this.now(),
        pollMs: this.opts.pollMs ?? 250,
        runningTimeoutMs: this.opts.runningTimeoutMs ?? 120_000,
      },
      app,
      epoch,
      savepointPath,
    );
  }

  private checkVersion(app: EmulatedApp, versionId: unknown, token: unknown): void {
    if (typeof versionId === 'number' && versionId !== app.versionId) {
      throw err.concurrentModification(
        `CurrentApplicationVersionId ${versionId} does not match the current version ${app.versionId} of ${app.name}`,
      );
    }
    if (typeof token === 'string' && token !== conditionalToken(app)) {
      throw err.concurrentModification(
        `ConditionalToken does not match the current version ${app.versionId} of ${app.name}`,
      );
    }
  }

  private versionFields(app: EmulatedApp): VersionFields {
    return {
      versionId: app.versionId,
      updatedFrom: app.versionUpdatedFrom,
      rbFrom: app.rolledBackFrom,
      rbTo: app.rolledBackTo,
    };
  }

  private restoreVersionFields(app: EmulatedApp, f: VersionFields): void {
    revertVersion(app, f.versionId);
    app.versionUpdatedFrom = f.updatedFrom;
    app.rolledBackFrom = f.rbFrom;
    app.rolledBackTo = f.rbTo;
  }

  private settle(
    app: EmulatedApp,
    op: AppOperation,
    to: LifecycleStatus,
    status: AppOperation['status'],
  ): void {
    if (app.status !== to) assertTransition(app, to);
    app.lastUpdateMs = this.now();
    app.versionStatus.set(app.versionId, to);
    finishOperation(op, status, this.now());
  }

  /** Runs a background process; a failure records the operation FAILED via `onFailure`. */
  private track(
    app: EmulatedApp,
    op: AppOperation,
    epoch: number,
    body: () => Promise<void>,
    onFailure: () => void,
  ): void {
    const p = (async () => {
      try {
        await body();
      } catch (e) {
        if (e instanceof Superseded || app.epoch !== epoch) {
          finishOperation(op, 'CANCELLED', this.now());
          return;
        }
        if (op.errorString === undefined) op.errorString = errorText(e);
        try {
          onFailure();
        } finally {
          finishOperation(op, 'FAILED', this.now());
        }
      }
    })()
      .catch(() => undefined) // an emulator bug in onFailure must not become an unhandled rejection
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }
}
