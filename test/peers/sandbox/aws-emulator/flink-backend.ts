/**
 * The port between the MSF emulation and whatever runs the Flink jobs: the real Flink cluster of
 * the test bed (rest-flink-backend.ts) or an in-memory fake for fast unit tests
 * (fake-flink-backend.ts). Small on purpose: it is what MSF itself does to a Flink cluster.
 */

/** What the test job does; the real job jar implements each mode (test/peers/sandbox/flink/jobs.ts). */
export type JobMode = 'healthy' | 'user-error' | 'external' | 'fail-in-main';
export const JOB_MODES: readonly JobMode[] = ['healthy', 'user-error', 'external', 'fail-in-main'];

/** One job submission for an application version. */
export interface JobSpec {
  /** The MSF application name; the job is named after it so logs and dashboards can tell jobs apart. */
  appName: string;
  /** A label for the application's code version (e.g. `v2`), passed to the job. */
  versionLabel: string;
  mode: JobMode;
  args: string[];
  /** Restore from this savepoint (a snapshot), or start empty. */
  savepointPath?: string;
  allowNonRestoredState?: boolean;
  parallelism?: number;
}

/** Flink JobStatus (docs/reference.md §Flink REST shapes), unknown values kept as strings. */
export type FlinkJobState =
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

/** Checkpoint figures the CloudWatch series are sampled from. */
export interface CheckpointStats {
  completed: number;
  failed: number;
  lastDurationMs?: number;
  lastSizeBytes?: number;
}

/** One log event of a job, as MSF would ship it to CloudWatch Logs. */
export interface JobLogEvent {
  timestampMs: number;
  level: string;
  logger: string;
  threadName?: string;
  message: string;
  /** Stack trace lines that followed the message, if any. */
  throwable?: string;
}

export interface FlinkBackend {
  /** Submits a job and resolves with its id; rejects (with the failure text) when submission or `main` fails. */
  startJob(spec: JobSpec): Promise<{ jobId: string }>;
  /** The job's current state, or undefined when the cluster does not know it. */
  jobState(jobId: string): Promise<FlinkJobState | undefined>;
  /**
   * True when the job is RUNNING and so is every subtask: a job is RUNNING while its subtasks may
   * still be SCHEDULED or DEPLOYING, and a savepoint then fails ("Not all required tasks are
   * currently running"). MSF reports RUNNING once the job really runs.
   */
  allSubtasksRunning?(jobId: string): Promise<boolean>;
  /** Cancels without a savepoint and resolves once the job is terminal. */
  cancelJob(jobId: string): Promise<void>;
  /** Stop-with-savepoint: resolves with the savepoint path once the job stopped; rejects if it cannot. */
  stopWithSavepoint(jobId: string): Promise<{ savepointPath: string }>;
  /** Triggers a savepoint while the job keeps running. */
  triggerSavepoint(jobId: string): Promise<{ savepointPath: string }>;
  /** Flink's `numRestarts` metric of the job (resets with every new job), or undefined when unknown. */
  numRestarts(jobId: string): Promise<number | undefined>;
  /** Checkpoint counters, when the backend can read them. */
  checkpointStats(jobId: string): Promise<CheckpointStats | undefined>;
  /** Log events of this job at or after `sinceMs`. */
  logEvents(jobId: string, sinceMs: number): Promise<JobLogEvent[]>;
  /** The real Flink REST base URL the dashboard proxy forwards to, when there is one. */
  readonly restUrl?: string;
  /** Releases what the backend holds (not the cluster itself). */
  close?(): Promise<void>;
}
