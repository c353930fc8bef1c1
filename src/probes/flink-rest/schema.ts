/**
 * zod schemas for what Flink 1.19/1.20 REST returns (rest_v1_dispatcher.yml), checked against a real
 * 1.20 cluster (test/probes/flink-rest/fixtures are captured payloads). Only the fields streamctl
 * reads are required; extra fields pass. Task-state keys are UPPER-case in /jobs/:id and lower-case
 * in /jobs/overview: both are plain records here and normalised in map.ts.
 */
import { z } from 'zod';

const Counts = z.record(z.string(), z.number());

/** GET /jobs */
export const JobsSchema = z.object({ jobs: z.array(z.object({ id: z.string(), status: z.string() })) });

/** GET /jobs/overview */
export const JobsOverviewSchema = z.object({
  jobs: z.array(
    z.object({
      jid: z.string(),
      name: z.string(),
      state: z.string(),
      'start-time': z.number(),
      'end-time': z.number().optional(),
      duration: z.number().optional(),
      'last-modification': z.number().optional(),
      tasks: Counts,
    }),
  ),
});

/** GET /jobs/:jid (`status-counts` counts vertices, not subtasks: see map.ts toJobView). */
export const JobDetailSchema = z.object({
  jid: z.string(),
  name: z.string(),
  state: z.string(),
  'start-time': z.number().optional(),
  'end-time': z.number().optional(),
  duration: z.number().optional(),
  'status-counts': Counts,
  vertices: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      parallelism: z.number(),
      status: z.string(),
      tasks: Counts,
    }),
  ),
});

const HistoryEntry = z.object({
  exceptionName: z.string(),
  stacktrace: z.string(),
  timestamp: z.number(),
  taskName: z.string().nullish(),
  location: z.string().nullish(),
  endpoint: z.string().nullish(),
  taskManagerId: z.string().nullish(),
  failureLabels: z.record(z.string(), z.string()).nullish(),
});

/** GET /jobs/:jid/exceptions?maxExceptions=N (root-exception is deprecated; gone in Flink 2.x). */
export const ExceptionsSchema = z.object({
  'root-exception': z.string().nullish(),
  timestamp: z.number().nullish(),
  exceptionHistory: z
    .object({
      entries: z.array(HistoryEntry.extend({ concurrentExceptions: z.array(HistoryEntry).optional() })),
      truncated: z.boolean().optional(),
    })
    .optional(),
});

/** GET /jobs/:jid/metrics?get=a,b — `value` is absent when metrics are only listed. */
export const MetricsSchema = z.array(z.object({ id: z.string(), value: z.string().optional() }));

const CompletedCheckpoint = z.object({
  id: z.number(),
  is_savepoint: z.boolean().optional(),
  trigger_timestamp: z.number(),
  latest_ack_timestamp: z.number(),
  end_to_end_duration: z.number().optional(),
  state_size: z.number().optional(),
  checkpointed_size: z.number().optional(),
  external_path: z.string().nullish(),
});

/** GET /jobs/:jid/checkpoints */
export const CheckpointsSchema = z.object({
  counts: z.object({
    restored: z.number(),
    total: z.number(),
    in_progress: z.number(),
    completed: z.number(),
    failed: z.number(),
  }),
  latest: z
    .object({
      completed: CompletedCheckpoint.nullish(),
      savepoint: CompletedCheckpoint.nullish(),
      failed: z
        .object({
          id: z.number(),
          trigger_timestamp: z.number().optional(),
          failure_timestamp: z.number().optional(),
          failure_message: z.string().nullish(),
        })
        .nullish(),
      restored: z
        .object({
          id: z.number(),
          restore_timestamp: z.number(),
          is_savepoint: z.boolean(),
          external_path: z.string().nullish(),
        })
        .nullish(),
    })
    .optional(),
});

/** GET /jobs/:jid/vertices/:vid/backpressure (busy-time based since Flink 1.13). */
export const BackpressureSchema = z.object({
  status: z.string(),
  backpressureLevel: z.string().optional(),
  'backpressure-level': z.string().optional(),
  'end-timestamp': z.number().optional(),
  subtasks: z
    .array(
      z.object({
        subtask: z.number(),
        backpressureLevel: z.string().optional(),
        'backpressure-level': z.string().optional(),
        ratio: z.number(),
        idleRatio: z.number().optional(),
        busyRatio: z.number().optional(),
      }),
    )
    .optional(),
});

/** GET /overview */
export const OverviewSchema = z.object({
  taskmanagers: z.number(),
  'slots-total': z.number(),
  'slots-available': z.number(),
  'jobs-running': z.number(),
  'jobs-finished': z.number(),
  'jobs-cancelled': z.number(),
  'jobs-failed': z.number(),
  'flink-version': z.string(),
});

/** GET /config */
export const ConfigSchema = z.object({
  'refresh-interval': z.number(),
  'flink-version': z.string(),
  'flink-revision': z.string().optional(),
  'timezone-name': z.string().optional(),
  features: z.record(z.string(), z.boolean()).optional(),
});
