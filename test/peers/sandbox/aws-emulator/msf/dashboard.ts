/**
 * The presigned Flink dashboard: CreateApplicationPresignedUrl issues a bearer token; requests to
 * `/flinkdashboard/<rest path>?authToken=<token>` are proxied to the real Flink REST API.
 *
 * AWS rules kept here: the URL must be first used within 3 minutes of issue, else HTTP 403; once
 * used, the session lasts SessionExpirationDurationInSeconds. Time is the emulator clock, so a
 * test can advance past the window. The dashboard only shows the application's own job(s): the
 * shared test cluster runs other jobs, which `/jobs` and `/jobs/overview` filter out.
 * The token is a secret: it is never logged.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { EmulatorClock } from '../clock.js';
import type { FlinkBackend } from '../flink-backend.js';
import { sendPlain } from '../wire.js';
import type { MsfEngine } from './engine.js';

/** AWS: "the URL must be used within 3 minutes of being generated". */
export const FIRST_USE_WINDOW_MS = 3 * 60_000;
const COOKIE = 'flinkdashboard-session';

interface Session {
  app: string;
  issuedMs: number;
  firstUsedMs?: number;
  sessionMs: number;
}

/** Issued dashboard tokens and their sessions. */
export class DashboardTokens {
  private readonly sessions = new Map<string, Session>();
  constructor(readonly baseUrl: () => string) {}

  issue(token: string, app: string, nowMs: number, sessionSeconds: number): void {
    this.sessions.set(token, { app, issuedMs: nowMs, sessionMs: sessionSeconds * 1000 });
  }

  /** The application a token grants, or why not (`expired`, `unknown`). Marks first use. */
  check(token: string | undefined, nowMs: number): { app: string } | { denied: string } {
    const s = token ? this.sessions.get(token) : undefined;
    if (!s) return { denied: 'unknown authToken' };
    if (s.firstUsedMs === undefined) {
      if (nowMs - s.issuedMs > FIRST_USE_WINDOW_MS)
        return { denied: 'the presigned URL was not used within 3 minutes of issue' };
      s.firstUsedMs = nowMs;
    } else if (nowMs - s.firstUsedMs > s.sessionMs) {
      return { denied: 'the dashboard session expired' };
    }
    return { app: s.app };
  }
}

/** Serves one `/flinkdashboard...` request. */
export async function serveDashboard(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: {
    tokens: DashboardTokens;
    engine: MsfEngine;
    backend: FlinkBackend | undefined;
    clock: EmulatorClock;
  },
): Promise<void> {
  const queryToken = url.searchParams.get('authToken') ?? undefined;
  const cookieToken = /(?:^|;\s*)flinkdashboard-session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const token = queryToken ?? cookieToken;
  const verdict = deps.tokens.check(token, deps.clock.now());
  if ('denied' in verdict) return sendPlain(res, 403, { errors: [`Forbidden: ${verdict.denied}`] });
  const app = deps.engine.apps.get(verdict.app);
  if (!app || deps.engine.status(app) !== 'RUNNING' || !app.job) {
    return sendPlain(res, 503, {
      errors: ['The Flink dashboard is unavailable: the application is not RUNNING'],
    });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return sendPlain(res, 405, { errors: ['The dashboard is read-only'] });
  const restUrl = deps.backend?.restUrl;
  if (!restUrl)
    return sendPlain(res, 503, { errors: ['This emulator has no real Flink REST endpoint to proxy to'] });

  const restPath = url.pathname.replace(/^\/flinkdashboard/, '') || '/';
  const jobIds = new Set(app.pastJobs.map((j) => j.jobId));
  const jobMatch = /^\/jobs\/([0-9a-f]{32})(?:\/|$)/.exec(restPath);
  if (jobMatch && !jobIds.has(jobMatch[1]!)) return sendPlain(res, 404, { errors: ['Job not found'] });
  const forward = new URL(restPath, restUrl);
  for (const [k, v] of url.searchParams) if (k !== 'authToken') forward.searchParams.append(k, v);

  const upstream = await fetchUpstream(forward, req.method);
  const headers: Record<string, string> = { 'content-type': upstream.contentType };
  if (queryToken) headers['set-cookie'] = `${COOKIE}=${queryToken}; Path=/flinkdashboard; HttpOnly`;
  let body = upstream.body;
  if (upstream.status === 200 && (restPath === '/jobs' || restPath === '/jobs/overview')) {
    body = Buffer.from(JSON.stringify(filterJobs(JSON.parse(body.toString('utf8')), app.job.jobId)));
  }
  headers['content-length'] = String(body.length);
  res.writeHead(upstream.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Keeps only the application's current job in `/jobs` ({jobs:[{id}]}) and `/jobs/overview` ({jobs:[{jid}]}). */
function filterJobs(payload: unknown, jobId: string): unknown {
  const p = payload as { jobs?: { id?: string; jid?: string }[] };
  if (!Array.isArray(p?.jobs)) return payload;
  return { ...p, jobs: p.jobs.filter((j) => (j.id ?? j.jid) === jobId) };
}

function fetchUpstream(
  url: URL,
  method = 'GET',
): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 502,
          contentType: String(res.headers['content-type'] ?? 'application/json'),
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', () =>
        resolve({
          status: 502,
          contentType: 'application/json',
          body: Buffer.from('{"errors":["upstream read failed"]}'),
        }),
      );
    });
    req.on('error', (e) =>
      resolve({
        status: 502,
        contentType: 'application/json',
        body: Buffer.from(JSON.stringify({ errors: [`Flink REST unreachable: ${e.message}`] })),
      }),
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}
