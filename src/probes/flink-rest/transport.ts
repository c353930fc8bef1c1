/**
 * How Flink REST calls reach a JobManager: directly (self-managed Flink, optional bearer token for a
 * proxy) or through the Amazon MSF presigned dashboard URL. Both answer parsed JSON or throw typed
 * errors (errors.ts); neither ever puts a URL with a credential or a token into an error.
 *
 * Presigned dashboard rules (docs/design.md §2, docs/reference.md §MSF):
 *   - CreateApplicationPresignedUrl → `https://<host>/flinkdashboard…?authToken=<T>`; REST calls go to
 *     `<base>/flinkdashboard/<endpoint>?authToken=<T>` (aws-samples task_status.sh does the same).
 *   - The URL must be FIRST used within 3 minutes of issue (HTTP 403 after), then lasts the session.
 *     So an unused URL older than 2.5 minutes is replaced before use, and a 403 gets one fresh URL
 *     and one retry — never a loop.
 *   - The call fails with ResourceInUseException unless the application is RUNNING → DashboardUnavailable.
 */
import { type Clock, systemClock } from '../../core/clock.js';
import { badInput, fromUnknown, StreamctlError } from '../../core/errors.js';
import { redactString, registerSecret } from '../../core/redact.js';
import { awsErrorName } from '../aws-response.js';
import { splitPresignedUrl } from '../managed-flink/map.js';
import {
  DashboardUnavailable,
  FlinkRestError,
  failureForStatus,
  flinkErrorLine,
  statusFromMessage,
} from './errors.js';
import { type RateLimits, sharedRateLimits, THROTTLE_BACKOFF_MS, throttleDelay } from './pacing.js';

/** One read-only Flink REST transport. `endpoint` is relative to the REST root, e.g. `jobs/<id>/exceptions`. */
export interface FlinkRestTransport {
  /** A description of the target that is safe to print (never a credential). */
  readonly target: string;
  get(endpoint: string, query?: Record<string, string>): Promise<unknown>;
}

