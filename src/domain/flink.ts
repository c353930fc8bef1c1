/**
 * Domain types for Flink applications, shared by the probes (MSF, Flink REST, CloudWatch), the
 * healer and the commands. Probes map raw API payloads into these in their map.ts.
 */

/** MSF ApplicationStatus values (kinesisanalyticsv2). Unknown values are kept as strings, never crashed on. */
export const KNOWN_APPLICATION_STATUSES = [
  'DELETING',
  'STARTING',
  'STOPPING',
  'READY',
  'RUNNING',
  'UPDATING',
  'AUTOSCALING',
  'FORCE_STOPPING',
  'ROLLING_BACK',
  'MAINTENANCE',
  'ROLLED_BACK',
] as const;
export type KnownApplicationStatus = (typeof KNOWN_APPLICATION_STATUSES)[number];
/** An application status; `(string & {})` keeps unknown future values without losing autocompletion. */
export type ApplicationStatus = KnownApplicationStatus | (string & {});

/** Where a Flink application runs. */
export type FlinkTargetKind = 'managed' | 'self-managed';

/** One application as the fleet sees it (MSF DescribeApplication, or a self-managed job). */
export interface FlinkApplicationInfo {
  /** The name in streamctl.yaml (or the MSF ApplicationName for discovered ones). */
  name: string;
  kind: FlinkTargetKind;
  /** MSF ApplicationName / ARN, when managed. */
  applicationName?: string;
  applicationArn?: string;
  region?: string;
  status: ApplicationStatus;
  /** e.g. FLINK-1_20, FLINK-2_2. */
  runtime?: string;
  versionId?: number;
  versionUpdatedFrom?: number;
  versionRolledBackFrom?: number;
  versionRolledBackTo?: number;
  snapshotsEnabled?: boolean;
  systemRollbackEnabled?: boolean;
  checkpointingEnabled?: boolean;
  checkpointIntervalMs?: number;
  metricsLevel?: string;
  parallelism?: number;
  parallelismPerKpu?: number;
  autoScalingEnabled?: boolean;
  kpus?: number;
  createTime?: string;
  lastUpdateTime?: string;
  tags?: Record<string, string>;
}

export type OperationStatus = 'IN_PROGRESS' | 'CANCELLED' | 'SUCCESSFUL' | 'FAILED' | (string & {});

/** One lifecycle operation (ListApplicationOperations / DescribeApplicationOperation). */
export interface ApplicationOperation {
  operationId: string;
  /** Free string in the API: UpdateApplication, StartApplication, StopApplication, RollbackApplication, Maintenance, ... */
  operation: string;
  status: OperationStatus;
  startTime?: string;
  endTime?: string;
  versionFrom?: number;
  versionTo?: number;
  /** OperationFailureDetails.ErrorInfo.ErrorString (≤ 512 chars). */
  errorString?: string;
  rollbackOperationId?: string;
}

export type SnapshotStatus = 'CREATING' | 'READY' | 'DELETING' | 'FAILED' | (string & {});

export interface ApplicationSnapshot {
  name: string;
  status: SnapshotStatus;
  versionId?: number;
  createTime?: string;
  runtime?: string;
}

/** Flink ExecutionState (subtask state). */
export const EXECUTION_STATES = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
  'INITIALIZING',
] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];

/** Flink JobStatus. */
export type JobStatus =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING'
  | (string & {});

/** Subtask counts per ExecutionState (upper-case keys; /jobs/overview's lower-case keys are mapped). */
export type SubtaskCounts = Partial<Record<ExecutionState, number>>;

export interface VertexView {
  id: string;
  name: string;
  parallelism: number;
  status: string;
  tasks: SubtaskCounts;
}

/** A job as seen through Flink REST /jobs/:id. */
export interface JobView {
  id: string;
  name: string;
  state: JobStatus;
  startTime?: number;
  durationMs?: number;
  subtasks: SubtaskCounts;
  vertices: VertexView[];
}

/** One entry of /jobs/:id/exceptions exceptionHistory. */
export interface JobException {
  exceptionName: string;
  stacktrace: string;
  timestamp: number;
  taskName?: string;
  location?: string;
  taskManagerId?: string;
  failureLabels?: Record<string, string>;
}

/** A datapoint of a metric series (one per period). `value` undefined = missing datapoint (unknown). */
export interface MetricPoint {
  /** Period start, epoch ms. */
  t: number;
  value: number | undefined;
}
