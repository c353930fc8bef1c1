/**
 * Pure raw → domain mapping of Flink REST payloads (validated by schema.ts first). No I/O, no clock.
 */
import type { z } from 'zod';
import {
  EXECUTION_STATES,
  type ExecutionState,
  type JobException,
  type JobView,
  type SubtaskCounts,
} from '../../domain/flink.js';
import type {
  BackpressureSchema,
  CheckpointsSchema,
  ConfigSchema,
  ExceptionsSchema,
  JobDetailSchema,
  JobsOverviewSchema,
  JobsSchema,
  MetricsSchema,
  OverviewSchema,
} from './schema.js';
import type {
  BackpressureView,
  CheckpointInfo,
  CheckpointStats,
  ClusterConfig,
  ClusterOverview,
  JobExceptions,
  JobStatusEntry,
  JobSummary,
  MetricValues,
  RestartCount,
} from './types.js';

const KNOWN = new Set<string>(EXECUTION_STATES);

/**
 * Subtask counts with UPPER-case ExecutionState keys, from either spelling: /jobs/:id uses
 * `{"RUNNING":2}`, /jobs/overview `{"running":2,"total":2}`. `total` and unknown states are dropped.
 */
export function toSubtaskCounts(raw: Record<string, number>): SubtaskCounts {
  const out: SubtaskCounts = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = k.toUpperCase();
    if (KNOWN.has(key)) out[key as ExecutionState] = (out[key as ExecutionState] ?? 0) + v;
  }
  return out;
}

/** Sum of all subtask counts. */
export function totalSubtasks(counts: SubtaskCounts): number {
  return Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
}

/** Flink uses -1 for "not yet" timestamps. */
function time(t: number | undefined): number | undefined {
  return t === undefined || t < 0 ? undefined : t;
}

export function toJobStatusEntries(raw: z.output<typeof JobsSchema>): JobStatusEntry[] {
  return raw.jobs.map((j) => ({ id: j.id, state: j.status }));
}

export function toJobSummaries(raw: z.output<typeof JobsOverviewSchema>): JobSummary[] {
  return raw.jobs.map((j) => {
    const subtasks = toSubtaskCounts(j.tasks);
    const end = time(j['end-time']);
    return {
      id: j.jid,
      name: j.name,
      state: j.state,
      startTime: j['start-time'],
      ...(end !== undefined ? { endTime: end } : {}),
      ...(j.duration !== undefined ? { durationMs: j.duration } : {}),
      ...(j['last-modification'] !== undefined ? { lastModification: j['last-modification'] } : {}),
      subtasks,
      totalSubtasks: j.tasks.total ?? totalSubtasks(subtasks),
    };
  });
}

/**
 * /jobs/:id. Its `status-counts` counts job VERTICES per state (a parallelism-2 job of 2 vertices
 * shows RUNNING: 2, not 4; checked on Flink 1.20.5), so subtask counts are summed over the vertices.
 */
export function toJobView(raw: z.output<typeof JobDetailSchema>): JobView {
  const start = time(raw['start-time']);
  const vertices = raw.vertices.map((v) => ({
    id: v.id,
    name: v.name,
    parallelism: v.parallelism,
    status: v.status,
    tasks: toSubtaskCounts(v.tasks),
  }));
  const subtasks: SubtaskCounts = {};
  for (const v of vertices) {
    for (const [state, n] of Object.entries(v.tasks) as Array<[ExecutionState, number]>)
      subtasks[state] = (subtasks[state] ?? 0) + n;
  }
  return {
    id: raw.jid,
    name: raw.name,
    state: raw.state,
    ...(start !== undefined ? { startTime: start } : {}),
    ...(raw.duration !== undefined ? { durationMs: raw.duration } : {}),
    subtasks,
    vertices,
  };
}

type HistoryEntry = NonNullable<z.output<typeof ExceptionsSchema>['exceptionHistory']>['entries'][number];

function toJobException(e: HistoryEntry): JobException & { concurrent: number } {
  return {
    exceptionName: e.exceptionName,
    stacktrace: e.stacktrace,
    timestamp: e.timestamp,
    ...(e.taskName ? { taskName: e.taskName } : {}),
    ...((e.location ?? e.endpoint) ? { location: (e.location ?? e.endpoint) as string } : {}),
    ...(e.taskManagerId ? { taskManagerId: e.taskManagerId } : {}),
    ...(e.failureLabels && Object.keys(e.failureLabels).length > 0 ? { failureLabels: e.failureLabels } : {}),
    concurrent: e.concurrentExceptions?.length ?? 0,
  };
}

