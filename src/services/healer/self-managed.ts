/**
 * The few Flink REST calls the healer needs to redeploy a self-managed job, which the read-only
 * FlinkRestPort does not have: GET /jars, PATCH /jobs/:id?mode=cancel, POST /jars/:id/run with a
 * savepointPath (docs/reference.md §Flink REST shapes). Answers are validated with zod; errors never
 * carry the URL's credentials (the optional bearer token is registered for redaction).
 */
import { z } from 'zod';
import { StreamctlError, tempFailure, unavailable } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { redactString, registerSecret } from '../../core/redact.js';

export interface UploadedJar {
  id: string;
  name: string;
  /** Upload time, epoch ms. */
  uploaded: number;
}

/** The write side of self-managed Flink, as the healer uses it. */
export interface SelfManagedFlinkAdmin {
  /** GET /jars, newest first. */
  jars(): Promise<UploadedJar[]>;
  /** PATCH /jobs/:id?mode=cancel, then waits until the job is terminal. */
  cancel(jobId: string, timeoutMs?: number): Promise<void>;
  /** POST /jars/:id/run → the new job id. */
  runJar(jarId: string, opts: { savepointPath?: string; allowNonRestoredState?: boolean }): Promise<string>;
}

const JarsSchema = z.looseObject({
  files: z.array(z.looseObject({ id: z.string(), name: z.string(), uploaded: z.number() })).default([]),
});
const RunSchema = z.looseObject({ jobid: z.string() });
const JobStateSchema = z.looseObject({ state: z.string() });
const ErrorSchema = z.looseObject({ errors: z.array(z.string()) });

const TERMINAL = new Set(['CANCELED', 'FAILED', 'FINISHED', 'SUSPENDED']);

/** The adapter over plain fetch. `sleep` is injected for tests. */
export function selfManagedAdmin(
  baseUrl: string,
  token?: string,
  opts: { timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): SelfManagedFlinkAdmin {
  registerSecret(token);
  const base = baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw unavailable(redactString(`Flink REST ${method} ${path.split('?')[0]}: ${(e as Error).message}`));
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    if (res.status >= 200 && res.status < 300) return json;
    const errors = ErrorSchema.safeParse(json);
    const line = errors.success ? (errors.data.errors[0]?.split('\n')[0] ?? '') : String(text).slice(0, 200);
    throw new StreamctlError(
      res.status === 404 ? 'FLINK_REST_NOT_FOUND' : 'FLINK_REST_REFUSED',
      redactString(`Flink REST ${method} ${path.split('?')[0]}: HTTP ${res.status}: ${line}`),
      { exitCode: Sysexit.UNAVAILABLE, transient: res.status >= 500 },
    );
  }

  return {
    async jars() {
      const r = JarsSchema.parse(await call('GET', '/jars'));
      return r.files
        .map((f) => ({ id: f.id, name: f.name, uploaded: f.uploaded }))
        .sort((a, b) => b.uploaded - a.uploaded);
    },
    async cancel(jobId, waitMs = 60_000) {
      await call('PATCH', `/jobs/${encodeURIComponent(jobId)}?mode=cancel`);
      const deadline = Date.now() + waitMs;
      for (;;) {
        const s = JobStateSchema.parse(await call('GET', `/jobs/${encodeURIComponent(jobId)}`)).state;
        if (TERMINAL.has(s)) return;
        if (Date.now() > deadline) throw tempFailure(`job ${jobId} still ${s} ${waitMs} ms after cancel`);
        await sleep(500);
      }
    },
    async runJar(jarId, o) {
      const r = RunSchema.parse(
        await call('POST', `/jars/${encodeURIComponent(jarId)}/run`, {
          ...(o.savepointPath ? { savepointPath: o.savepointPath } : {}),
          allowNonRestoredState: o.allowNonRestoredState ?? false,
        }),
      );
      return r.jobid;
    },
  };
}
