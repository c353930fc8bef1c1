/**
 * The emulated MSF application: its versioned configuration, status, job, snapshots, operations
 * and tags. Plain data; msf/lifecycle.ts moves it through the status machine below.
 *
 *            StartApplication              UpdateApplication / RollbackApplication
 *   READY ───────────────▶ STARTING ──▶ RUNNING ──▶ UPDATING | ROLLING_BACK ──▶ RUNNING
 *     ▲                       │            │                  │ (failed, no job) ──▶ READY
 *     │   StopApplication     ▼            ▼
 *     └──────────────── STOPPING | FORCE_STOPPING  (Force=true aborts any in-flight operation)
 *
 * AUTOSCALING and MAINTENANCE are only ever forced by the control API, as an overlay with a
 * duration on top of the underlying status (AWS puts an app there, the owner never does).
 */
import type { JobMode } from '../flink-backend.js';

/** Statuses the emulator moves an application through itself. */
export type LifecycleStatus =
  | 'READY'
  | 'STARTING'
  | 'RUNNING'
  | 'UPDATING'
  | 'STOPPING'
  | 'FORCE_STOPPING'
  | 'ROLLING_BACK';
/** Statuses the control API can force for a while. */
export type ForcedStatus = 'UPDATING' | 'AUTOSCALING' | 'MAINTENANCE';

const TRANSITIONS: Record<LifecycleStatus, readonly LifecycleStatus[]> = {
  READY: ['STARTING', 'READY'],
  STARTING: ['RUNNING', 'READY', 'STOPPING', 'FORCE_STOPPING'],
  // RUNNING → READY only when a maintenance restart fails to bring the job back.
  RUNNING: ['UPDATING', 'STOPPING', 'FORCE_STOPPING', 'ROLLING_BACK', 'RUNNING', 'READY'],
  UPDATING: ['RUNNING', 'READY', 'STOPPING', 'FORCE_STOPPING', 'ROLLING_BACK'],
  STOPPING: ['READY', 'RUNNING', 'FORCE_STOPPING'],
  FORCE_STOPPING: ['READY'],
  ROLLING_BACK: ['RUNNING', 'READY', 'STOPPING', 'FORCE_STOPPING'],
};

/** Moves an application to `to`, or throws if the machine has no such edge (an emulator bug). */
export function assertTransition(app: EmulatedApp, to: LifecycleStatus): void {
  if (!TRANSITIONS[app.status].includes(to)) {
    throw new Error(`emulator bug: application ${app.name} cannot go from ${app.status} to ${to}`);
  }
  app.status = to;
}

export interface PropertyGroup {
  PropertyGroupId: string;
  PropertyMap: Record<string, string>;
}

/** Everything a version fixes: what UpdateApplication changes and RollbackApplication restores. */
export interface AppConfig {
  runtime: string;
  serviceExecutionRole: string;
  description?: string;
  code: {
    CodeContentType: string;
    S3?: { BucketARN: string; FileKey: string; ObjectVersion?: string };
    TextContent?: string;
  };
  propertyGroups: PropertyGroup[];
  snapshotsEnabled: boolean;
  systemRollbackEnabled: boolean;
  checkpoint: {
    ConfigurationType: string;
    CheckpointingEnabled: boolean;
    CheckpointInterval: number;
    MinPauseBetweenCheckpoints: number;
  };
  monitoring: { ConfigurationType: string; MetricsLevel: string; LogLevel: string };
  parallelism: {
    ConfigurationType: string;
    Parallelism: number;
    ParallelismPerKPU: number;
    AutoScalingEnabled: boolean;
  };
}

export type OperationStatus = 'IN_PROGRESS' | 'CANCELLED' | 'SUCCESSFUL' | 'FAILED';

export interface AppOperation {
  id: string;
  operation: string;
  status: OperationStatus;
  startMs: number;
  endMs?: number;
  versionFrom?: number;
  versionTo?: number;
  errorString?: string;
  rollbackOperationId?: string;
}

export interface AppSnapshot {
  name: string;
  status: 'CREATING' | 'READY' | 'DELETING' | 'FAILED';
  versionId: number;
  createMs: number;
  runtime: string;
  savepointPath?: string;
}

export interface RunningJob {
  jobId: string;
  versionId: number;
  startedMs: number;
}

export interface EmulatedApp {
  name: string;
  arn: string;
  createMs: number;
  lastUpdateMs: number;
  status: LifecycleStatus;
  versionId: number;
  versionCreateMs: number;
  versionUpdatedFrom?: number;
  rolledBackFrom?: number;
  rolledBackTo?: number;
  /** Every version's configuration; the current one is `versions.get(versionId)`. */
  versions: Map<number, AppConfig>;
  /** The status each version last had (ListApplicationVersions). */
  versionStatus: Map<number, string>;
  job?: RunningJob;
  /** Every job this application ran, for log attribution after the job ended. */
  pastJobs: RunningJob[];
  snapshots: AppSnapshot[];
  operations: AppOperation[];
  tags: Map<string, string>;
  overlay?: { status: ForcedStatus; untilMs: number };
  /** Control API: the next operation (optionally of one kind) fails with this ErrorString. */
  failNext?: { errorString: string; operation?: string };
  /** Bumped by every operation that takes over the app; an in-flight process whose epoch is stale stops. */
  epoch: number;
  logGroupName: string;
  logStreamName: string;
  restore: { ApplicationRestoreType: string; SnapshotName?: string };
  allowNonRestoredState: boolean;
}

/** The job an application version runs, read from its `emulator.job` property group. */
export interface JobDefinition {
  mode: JobMode;
  versionLabel: string;
  args: string[];
}

/** PropertyGroupId that carries the test job's mode, version label and args (shared with the demo). */
export { JOB_PROPERTY_GROUP } from '../../../../../src/services/demo-state.js';

/** The status AWS reports: a forced overlay while it lasts, else the lifecycle status. */
export function effectiveStatus(app: EmulatedApp, nowMs: number): string {
  if (app.overlay && nowMs < app.overlay.untilMs) return app.overlay.status;
  return app.status;
}

/** The application's current configuration. */
export function currentConfig(app: EmulatedApp): AppConfig {
  const c = app.versions.get(app.versionId);
  if (!c) throw new Error(`emulator bug: ${app.name} has no config for version ${app.versionId}`);
  return c;
}

/** A ConditionalToken that changes with every version, as DescribeApplication reports it. */
export function conditionalToken(app: EmulatedApp): string {
  return `${app.name.length.toString(16)}${app.versionId.toString(16).padStart(8, '0')}${app.createMs.toString(16)}`;
}
