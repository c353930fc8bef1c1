/**
 * FlinkBackend over a real Flink session cluster's REST API (the test bed's test/peers/sandbox/flink):
 * uploads the test job jar once, runs one job per application version (`--mode`, `--version`,
 * extra args), cancels, stops with a savepoint, triggers savepoints, and reads numRestarts,
 * checkpoint counters and the cluster's log files.
 *
 * Log attribution: the sandbox's log4j pattern has no job id, so a job's events are the lines that
 * name its id plus the task lines whose attempt id starts with one of its execution graph ids
 * (learnt from "Created execution graph <egid> for job <jobId>"). A job id printed in the log
 * context (MDC `flink-job-id`) is used when present.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FlinkJobSubmitError, runJob, uploadJar } from '../flink/jobs.js';
import type { CheckpointStats, FlinkBackend, FlinkJobState, JobLogEvent, JobSpec } from './flink-backend.js';
import {
  Checkpoints,
  JobDetail,
  Metrics,
  parseFlink,
  SavepointStatus,
  TriggerResponse,
} from './flink-rest-schema.js';
import { FlinkLogFollower } from './logs/flink-log.js';

export interface RestFlinkBackendOptions {
  restUrl: string;
  /** The test job jar (test/peers/sandbox/flink FlinkClusterInfo.jobJar). */
  jobJar: string;
  /** The id of the jar when it is already uploaded (the flink peer's `jarId`). */
  jarId?: string;
  /** Directory of the cluster's *.log files (JobManager and TaskManagers). */
  logDir?: string;
  /** Where savepoints go (the cluster default when absent). */
  savepointDir?: string;
  /** Extra program args for every job (e.g. a lower `--rate`). */
  extraArgs?: string[];
  pollMs?: number;
  /** How long a savepoint or a cancel may take. */
  operationTimeoutMs?: number;
}

const TERMINAL = new Set(['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED']);
const CREATED_GRAPH = /Created execution graph ([0-9a-f]{32}) for job ([0-9a-f]{32})/;

