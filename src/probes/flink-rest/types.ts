/**
 * Views of Flink REST answers that the domain (src/domain/flink.ts) does not define yet. JobView,
 * JobException and SubtaskCounts come from the domain; these are the rest, plain data.
 */
import type { JobException, JobStatus, SubtaskCounts } from '../../domain/flink.js';

/** One row of GET /jobs. */
export interface JobStatusEntry {
  id: string;
  state: JobStatus;
}

/** One row of GET /jobs/overview. */
export interface JobSummary {
  id: string;
  name: string;
  state: JobStatus;
  startTime: number;
  /** Undefined while the job runs. */
  endTime?: number;
  durationMs?: number;
  lastModification?: number;
  subtasks: SubtaskCounts;
  totalSubtasks: number;
}

/** GET /jobs/:id/exceptions. `entries` are newest first, as Flink returns them. */
export interface JobExceptions {
  entries: Array<JobException & { concurrent: number }>;
  /** The deprecated root-exception (the latest failure's trace), for clusters without a history. */
  rootException?: { stacktrace: string; timestamp?: number };
  /** More entries exist than maxExceptions allowed. */
  truncated: boolean;
}

/** Values of GET /jobs/:id/metrics: numbers where Flink sent a number, else the text. Absent = unknown. */
export type MetricValues = Partial<Record<string, number | string>>;

/** The job's restart counter: numRestarts (Flink 2.x; also on 1.20) or the deprecated fullRestarts. */
export interface RestartCount {
  metric: 'numRestarts' | 'fullRestarts';
  value: number;
}

/** One completed checkpoint or savepoint. */
export interface CheckpointInfo {
  id: number;
  isSavepoint: boolean;
  triggeredAt: number;
  completedAt: number;
  durationMs?: number;
  sizeBytes?: number;
  externalPath?: string;
}

/** GET /jobs/:id/checkpoints, reduced to what health checks need. */
export interface CheckpointStats {
  counts: { completed: number; failed: number; inProgress: number; restored: number; total: number };
  latestCompleted?: CheckpointInfo;
  latestSavepoint?: CheckpointInfo;
  latestFailed?: { id: number; failedAt?: number; message?: string };
  restored?: { id: number; restoredAt: number; isSavepoint: boolean; externalPath?: string };
}

/** Back-pressure level as Flink reports it. */
export type BackpressureLevel = 'ok' | 'low' | 'high' | (string & {});

/** GET /jobs/:id/vertices/:vid/backpressure. `status` 'deprecated' = no sample yet (ask again). */
export interface BackpressureView {
  status: string;
  level?: BackpressureLevel;
  measuredAt?: number;
  subtasks: Array<{
    subtask: number;
    level?: BackpressureLevel;
    ratio: number;
    idleRatio?: number;
    busyRatio?: number;
  }>;
}

/** GET /overview. */
export interface ClusterOverview {
  taskManagers: number;
  slotsTotal: number;
  slotsAvailable: number;
  jobsRunning: number;
  jobsFinished: number;
  jobsCancelled: number;
  jobsFailed: number;
  flinkVersion: string;
}

/** GET /config. */
export interface ClusterConfig {
  flinkVersion: string;
  flinkRevision?: string;
  refreshIntervalMs: number;
  timezone?: string;
  features: Record<string, boolean>;
}
