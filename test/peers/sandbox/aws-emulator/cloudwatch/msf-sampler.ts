/**
 * Publishes the AWS/KinesisAnalytics series of each application from its real Flink job, the way
 * MSF does: every few seconds it samples the job's restart counter, state and checkpoints into
 * raw samples that GetMetricData aggregates per period (Maximum per minute for the counters).
 *
 * - `fullRestarts` (runtimes before Flink 2: MSF removed it on FLINK-2_2) and `numRestarts`: the
 *   job's numRestarts. A start or update submits a new job, so the counter resets to 0 — a drop,
 *   which streamctl must read as a reset, not as negative restarts.
 * - `uptime` / `downtime` (ms): time RUNNING / time since the job left RUNNING.
 * - `numberOfFailedCheckpoints`, `lastCheckpointDuration`, `lastCheckpointSize`.
 * Applications without a job (READY) publish nothing, as MSF does not.
 */
import type { EmulatorClock } from '../clock.js';
import type { FlinkBackend } from '../flink-backend.js';
import type { MsfEngine } from '../msf/engine.js';
import type { MetricStore } from './store.js';

export const MSF_NAMESPACE = 'AWS/KinesisAnalytics';

interface JobTrack {
  jobId: string;
  runningSince?: number;
  downSince?: number;
}

export class MsfSampler {
  private readonly tracks = new Map<string, JobTrack>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly engine: MsfEngine,
    private readonly backend: FlinkBackend | undefined,
    private readonly store: MetricStore,
    private readonly clock: EmulatorClock,
  ) {}

  /** Samples every `intervalMs` of real time until stop(). */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sampleNow().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Takes one sample of every application now (tests call this instead of waiting for the timer). */
  async sampleNow(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.sampleAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sampleAll(): Promise<void> {
    if (!this.backend) return;
    for (const app of this.engine.apps.values()) {
      const job = app.job;
      if (!job) {
        this.tracks.delete(app.name);
        continue;
      }
      const [restarts, state, cps] = await Promise.all([
        this.backend.numRestarts(job.jobId).catch(() => undefined),
        this.backend.jobState(job.jobId).catch(() => undefined),
        this.backend.checkpointStats(job.jobId).catch(() => undefined),
      ]);
      const t = this.clock.now();
      const dims = [{ Name: 'Application', Value: app.name }];
      const put = (name: string, v: number | undefined) => {
        if (v !== undefined && Number.isFinite(v)) this.store.put(MSF_NAMESPACE, name, dims, [{ t, v }]);
      };
      const runtime = app.versions.get(job.versionId)?.runtime ?? '';
      put('numRestarts', restarts);
      if (!runtime.startsWith('FLINK-2')) put('fullRestarts', restarts);

      let track = this.tracks.get(app.name);
      if (!track || track.jobId !== job.jobId) {
        track = { jobId: job.jobId };
        this.tracks.set(app.name, track);
      }
      if (state === 'RUNNING') {
        track.downSince = undefined;
        track.runningSince ??= t;
        put('uptime', t - track.runningSince);
        put('downtime', 0);
      } else if (state !== undefined) {
        track.runningSince = undefined;
        track.downSince ??= t;
        put('uptime', 0);
        put('downtime', t - track.downSince);
      }
      if (cps) {
        put('numberOfFailedCheckpoints', cps.failed);
        put('lastCheckpointDuration', cps.lastDurationMs);
        put('lastCheckpointSize', cps.lastSizeBytes);
      }
    }
  }
}