export class RestFlinkBackend implements FlinkBackend {
  readonly restUrl: string;
  private jarId: Promise<string> | undefined;
  private readonly follower = new FlinkLogFollower();
  private readonly pollMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: RestFlinkBackendOptions) {
    this.restUrl = opts.restUrl.replace(/\/$/, '');
    this.pollMs = opts.pollMs ?? 250;
    this.timeoutMs = opts.operationTimeoutMs ?? 120_000;
  }

  async startJob(spec: JobSpec): Promise<{ jobId: string }> {
    const jarId = await this.ensureJar();
    try {
      const jobId = await runJob(this.restUrl, jarId, {
        mode: spec.mode,
        version: spec.versionLabel,
        args: [...(this.opts.extraArgs ?? []), ...spec.args],
        allowNonRestoredState: spec.allowNonRestoredState ?? false,
        ...(spec.savepointPath ? { savepointPath: spec.savepointPath } : {}),
        ...(spec.parallelism ? { parallelism: spec.parallelism } : {}),
      });
      return { jobId };
    } catch (e) {
      // MSF reports the job's own failure text (e.g. the exception thrown in main()).
      if (e instanceof FlinkJobSubmitError) throw new Error(flinkError({ errors: e.flinkErrors }));
      throw e;
    }
  }

  async jobState(jobId: string): Promise<FlinkJobState | undefined> {
    const res = await this.call('GET', `/jobs/${jobId}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET /jobs/${jobId}: HTTP ${res.status}`);
    const job = parseFlink(JobDetail, res.body, `GET /jobs/${jobId}`);
    return job.state;
  }

  async allSubtasksRunning(jobId: string): Promise<boolean> {
    const res = await this.call('GET', `/jobs/${jobId}`);
    if (res.status !== 200) return false;
    const job = parseFlink(JobDetail, res.body, `GET /jobs/${jobId}`);
    const counts = job['status-counts'] ?? {};
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return job.state === 'RUNNING' && total > 0 && counts.RUNNING === total;
  }

  async cancelJob(jobId: string): Promise<void> {
    const state = await this.jobState(jobId);
    if (state === undefined || TERMINAL.has(state)) return;
    const res = await this.call('PATCH', `/jobs/${jobId}?mode=cancel`);
    if (res.status !== 202 && res.status !== 200) throw new Error(`cancel ${jobId}: ${flinkError(res.body)}`);
    await this.waitTerminal(jobId);
  }

  async stopWithSavepoint(jobId: string): Promise<{ savepointPath: string }> {
    const body: Record<string, unknown> = { drain: false, formatType: 'CANONICAL' };
    if (this.opts.savepointDir) body.targetDirectory = this.opts.savepointDir;
    const res = await this.call('POST', `/jobs/${jobId}/stop`, body);
    if (res.status !== 202 && res.status !== 200)
      throw new Error(`stop-with-savepoint ${jobId}: ${flinkError(res.body)}`);
    const path = await this.waitSavepoint(
      jobId,
      parseFlink(TriggerResponse, res.body, 'POST /jobs/:jid/stop')['request-id'],
    );
    await this.waitTerminal(jobId);
    return { savepointPath: path };
  }

  async triggerSavepoint(jobId: string): Promise<{ savepointPath: string }> {
    const body: Record<string, unknown> = { 'cancel-job': false, formatType: 'CANONICAL' };
    if (this.opts.savepointDir) body['target-directory'] = this.opts.savepointDir;
    const res = await this.call('POST', `/jobs/${jobId}/savepoints`, body);
    if (res.status !== 202 && res.status !== 200)
      throw new Error(`savepoint ${jobId}: ${flinkError(res.body)}`);
    return {
      savepointPath: await this.waitSavepoint(
        jobId,
        parseFlink(TriggerResponse, res.body, 'POST savepoint trigger')['request-id'],
      ),
    };
  }

  async numRestarts(jobId: string): Promise<number | undefined> {
    const res = await this.call('GET', `/jobs/${jobId}/metrics?get=numRestarts`);
    if (res.status !== 200) return undefined;
    const v = parseFlink(Metrics, res.body, 'GET /jobs/:jid/metrics').find(
      (m) => m.id === 'numRestarts',
    )?.value;
    return v === undefined ? undefined : Number(v);
  }

  async checkpointStats(jobId: string): Promise<CheckpointStats | undefined> {
    const res = await this.call('GET', `/jobs/${jobId}/checkpoints`);
    if (res.status !== 200) return undefined;
    const b = parseFlink(Checkpoints, res.body, 'GET /jobs/:jid/checkpoints');
    const last = b.latest?.completed ?? undefined;
    return {
      completed: b.counts?.completed ?? 0,
      failed: b.counts?.failed ?? 0,
      ...(last?.end_to_end_duration !== undefined ? { lastDurationMs: last.end_to_end_duration } : {}),
      ...(last ? { lastSizeBytes: last.checkpointed_size ?? last.state_size ?? 0 } : {}),
    };
  }

  async logEvents(jobId: string, sinceMs: number): Promise<JobLogEvent[]> {
    if (!this.opts.logDir) return [];
    const files = readdirSync(this.opts.logDir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => join(this.opts.logDir!, f));
    const events = this.follower.read(files);
    // Task attempt ids are "<executionGraphId>_<vertexId>_<subtask>_<attempt>", and the JobMaster
    // logs "Created execution graph <egid> for job <jobId>": that maps every task line to its job.
    const graphs = new Set<string>();
    for (const e of events) {
      const m = CREATED_GRAPH.exec(e.message);
      if (m && m[2] === jobId) graphs.add(m[1]!);
    }
    const out: JobLogEvent[] = [];
    for (const e of events) {
      if (e.timestampMs < sinceMs) continue;
      const mine =
        e.contextJobId !== undefined
          ? e.contextJobId === jobId
          : e.message.includes(jobId) || [...graphs].some((g) => e.message.includes(`${g}_`));
      if (!mine) continue;
      const { contextJobId: _drop, ...event } = e;
      out.push(event);
    }
    return out;
  }

  private ensureJar(): Promise<string> {
    this.jarId ??= (
      this.opts.jarId ? Promise.resolve(this.opts.jarId) : uploadJar(this.restUrl, this.opts.jobJar)
    ).catch((e) => {
      this.jarId = undefined;
      throw e;
    });
    return this.jarId;
  }

  private async waitSavepoint(jobId: string, requestId: string): Promise<string> {
    const deadline = Date.now() + this.timeoutMs;
    while (Date.now() < deadline) {
      const res = await this.call('GET', `/jobs/${jobId}/savepoints/${requestId}`);
      const b = parseFlink(SavepointStatus, res.body, 'GET /jobs/:jid/savepoints/:id');
      if (b.status?.id === 'COMPLETED') {
        if (b.operation?.location) return b.operation.location;
        const cause = b.operation?.['failure-cause'];
        throw new Error(
          `savepoint failed: ${firstLine(cause?.['stack-trace'] ?? cause?.class ?? 'unknown cause')}`,
        );
      }
      await sleep(this.pollMs);
    }
    throw new Error(`savepoint of job ${jobId} did not complete within ${this.timeoutMs} ms`);
  }

  private async waitTerminal(jobId: string): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    while (Date.now() < deadline) {
      const s = await this.jobState(jobId);
      if (s === undefined || TERMINAL.has(s)) return;
      await sleep(this.pollMs);
    }
    throw new Error(`job ${jobId} did not stop within ${this.timeoutMs} ms`);
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.restUrl}${path}`, {
      method,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
        : {}),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      /* keep the text */
    }
    return { status: res.status, body: parsed };
  }
}

/** The most telling line of a Flink REST error (the deepest "Caused by"). */
function flinkError(body: unknown): string {
  const errors = (body as { errors?: string[] })?.errors ?? [String(body)];
  const text = errors.join('\n');
  const main = /The main method caused an error: ([^\n]+)/.exec(text);
  if (main)
    return `org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: ${main[1]}`;
  const causes = [...text.matchAll(/Caused by: ([^\n]+)/g)].map((m) => m[1]!);
  return causes.length > 0 ? causes[causes.length - 1]! : firstLine(text);
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .find((l) => l.trim().length > 0)
      ?.trim() ?? s
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The log directory of a sandbox cluster, from its JobManager log file path. */
export function logDirOf(jobManagerLogFile: string): string {
  return dirname(jobManagerLogFile);
}
