/**
 * Plain Flink REST helpers for the sandbox: upload and run the test job, cancel, savepoint, wait for
 * a state, read numRestarts. Used by the tests, the AWS emulator (which backs emulated MSF
 * applications with a sandbox cluster) and `streamctl demo`. Production reads of Flink REST go
 * through src/probes/flink-rest instead.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { StreamctlError, tempFailure, unavailable } from '../../../../src/core/errors.js';
import { Sysexit } from '../../../../src/core/exit-codes.js';

/** Modes of the test job (peers/flink/job): see OrdersJob.java. */
export type TestJobMode = 'healthy' | 'user-error' | 'external' | 'fail-in-main';

/** How to run the test job. */
export interface RunJobOptions {
  mode: TestJobMode;
  /** Labels the job name, "orders-enricher <version>" (default v1). */
  version?: string;
  /** Extra program arguments, e.g. ['--fail-after', '20'] or ['--endpoint', '127.0.0.1:9999']. */
  args?: string[];
  savepointPath?: string;
  allowNonRestoredState?: boolean;
  parallelism?: number;
  /** Default: the jar's manifest Main-Class. */
  entryClass?: string;
}

/** /jars/:id/run failed: Flink's own error text (e.g. the exception thrown in main()) is `flinkErrors`. */
export class FlinkJobSubmitError extends StreamctlError {
  readonly flinkErrors: string[];
  readonly httpStatus: number;
  constructor(httpStatus: number, flinkErrors: string[]) {
    super(
      'FLINK_SUBMIT_FAILED',
      `Flink refused to run the job (HTTP ${httpStatus}): ${firstLine(flinkErrors)}`,
      { exitCode: Sysexit.UNAVAILABLE },
    );
    this.name = 'FlinkJobSubmitError';
    this.flinkErrors = flinkErrors;
    this.httpStatus = httpStatus;
  }
}

function firstLine(errors: string[]): string {
  // Flink puts the interesting "Caused by" deep in a long text; keep the first meaningful line.
  const all = errors.join('\n');
  const main = /The main method caused an error: ([^\n]+)/.exec(all);
  return main?.[1] ?? all.split('\n').find((l) => l.trim().length > 0) ?? 'no error text';
}

const ErrorBody = z.object({ errors: z.array(z.string()) });