/** Options shared by both transports. */
export interface TransportOptions {
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** Aborting it aborts the call in flight and every later one (the daemon's shutdown). */
  signal?: AbortSignal;
  /** The per-target rate limits (default: the process-wide registry). */
  limits?: RateLimits;
  /** First backoff after an HTTP 429 (default 500 ms; tests shorten it). */
  throttleBackoffMs?: number;
}

interface RawResponse {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/** The settled options of one transport. */
interface SendOptions {
  timeoutMs: number;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
  limits: RateLimits;
  backoffMs: number;
}

function sendOptions(opts: TransportOptions, headers: Record<string, string> = {}): SendOptions {
  return {
    timeoutMs: opts.timeoutMs ?? 15_000,
    headers,
    signal: opts.signal,
    limits: opts.limits ?? sharedRateLimits,
    backoffMs: opts.throttleBackoffMs ?? THROTTLE_BACKOFF_MS,
  };
}

const stopped = (endpoint: string) =>
  new FlinkRestError('timeout', `GET ${endpoint}`, 'aborted: streamctl is stopping');

/**
 * One call: waits for the target's rate limit, then retries an HTTP 429 with backoff (pacing.ts);
 * the last 429 is returned (and reported as throttled, exit 75).
 */
async function send(url: string, endpoint: string, o: SendOptions): Promise<RawResponse> {
  for (let attempt = 1; ; attempt++) {
    await o.limits
      .for(url)
      .take(o.signal)
      .catch(() => {
        throw stopped(endpoint);
      });
    const r = await sendOnce(url, endpoint, o);
    if (r.status !== 429) return r;
    const wait = throttleDelay(attempt, r.retryAfter, Math.random, o.backoffMs);
    if (wait === undefined) return r;
    await systemClock.sleep(wait, o.signal).catch(() => {
      throw stopped(endpoint);
    });
  }
}

async function sendOnce(url: string, endpoint: string, o: SendOptions): Promise<RawResponse> {
  let res: Response;
  let text: string;
  const timeout = AbortSignal.timeout(o.timeoutMs);
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...o.headers },
      signal: o.signal ? AbortSignal.any([timeout, o.signal]) : timeout,
    });
    text = await res.text();
  } catch (e) {
    if (o.signal?.aborted) throw stopped(endpoint);
    // undici's messages and causes carry the address, not the query string; redact all the same.
    const err = e as { name?: string; cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw new FlinkRestError('timeout', `GET ${endpoint}`, `no answer within ${o.timeoutMs} ms`);
    const why = err.cause?.code ?? err.cause?.message ?? (e as Error).message;
    throw new FlinkRestError(
      'unavailable',
      `GET ${endpoint}`,
      `connection failed (${redactString(String(why))})`,
    );
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep the text: non-JSON answers (a proxy's HTML error page) are reported by status */
  }
  return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
}

function interpret(r: RawResponse, endpoint: string): unknown {
  if (r.status >= 200 && r.status < 300) return r.body;
  const line =
    flinkErrorLine(r.body) ?? (typeof r.body === 'string' ? r.body.slice(0, 200).replace(/\s+/g, ' ') : '');
  throw new FlinkRestError(
    failureForStatus(r.status),
    `GET ${endpoint}`,
    `HTTP ${r.status}${line ? `: ${line}` : ''}`,
    r.status,
  );
}

function withQuery(url: string, query: Record<string, string> | undefined, extra?: [string, string]): string {
  const params = new URLSearchParams(query);
  if (extra) params.append(extra[0], extra[1]);
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

/** Self-managed Flink: `<baseUrl>/<endpoint>`, with `Authorization: Bearer <token>` when a proxy needs one. */
export class DirectTransport implements FlinkRestTransport {
  readonly target: string;
  private readonly base: string;
  private readonly sendOpts: SendOptions;

  constructor(baseUrl: string, token?: string, opts: TransportOptions = {}) {
    registerSecret(token);
    this.base = baseUrl.replace(/\/+$/, '');
    this.target = redactString(this.base);
    this.sendOpts = sendOptions(opts, token ? { authorization: `Bearer ${token}` } : {});
  }

  async get(endpoint: string, query?: Record<string, string>): Promise<unknown> {
    return interpret(
      await send(withQuery(`${this.base}/${endpoint}`, query), endpoint, this.sendOpts),
      endpoint,
    );
  }
}

/** Creates a presigned dashboard URL (CreateApplicationPresignedUrl, UrlType FLINK_DASHBOARD_URL). */
export type PresignFn = () => Promise<{ authorizedUrl: string }>;

/** Options of the presigned transport. */
export interface PresignedOptions extends TransportOptions {
  /** Safe label for messages, e.g. the application name (default "MSF Flink dashboard"). */
  label?: string;
  /** An unused URL older than this is replaced before use (default 150 s: AWS allows 3 min). */
  maxUnusedAgeMs?: number;
  /** The session length asked of CreateApplicationPresignedUrl (default 1800 s, the minimum). */
  sessionMs?: number;
}

/** 2.5 minutes: a margin under AWS's 3-minute first-use window for clock skew and slow calls. */
export const MAX_UNUSED_AGE_MS = 150_000;

interface Presigned {
  base: string;
  token: string;
  issuedAt: number;
  firstUsedAt?: number;
}

/** Amazon MSF: REST through the presigned Flink dashboard URL. */
export class PresignedTransport implements FlinkRestTransport {
  readonly target: string;
  private cached: Presigned | undefined;
  private pending: Promise<Presigned> | undefined;
  private readonly sendOpts: SendOptions;
  private readonly maxUnusedAgeMs: number;
  private readonly sessionMs: number;

  constructor(
    private readonly presign: PresignFn,
    private readonly clock: Clock,
    opts: PresignedOptions = {},
  ) {
    this.target = opts.label ?? 'MSF Flink dashboard';
    this.sendOpts = sendOptions(opts);
    this.maxUnusedAgeMs = opts.maxUnusedAgeMs ?? MAX_UNUSED_AGE_MS;
    this.sessionMs = opts.sessionMs ?? 1_800_000;
  }

  async get(endpoint: string, query?: Record<string, string>): Promise<unknown> {
    let url = await this.current();
    let r = await this.sendWith(url, endpoint, query);
    if (r.status === 403) {
      // Expired first-use window or session: one fresh URL, one retry. A second 403 is a real denial.
      this.cached = undefined;
      url = await this.current();
      r = await this.sendWith(url, endpoint, query);
    }
    // The Flink dashboard answers 503 while the application is not RUNNING (session still valid).
    if (r.status === 503) throw new DashboardUnavailable(undefined);
    return interpret(r, endpoint);
  }

  private async sendWith(
    p: Presigned,
    endpoint: string,
    query?: Record<string, string>,
  ): Promise<RawResponse> {
    const r = await send(
      withQuery(`${p.base}/${endpoint}`, query, ['authToken', p.token]),
      endpoint,
      this.sendOpts,
    );
    if (r.status !== 403) p.firstUsedAt ??= this.clock.now();
    return r;
  }

  /** The cached URL while it is still usable, else a fresh one (concurrent callers share one presign). */
  private async current(): Promise<Presigned> {
    const c = this.cached;
    const now = this.clock.now();
    if (c) {
      const usable =
        c.firstUsedAt === undefined
          ? now - c.issuedAt <= this.maxUnusedAgeMs
          : now - c.firstUsedAt < this.sessionMs - 60_000;
      if (usable) return c;
    }
    this.pending ??= this.fresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fresh(): Promise<Presigned> {
    let authorizedUrl: unknown;
    try {
      authorizedUrl = (await this.presign())?.authorizedUrl;
    } catch (e) {
      throw presignError(e);
    }
    if (typeof authorizedUrl === 'string') registerSecret(authorizedUrl);
    const parts =
      typeof authorizedUrl === 'string' && URL.canParse(authorizedUrl)
        ? splitPresignedUrl(authorizedUrl)
        : undefined;
    if (!parts?.authToken || !/^https?:$/.test(new URL(parts.base).protocol)) {
      throw badInput(
        'CreateApplicationPresignedUrl response',
        'AuthorizedUrl',
        'an http(s) URL with an authToken query parameter',
      );
    }
    registerSecret(parts.authToken);
    const p: Presigned = { base: parts.base, token: parts.authToken, issuedAt: this.clock.now() };
    this.cached = p;
    return p;
  }
}

/** ResourceInUseException (raw, or already mapped by the MSF probe) → DashboardUnavailable; else typed and redacted. */
function presignError(e: unknown): StreamctlError {
  if (e instanceof DashboardUnavailable) return e;
  const status = (e as { status?: unknown })?.status;
  const code = e instanceof StreamctlError ? e.code : '';
  if (
    code === 'DASHBOARD_UNAVAILABLE' ||
    code === 'RESOURCE_IN_USE' ||
    awsErrorName(e) === 'ResourceInUseException'
  ) {
    return new DashboardUnavailable(
      typeof status === 'string' ? status : statusFromMessage(String((e as Error)?.message ?? '')),
    );
  }
  if (e instanceof StreamctlError) return e;
  const mapped = fromUnknown(e, 'CreateApplicationPresignedUrl');
  mapped.message = redactString(mapped.message);
  return mapped;
}
