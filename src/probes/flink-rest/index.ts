/**
 * The Flink REST port: read-only views of a JobManager's REST API, over a direct connection
 * (self-managed Flink) or the MSF presigned dashboard (transport.ts). Every payload is validated
 * (schema.ts) and mapped to plain domain values (map.ts); a bad payload fails naming the endpoint
 * and the field, never echoing values.
 *
 * AWS advises against polling Flink REST continuously on a running MSF job: call it right after an
 * operation (evaluateSubtasks) and use CloudWatch Logs for continuous watching.
 */
import type { z } from 'zod';
import type { JobView } from '../../domain/flink.js';
import { parseResponse } from '../aws-response.js';
import { checkFlinkId } from './ids.js';
import {
  toBackpressure,
  toCheckpointStats,
  toClusterConfig,
  toClusterOverview,
  toJobExceptions,
  toJobStatusEntries,
  toJobSummaries,
  toJobView,
  toMetricValues,
  toRestartCount,
} from './map.js';
import {
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
import type { FlinkRestTransport } from './transport.js';
import type {
  BackpressureView,
  CheckpointStats,
  ClusterConfig,
  ClusterOverview,
  JobExceptions,
  JobStatusEntry,
  JobSummary,
  MetricValues,
  RestartCount,
} from './types.js';

export { DashboardUnavailable, FlinkRestError } from './errors.js';
export { RateLimits, TokenBucket, throttleDelay } from './pacing.js';
export { evaluateSubtasks, type SubtaskEvaluation } from './subtasks.js';
export {
  DirectTransport,
  type FlinkRestTransport,
  MAX_UNUSED_AGE_MS,
  PresignedTransport,
  type PresignFn,
  type TransportOptions,
} from './transport.js';
export type * from './types.js';

/** Read-only Flink REST, one method per endpoint streamctl uses. */
export interface FlinkRestPort {
  /** Safe to print: the base URL (direct) or a label (presigned). */
  readonly target: string;
  /** GET /jobs */
  jobs(): Promise<JobStatusEntry[]>;
  /** GET /jobs/overview */
  jobsOverview(): Promise<JobSummary[]>;
  /** GET /jobs/:id — vertices, tasks per state, status-counts. */
  job(jobId: string): Promise<JobView>;
  /** GET /jobs/:id/exceptions?maxExceptions=N (default 10), newest first. */
  exceptions(jobId: string, maxExceptions?: number): Promise<JobExceptions>;
  /** GET /jobs/:id/metrics?get=… — absent keys are unknown (not yet fetched by the JobManager). */
  metrics(jobId: string, names: readonly string[]): Promise<MetricValues>;
  /** numRestarts, or fullRestarts where only that exists; undefined = unknown. */
  restartCount(jobId: string): Promise<RestartCount | undefined>;
  /** GET /jobs/:id/checkpoints */
  checkpoints(jobId: string): Promise<CheckpointStats>;
  /** GET /jobs/:id/vertices/:vid/backpressure */
  backpressure(jobId: string, vertexId: string): Promise<BackpressureView>;
  /** GET /config — version and web features. */
  config(): Promise<ClusterConfig>;
  /** GET /overview — TaskManagers, slots, job counts. */
  overview(): Promise<ClusterOverview>;
}

/** Builds the port over a transport. */
export function flinkRestPort(transport: FlinkRestTransport): FlinkRestPort {
  const get = async <S extends z.ZodType>(
    schema: S,
    endpoint: string,
    label: string,
    query?: Record<string, string>,
  ): Promise<z.output<S>> =>
    parseResponse(schema, await transport.get(endpoint, query), `Flink REST GET ${label}`);
  const metrics = async (jobId: string, names: readonly string[]) =>
    toMetricValues(
      await get(MetricsSchema, `jobs/${checkFlinkId('job id', jobId)}/metrics`, '/jobs/:id/metrics', {
        get: names.join(','),
      }),
    );

  return {
    target: transport.target,
    jobs: async () => toJobStatusEntries(await get(JobsSchema, 'jobs', '/jobs')),
    jobsOverview: async () =>
      toJobSummaries(await get(JobsOverviewSchema, 'jobs/overview', '/jobs/overview')),
    job: async (jobId) =>
      toJobView(await get(JobDetailSchema, `jobs/${checkFlinkId('job id', jobId)}`, '/jobs/:id')),
    exceptions: async (jobId, maxExceptions = 10) =>
      toJobExceptions(
        await get(
          ExceptionsSchema,
          `jobs/${checkFlinkId('job id', jobId)}/exceptions`,
          '/jobs/:id/exceptions',
          { maxExceptions: String(maxExceptions) },
        ),
      ),
    metrics,
    restartCount: async (jobId) => toRestartCount(await metrics(jobId, ['numRestarts', 'fullRestarts'])),
    checkpoints: async (jobId) =>
      toCheckpointStats(
        await get(
          CheckpointsSchema,
          `jobs/${checkFlinkId('job id', jobId)}/checkpoints`,
          '/jobs/:id/checkpoints',
        ),
      ),
    backpressure: async (jobId, vertexId) =>
      toBackpressure(
        await get(
          BackpressureSchema,
          `jobs/${checkFlinkId('job id', jobId)}/vertices/${checkFlinkId('vertex id', vertexId)}/backpressure`,
          '/jobs/:id/vertices/:vid/backpressure',
        ),
      ),
    config: async () => toClusterConfig(await get(ConfigSchema, 'config', '/config')),
    overview: async () => toClusterOverview(await get(OverviewSchema, 'overview', '/overview')),
  };
}