export function toJobExceptions(raw: z.output<typeof ExceptionsSchema>): JobExceptions {
  const root = raw['root-exception'];
  const ts = raw.timestamp;
  return {
    entries: (raw.exceptionHistory?.entries ?? []).map(toJobException),
    ...(root
      ? { rootException: { stacktrace: root, ...(typeof ts === 'number' ? { timestamp: ts } : {}) } }
      : {}),
    truncated: raw.exceptionHistory?.truncated ?? false,
  };
}

/** Numeric values become numbers (Flink sends every value as a string); others stay text. */
export function toMetricValues(raw: z.output<typeof MetricsSchema>): MetricValues {
  const out: MetricValues = {};
  for (const m of raw) {
    if (m.value === undefined) continue;
    const n = Number(m.value);
    out[m.id] = m.value.trim() !== '' && Number.isFinite(n) ? n : m.value;
  }
  return out;
}

/** numRestarts when present (the counter MSF keeps on Flink 2.2), else the deprecated fullRestarts. */
export function toRestartCount(values: MetricValues): RestartCount | undefined {
  for (const metric of ['numRestarts', 'fullRestarts'] as const) {
    const v = values[metric];
    if (typeof v === 'number') return { metric, value: v };
  }
  return undefined;
}

type Completed = NonNullable<NonNullable<z.output<typeof CheckpointsSchema>['latest']>['completed']>;

function toCheckpointInfo(c: Completed): CheckpointInfo {
  return {
    id: c.id,
    isSavepoint: c.is_savepoint ?? false,
    triggeredAt: c.trigger_timestamp,
    completedAt: c.latest_ack_timestamp,
    ...(c.end_to_end_duration !== undefined ? { durationMs: c.end_to_end_duration } : {}),
    ...((c.checkpointed_size ?? c.state_size) !== undefined
      ? { sizeBytes: (c.checkpointed_size ?? c.state_size) as number }
      : {}),
    ...(c.external_path ? { externalPath: c.external_path } : {}),
  };
}

export function toCheckpointStats(raw: z.output<typeof CheckpointsSchema>): CheckpointStats {
  const l = raw.latest;
  const failed = l?.failed;
  const restored = l?.restored;
  return {
    counts: {
      completed: raw.counts.completed,
      failed: raw.counts.failed,
      inProgress: raw.counts.in_progress,
      restored: raw.counts.restored,
      total: raw.counts.total,
    },
    ...(l?.completed ? { latestCompleted: toCheckpointInfo(l.completed) } : {}),
    ...(l?.savepoint ? { latestSavepoint: toCheckpointInfo(l.savepoint) } : {}),
    ...(failed
      ? {
          latestFailed: {
            id: failed.id,
            ...(failed.failure_timestamp !== undefined ? { failedAt: failed.failure_timestamp } : {}),
            ...(failed.failure_message ? { message: failed.failure_message } : {}),
          },
        }
      : {}),
    ...(restored
      ? {
          restored: {
            id: restored.id,
            restoredAt: restored.restore_timestamp,
            isSavepoint: restored.is_savepoint,
            ...(restored.external_path ? { externalPath: restored.external_path } : {}),
          },
        }
      : {}),
  };
}

export function toBackpressure(raw: z.output<typeof BackpressureSchema>): BackpressureView {
  const level = raw.backpressureLevel ?? raw['backpressure-level'];
  return {
    status: raw.status,
    ...(level ? { level } : {}),
    ...(raw['end-timestamp'] !== undefined ? { measuredAt: raw['end-timestamp'] } : {}),
    subtasks: (raw.subtasks ?? []).map((s) => {
      const l = s.backpressureLevel ?? s['backpressure-level'];
      return {
        subtask: s.subtask,
        ...(l ? { level: l } : {}),
        ratio: s.ratio,
        ...(s.idleRatio !== undefined ? { idleRatio: s.idleRatio } : {}),
        ...(s.busyRatio !== undefined ? { busyRatio: s.busyRatio } : {}),
      };
    }),
  };
}

export function toClusterOverview(raw: z.output<typeof OverviewSchema>): ClusterOverview {
  return {
    taskManagers: raw.taskmanagers,
    slotsTotal: raw['slots-total'],
    slotsAvailable: raw['slots-available'],
    jobsRunning: raw['jobs-running'],
    jobsFinished: raw['jobs-finished'],
    jobsCancelled: raw['jobs-cancelled'],
    jobsFailed: raw['jobs-failed'],
    flinkVersion: raw['flink-version'],
  };
}

export function toClusterConfig(raw: z.output<typeof ConfigSchema>): ClusterConfig {
  return {
    flinkVersion: raw['flink-version'],
    ...(raw['flink-revision'] ? { flinkRevision: raw['flink-revision'] } : {}),
    refreshIntervalMs: raw['refresh-interval'],
    ...(raw['timezone-name'] ? { timezone: raw['timezone-name'] } : {}),
    features: raw.features ?? {},
  };
}