async function call(
  restUrl: string,
  method: string,
  path: string,
  body?: unknown | FormData,
): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(`${restUrl}${path}`, {
      method,
      ...(body instanceof FormData
        ? { body }
        : body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (e) {
    throw unavailable(`Flink REST ${method} ${path} failed: ${(e as Error).message}`, undefined, e);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

async function ok(restUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await call(restUrl, method, path, body);
  if (r.status >= 200 && r.status < 300) return r.json;
  const errors = ErrorBody.safeParse(r.json);
  throw unavailable(
    `Flink REST ${method} ${path}: HTTP ${r.status}: ${errors.success ? firstLine(errors.data.errors) : String(r.json).slice(0, 300)}`,
  );
}

/** POST /jars/upload (multipart `jarfile`) → the jar id used by /jars/:id/run. */
export async function uploadJar(restUrl: string, jarPath: string): Promise<string> {
  const form = new FormData();
  form.append(
    'jarfile',
    new Blob([readFileSync(jarPath)], { type: 'application/x-java-archive' }),
    basename(jarPath),
  );
  const r = await call(restUrl, 'POST', '/jars/upload', form);
  const parsed = z.object({ filename: z.string(), status: z.literal('success') }).safeParse(r.json);
  if (!parsed.success)
    throw unavailable(
      `Flink REST POST /jars/upload: HTTP ${r.status}: ${JSON.stringify(r.json).slice(0, 300)}`,
    );
  return basename(parsed.data.filename);
}

/** Builds the program arguments of the test job. */
export function testJobArgs(opts: Pick<RunJobOptions, 'mode' | 'version' | 'args'>): string[] {
  return ['--mode', opts.mode, '--version', opts.version ?? 'v1', ...(opts.args ?? [])];
}

/** POST /jars/:id/run → job id. A failing main() raises FlinkJobSubmitError with Flink's text. */
export async function runJob(restUrl: string, jarId: string, opts: RunJobOptions): Promise<string> {
  const body = {
    programArgsList: testJobArgs(opts),
    ...(opts.entryClass ? { entryClass: opts.entryClass } : {}),
    ...(opts.savepointPath ? { savepointPath: opts.savepointPath } : {}),
    ...(opts.allowNonRestoredState !== undefined
      ? { allowNonRestoredState: opts.allowNonRestoredState }
      : {}),
    ...(opts.parallelism !== undefined ? { parallelism: opts.parallelism } : {}),
  };
  const r = await call(restUrl, 'POST', `/jars/${encodeURIComponent(jarId)}/run`, body);
  const okBody = z.object({ jobid: z.string() }).safeParse(r.json);
  if (r.status >= 200 && r.status < 300 && okBody.success) return okBody.data.jobid;
  const errors = ErrorBody.safeParse(r.json);
  throw new FlinkJobSubmitError(r.status, errors.success ? errors.data.errors : [JSON.stringify(r.json)]);
}

/** PATCH /jobs/:id?mode=cancel (202). */
export async function cancelJob(restUrl: string, jobId: string): Promise<void> {
  await ok(restUrl, 'PATCH', `/jobs/${jobId}?mode=cancel`);
}

/** GET /jobs/:id → its state (JobStatus). */
export async function jobState(restUrl: string, jobId: string): Promise<string> {
  const body = z.object({ state: z.string() }).parse(await ok(restUrl, 'GET', `/jobs/${jobId}`));
  return body.state;
}

/** Polls GET /jobs/:id until its state is one of `states`; times out with the last state seen. */
export async function waitForJobState(
  restUrl: string,
  jobId: string,
  states: string[],
  timeoutMs = 120_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = 'unknown';
  for (;;) {
    last = await jobState(restUrl, jobId);
    if (states.includes(last)) return last;
    if (Date.now() > deadline)
      throw tempFailure(
        `job ${jobId} did not reach ${states.join('|')} within ${timeoutMs} ms (state ${last})`,
      );
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** GET /jobs/:id/metrics?get=<name> → the value, or undefined until the metric fetcher has it. */
export async function getJobMetric(
  restUrl: string,
  jobId: string,
  name: string,
): Promise<number | undefined> {
  const body = z
    .array(z.object({ id: z.string(), value: z.string() }))
    .parse(await ok(restUrl, 'GET', `/jobs/${jobId}/metrics?get=${encodeURIComponent(name)}`));
  const v = body.find((m) => m.id === name)?.value;
  return v === undefined ? undefined : Number(v);
}

/** numRestarts of a job (Flink 1.20 also has the deprecated fullRestarts, same value). */
export function getNumRestarts(restUrl: string, jobId: string): Promise<number | undefined> {
  return getJobMetric(restUrl, jobId, 'numRestarts');
}

const SavepointStatus = z.object({
  status: z.object({ id: z.string() }),
  // null while IN_PROGRESS.
  operation: z
    .object({
      location: z.string().optional(),
      'failure-cause': z
        .object({ class: z.string().optional(), 'stack-trace': z.string().optional() })
        .optional(),
    })
    .nullish(),
});

async function pollSavepoint(
  restUrl: string,
  jobId: string,
  triggerId: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = SavepointStatus.parse(await ok(restUrl, 'GET', `/jobs/${jobId}/savepoints/${triggerId}`));
    if (s.status.id === 'COMPLETED') {
      if (s.operation?.location) return s.operation.location;
      const cause = s.operation?.['failure-cause'];
      throw unavailable(
        `savepoint of job ${jobId} failed: ${cause?.['stack-trace']?.split('\n')[0] ?? cause?.class ?? 'no cause given'}`,
      );
    }
    if (Date.now() > deadline)
      throw tempFailure(`savepoint of job ${jobId} not complete within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** POST /jobs/:id/stop {targetDirectory, drain:false}, then polls the trigger → savepoint path. */
export async function stopWithSavepoint(
  restUrl: string,
  jobId: string,
  targetDir: string,
  timeoutMs = 120_000,
): Promise<string> {
  const r = z
    .object({ 'request-id': z.string() })
    .parse(await ok(restUrl, 'POST', `/jobs/${jobId}/stop`, { targetDirectory: targetDir, drain: false }));
  return pollSavepoint(restUrl, jobId, r['request-id'], timeoutMs);
}

/** POST /jobs/:id/savepoints {target-directory, cancel-job:false}, then polls → savepoint path. */
export async function triggerSavepoint(
  restUrl: string,
  jobId: string,
  targetDir: string,
  timeoutMs = 120_000,
): Promise<string> {
  const r = z.object({ 'request-id': z.string() }).parse(
    await ok(restUrl, 'POST', `/jobs/${jobId}/savepoints`, {
      'target-directory': targetDir,
      'cancel-job': false,
    }),
  );
  return pollSavepoint(restUrl, jobId, r['request-id'], timeoutMs);
}

const JobDetail = z.object({
  state: z.string(),
  vertices: z.array(z.object({ tasks: z.record(z.string(), z.number()) })),
});

/**
 * Polls GET /jobs/:id until the job is RUNNING and every subtask is RUNNING (a job can be RUNNING
 * while its subtasks still wait for slots in CREATED/SCHEDULED); returns the subtask counts per
 * state, summed over the vertices (`status-counts` counts vertices, not subtasks).
 */
export async function waitForAllSubtasksRunning(
  restUrl: string,
  jobId: string,
  timeoutMs = 120_000,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = JobDetail.parse(await ok(restUrl, 'GET', `/jobs/${jobId}`));
    const counts: Record<string, number> = {};
    for (const v of job.vertices)
      for (const [k, n] of Object.entries(v.tasks)) counts[k] = (counts[k] ?? 0) + n;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (job.state === 'RUNNING' && total > 0 && counts.RUNNING === total) return counts;
    if (Date.now() > deadline) {
      throw tempFailure(
        `job ${jobId} subtasks not all RUNNING within ${timeoutMs} ms (state ${job.state}, ${JSON.stringify(counts)})`,
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
