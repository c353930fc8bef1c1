/**
 * An in-memory FlinkRestPort for fast tests of code that reads Flink REST (the subtask poller, the
 * healer's verify step, commands). It behaves like the real port where callers can tell: unknown
 * jobs are a not-found FlinkRestError, bad ids a usage error, and `failWith` makes every call fail
 * (e.g. with DashboardUnavailable while an MSF application is UPDATING). Every call is recorded.
 */
import type { JobException, JobView } from '../../../src/domain/flink.js';
import { FlinkRestError } from '../../../src/probes/flink-rest/errors.js';
import { checkFlinkId } from '../../../src/probes/flink-rest/ids.js';
import type { FlinkRestPort } from '../../../src/probes/flink-rest/index.js';
import { totalSubtasks } from '../../../src/probes/flink-rest/map.js';
import type {
  BackpressureView,
  CheckpointStats,
  ClusterConfig,
  ClusterOverview,
  JobExceptions,
  MetricValues,
  RestartCount,
} from '../../../src/probes/flink-rest/types.js';

/** What the fake knows about one job besides its view. */
export interface FakeJob {
  view: JobView;
  /** Newest first, as Flink returns them. */
  exceptions?: JobException[];
  metrics?: MetricValues;
  checkpoints?: CheckpointStats;
  backpressure?: Record<string, BackpressureView>;
}

export class FakeFlinkRest implements FlinkRestPort {
  readonly target = 'fake Flink REST';
  /** Calls in order, e.g. `job a1b2…`. */
  readonly calls: string[] = [];
  private readonly jobsById = new Map<string, FakeJob>();
  private failure: Error | undefined;

  constructor(
    private clusterOverview: ClusterOverview = {
      taskManagers: 1,
      slotsTotal: 4,
      slotsAvailable: 4,
      jobsRunning: 0,
      jobsFinished: 0,
      jobsCancelled: 0,
      jobsFailed: 0,
      flinkVersion: '1.20.5',
    },
  ) {}

  /** Adds or replaces a job. */
  setJob(job: FakeJob): this {
    this.jobsById.set(job.view.id, job);
    return this;
  }

  /** Changes part of a known job (e.g. its view after a restart). */
  updateJob(id: string, patch: Partial<FakeJob>): this {
    const j = this.known(id, 'update');
    this.jobsById.set(id, { ...j, ...patch });
    return this;
  }

  removeJob(id: string): this {
    this.jobsById.delete(id);
    return this;
  }

  /** Every following call rejects with `error` (undefined: back to normal). */
  failWith(error: Error | undefined): this {
    this.failure = error;
    return this;
  }

  private enter(call: string): void {
    this.calls.push(call);
    if (this.failure) throw this.failure;
  }

  private known(id: string, endpoint: string): FakeJob {
    checkFlinkId('job id', id);
    const j = this.jobsById.get(id);
    if (!j)
      throw new FlinkRestError(
        'not-found',
        `GET jobs/${id}${endpoint ? `/${endpoint}` : ''}`,
        `HTTP 404: Job ${id} not found`,
        404,
      );
    return j;
  }

  async jobs() {
    this.enter('jobs');
    return [...this.jobsById.values()].map((j) => ({ id: j.view.id, state: j.view.state }));
  }

  async jobsOverview() {
    this.enter('jobsOverview');
    return [...this.jobsById.values()].map((j) => ({
      id: j.view.id,
      name: j.view.name,
      state: j.view.state,
      startTime: j.view.startTime ?? 0,
      ...(j.view.durationMs !== undefined ? { durationMs: j.view.durationMs } : {}),
      subtasks: { ...j.view.subtasks },
      totalSubtasks: totalSubtasks(j.view.subtasks),
    }));
  }

  async job(jobId: string) {
    this.enter(`job ${jobId}`);
    return structuredClone(this.known(jobId, '').view);
  }

  async exceptions(jobId: string, maxExceptions = 10): Promise<JobExceptions> {
    this.enter(`exceptions ${jobId}`);
    const all = this.known(jobId, 'exceptions').exceptions ?? [];
    return {
      entries: all.slice(0, maxExceptions).map((e) => ({ ...e, concurrent: 0 })),
      truncated: all.length > maxExceptions,
    };
  }

  async metrics(jobId: string, names: readonly string[]): Promise<MetricValues> {
    this.enter(`metrics ${jobId} ${names.join(',')}`);
    const m = this.known(jobId, 'metrics').metrics ?? {};
    return Object.fromEntries(names.filter((n) => m[n] !== undefined).map((n) => [n, m[n]]));
  }

  async restartCount(jobId: string): Promise<RestartCount | undefined> {
    const m = await this.metrics(jobId, ['numRestarts', 'fullRestarts']);
    if (typeof m.numRestarts === 'number') return { metric: 'numRestarts', value: m.numRestarts };
    if (typeof m.fullRestarts === 'number') return { metric: 'fullRestarts', value: m.fullRestarts };
    return undefined;
  }

  async checkpoints(jobId: string): Promise<CheckpointStats> {
    this.enter(`checkpoints ${jobId}`);
    return (
      this.known(jobId, 'checkpoints').checkpoints ?? {
        counts: { completed: 0, failed: 0, inProgress: 0, restored: 0, total: 0 },
      }
    );
  }

  async backpressure(jobId: string, vertexId: string): Promise<BackpressureView> {
    this.enter(`backpressure ${jobId} ${vertexId}`);
    checkFlinkId('vertex id', vertexId);
    const j = this.known(jobId, 'vertices');
    if (!j.view.vertices.some((v) => v.id === vertexId)) {
      throw new FlinkRestError(
        'not-found',
        `GET jobs/${jobId}/vertices/${vertexId}/backpressure`,
        `HTTP 404: Vertex ${vertexId} not found`,
        404,
      );
    }
    return j.backpressure?.[vertexId] ?? { status: 'deprecated', subtasks: [] };
  }

  async config(): Promise<ClusterConfig> {
    this.enter('config');
    return {
      flinkVersion: this.clusterOverview.flinkVersion,
      refreshIntervalMs: 3000,
      features: { 'web-submit': true, 'web-cancel': true },
    };
  }

  async overview(): Promise<ClusterOverview> {
    this.enter('overview');
    const running = [...this.jobsById.values()].filter((j) => j.view.state === 'RUNNING').length;
    return { ...this.clusterOverview, jobsRunning: running };
  }
}
