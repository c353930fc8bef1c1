import type { CheckpointStats, FlinkBackend, FlinkJobState, JobLogEvent, JobSpec } from './flink-backend.js';

interface FakeJob {
  id: string;
  spec: JobSpec;
  startedAt: number;
  endedAt?: number;
  state: FlinkJobState;
}

/**
 * An in-memory FlinkBackend for fast unit tests of the emulator's state machines. Time comes from
 * the injected `now` so tests stay deterministic: a `user-error` or `external` job restarts once
 * every `restartEveryMs` (its numRestarts grows with time), a `healthy` one never does, and a
 * `fail-in-main` one is refused at submission like a job whose `main` throws.
 */
export class FakeFlinkBackend implements FlinkBackend {
  readonly jobs = new Map<string, FakeJob>();
  /** When true, savepoints fail (as they do for a job stuck in a restart loop). */
  failSavepoints = false;
  private seq = 0;
  private gate: Promise<void> | undefined;

  /**
   * Holds every job submission, cancel and savepoint until the returned release is called, so a
   * test can observe an operation's transitional status (STARTING, STOPPING, ...) deterministically.
   */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((r) => {
      release = r;
    });
    return () => {
      this.gate = undefined;
      release();
    };
  }

  constructor(
    private readonly now: () => number,
    private readonly restartEveryMs = 10_000,
  ) {}

  async startJob(spec: JobSpec): Promise<{ jobId: string }> {
    await this.gate;
    if (spec.mode === 'fail-in-main') {
      throw new Error(
        `org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: ` +
          `java.lang.IllegalArgumentException: bad configuration for ${spec.versionLabel}`,
      );
    }
    this.seq += 1;
    const id = this.seq.toString(16).padStart(32, '0');
    this.jobs.set(id, { id, spec, startedAt: this.now(), state: 'RUNNING' });
    return { jobId: id };
  }

  async jobState(jobId: string): Promise<FlinkJobState | undefined> {
    const job = this.jobs.get(jobId);
    if (!job) return undefined;
    if (job.state !== 'RUNNING') return job.state;
    if (this.loops(job)) return (this.restartsOf(job) % 2 === 0 ? 'RUNNING' : 'RESTARTING') as FlinkJobState;
    return 'RUNNING';
  }

  async cancelJob(jobId: string): Promise<void> {
    await this.gate;
    this.end(jobId, 'CANCELED');
  }

  async stopWithSavepoint(jobId: string): Promise<{ savepointPath: string }> {
    await this.gate;
    const job = this.mustGet(jobId);
    if (this.failSavepoints || this.loops(job))
      throw new Error(`savepoint of job ${jobId} failed: job is not running`);
    this.end(jobId, 'FINISHED');
    return { savepointPath: `file:///fake/savepoints/savepoint-${jobId.slice(-6)}-${this.now()}` };
  }

  async triggerSavepoint(jobId: string): Promise<{ savepointPath: string }> {
    await this.gate;
    const job = this.mustGet(jobId);
    if (this.failSavepoints || this.loops(job))
      throw new Error(`savepoint of job ${jobId} failed: job is not running`);
    return { savepointPath: `file:///fake/savepoints/savepoint-${jobId.slice(-6)}-${this.now()}` };
  }

  async numRestarts(jobId: string): Promise<number | undefined> {
    const job = this.jobs.get(jobId);
    return job ? this.restartsOf(job) : undefined;
  }

  async checkpointStats(jobId: string): Promise<CheckpointStats | undefined> {
    const job = this.jobs.get(jobId);
    if (!job) return undefined;
    const failed = this.loops(job) ? this.restartsOf(job) : 0;
    return { completed: this.loops(job) ? 0 : 1, failed, lastDurationMs: 120, lastSizeBytes: 4096 };
  }

  async logEvents(jobId: string, sinceMs: number): Promise<JobLogEvent[]> {
    const job = this.jobs.get(jobId);
    if (!job) return [];
    const events: JobLogEvent[] = [];
    const task = `Source: numbers -> Map (1/1)`;
    const logger = 'org.apache.flink.runtime.executiongraph.Execution';
    const push = (t: number, from: string, to: string) =>
      events.push({
        timestampMs: t,
        level: 'INFO',
        logger,
        message: `${task} (attempt) switched from ${from} to ${to}.`,
      });
    push(job.startedAt, 'CREATED', 'SCHEDULED');
    push(job.startedAt, 'SCHEDULED', 'DEPLOYING');
    push(job.startedAt, 'DEPLOYING', 'RUNNING');
    const restarts = this.restartsOf(job);
    for (let i = 1; i <= restarts; i++) {
      const t = job.startedAt + i * this.restartEveryMs;
      push(t, 'RUNNING', 'FAILED');
      push(t, 'CREATED', 'SCHEDULED');
      push(t, 'DEPLOYING', 'RUNNING');
    }
    if (job.endedAt !== undefined)
      push(job.endedAt, 'RUNNING', job.state === 'CANCELED' ? 'CANCELED' : 'FINISHED');
    return events.filter((e) => e.timestampMs >= sinceMs);
  }

  private loops(job: FakeJob): boolean {
    return job.spec.mode === 'user-error' || job.spec.mode === 'external';
  }

  private restartsOf(job: FakeJob): number {
    if (!this.loops(job)) return 0;
    const until = job.endedAt ?? this.now();
    return Math.max(0, Math.floor((until - job.startedAt) / this.restartEveryMs));
  }

  private mustGet(jobId: string): FakeJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`unknown job ${jobId}`);
    return job;
  }

  private end(jobId: string, state: FlinkJobState): void {
    const job = this.mustGet(jobId);
    if (job.endedAt === undefined) {
      job.endedAt = this.now();
      job.state = state;
    }
  }
}
