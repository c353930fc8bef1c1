import { readFileSync } from 'node:fs';
import type * as CloudWatchSdk from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type * as LogsSdk from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type * as KafkaSdk from '@aws-sdk/client-kafka';
import type { KafkaClient } from '@aws-sdk/client-kafka';
import type * as MsfSdk from '@aws-sdk/client-kinesis-analytics-v2';
import type { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import type * as SnsSdk from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import type * as CredentialsSdk from '@aws-sdk/credential-providers';
import type { AwsSection } from '../config/sections/aws.js';
import { configError } from '../core/errors.js';

/** TCP connect timeout of every AWS call: a reachable endpoint connects in well under a second. */
export const AWS_CONNECT_TIMEOUT_MS = 5_000;
/** Socket idle timeout of every AWS call (no byte for this long), as Flink REST's 15 s. */
export const AWS_REQUEST_TIMEOUT_MS = 15_000;
/**
 * Deadline of one AWS call, retries included. The request timeout above is an idle timeout: an
 * endpoint that answers one byte at a time (slow-loris) never trips it.
 */
export const AWS_CALL_DEADLINE_MS = 40_000;

type Sender = { send: (command: unknown, options?: unknown) => Promise<unknown> };

/**
 * Gives every `send` of the client a deadline (an AbortSignal, unless the caller passed one), and
 * ties it to `stop` when given (the daemon's shutdown aborts every call in flight). An aborted call
 * is rethrown as a TimeoutError naming the deadline (exit 75), or as an AbortError when stopped.
 */
export function withDeadline<C>(client: C, ms = AWS_CALL_DEADLINE_MS, stop?: AbortSignal): C {
  const c = client as unknown as Sender;
  // The prototype's send, looked up per call: test doubles (aws-sdk-client-mock) replace it later.
  const send = (command: unknown, options?: unknown) =>
    Object.getPrototypeOf(c).send.call(c, command, options) as Promise<unknown>;
  c.send = async (command, options) => {
    const own = (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    if (own && !stop) return send(command, options);
    const ac = new AbortController();
    const timer = own ? undefined : setTimeout(() => ac.abort(), ms);
    const signal = AbortSignal.any([ac.signal, ...(own ? [own] : []), ...(stop ? [stop] : [])]);
    try {
      return await send(command, { ...(options as object), abortSignal: signal });
    } catch (e) {
      if (stop?.aborted) throw stoppedError(e);
      if (!ac.signal.aborted) throw e;
      throw Object.assign(new Error(`no complete answer within ${ms} ms`), {
        name: 'TimeoutError',
        cause: e,
      });
    } finally {
      clearTimeout(timer);
    }
  };
  return client;
}

/** A call cut by a stop signal: temporary (75), and says so rather than "aborted". */
function stoppedError(cause: unknown): Error {
  return Object.assign(new Error('call aborted: streamctl is stopping'), { name: 'AbortError', cause });
}

import { lazySdk } from './lazy-sdk.js';

// Each package loads when its first client is made (lazy-sdk.ts), not when a command imports this.
const cloudWatchSdk = lazySdk<typeof CloudWatchSdk>('@aws-sdk/client-cloudwatch');
const logsSdk = lazySdk<typeof LogsSdk>('@aws-sdk/client-cloudwatch-logs');
const kafkaSdk = lazySdk<typeof KafkaSdk>('@aws-sdk/client-kafka');
const msfSdk = lazySdk<typeof MsfSdk>('@aws-sdk/client-kinesis-analytics-v2');
const snsSdk = lazySdk<typeof SnsSdk>('@aws-sdk/client-sns');
const credentialsSdk = lazySdk<typeof CredentialsSdk>('@aws-sdk/credential-providers');

/**
 * One factory for every AWS SDK v3 client streamctl uses. It applies, uniformly:
 *  - the region of the target (MSF app region, MSK ARN region) else `aws.region` else the SDK chain;
 *  - credentials: `aws.profile` through fromIni, else the SDK default chain (env, SSO, instance role);
 *  - endpoint overrides from `aws.endpoints` (the local AWS emulator in tests and `streamctl demo`);
 *  - `aws.maxAttempts` and the user agent `streamctl/<version>`;
 *  - a middleware counting API calls, HTTP attempts and throttling errors per operation, which the
 *    healer exports as Prometheus metrics and the bench reads to assert calls per tick.
 * Clients are cached per (service, region): SDK clients keep connection pools, so make them once.
 */

/** The services streamctl talks to, named as in `aws.endpoints`. */
export type AwsService = 'kinesisanalyticsv2' | 'cloudwatch' | 'logs' | 'kafka' | 'sns';

/** Counters for one `service:Operation`. */
export interface ApiCallCounter {
  /** Logical calls (one per `client.send`). */
  calls: number;
  /** HTTP attempts, retries included (what AWS bills and throttles). */
  attempts: number;
  /** Attempts answered with a throttling error (ThrottlingException, 429, ...). */
  throttles: number;
  /** Logical calls that finally failed (after retries). */
  errors: number;
}

/** A copy of the counters, keyed `service:Operation` (e.g. `kinesisanalyticsv2:DescribeApplication`). */
export type ApiCallStats = Record<string, ApiCallCounter>;

/** Options that tests (and the demo) may override. */
export interface AwsClientOptions {
  /** Version for the user agent; default: package.json's. */
  version?: string;
  /** Credentials to use instead of the profile / default chain (the emulator in tests). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** A custom request handler (tests of the middleware without a network). */
  requestHandler?: unknown;
  /** Aborting it aborts every call in flight and every later one (the daemon's shutdown). */
  signal?: AbortSignal;
}

/** The factory. */
export interface AwsClients {
  kinesisAnalytics(region?: string): KinesisAnalyticsV2Client;
  cloudWatch(region?: string): CloudWatchClient;
  logs(region?: string): CloudWatchLogsClient;
  kafka(region?: string): KafkaClient;
  sns(region?: string): SNSClient;
  /** A snapshot of the per-operation counters (monotonic since the factory was made). */
  apiCallStats(): ApiCallStats;
  /** Closes every client's sockets. */
  destroy(): void;
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/** True when an SDK error is a throttle (the same codes the SDK's retry strategy treats as throttling). */
export function isThrottlingError(err: unknown): boolean {
  const e = err as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: { throttling?: boolean };
  };
  return (
    e?.$retryable?.throttling === true ||
    e?.$metadata?.httpStatusCode === 429 ||
    (typeof e?.name === 'string' && THROTTLING_CODES.has(e.name))
  );
}

/** The region segment of an ARN (`arn:aws:kafka:eu-west-1:…` → `eu-west-1`), or undefined. */
export function regionFromArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 && parts[3] ? parts[3] : undefined;
}

let cachedVersion: string | undefined;
/** streamctl's version from package.json (src/probes and dist/probes are both two levels deep). */
export function streamctlVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    cachedVersion = pkg.version ?? '0.0.0';
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}

interface MiddlewareClient {
  middlewareStack: {
    add(mw: unknown, opts: { step: string; name: string; priority?: string; override?: boolean }): void;
  };
}

/** Installs the counting middlewares on one client. Exported for tests of the counters. */
export function instrumentClient(
  client: MiddlewareClient,
  service: AwsService,
  stats: Map<string, ApiCallCounter>,
): void {
  const counter = (context: { commandName?: string }): ApiCallCounter => {
    const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    const key = `${service}:${op}`;
    let c = stats.get(key);
    if (!c) {
      c = { calls: 0, attempts: 0, throttles: 0, errors: 0 };
      stats.set(key, c);
    }
    return c;
  };
  // Outermost: one logical call per send(), whatever the retries.
  client.middlewareStack.add(
    (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const c = counter(context);
      c.calls += 1;
      try {
        return await next(args);
      } catch (err) {
        c.errors += 1;
        throw err;
      }
    },
    { step: 'initialize', name: 'streamctlApiCallCounter', priority: 'high', override: true },
  );
  // Inside the retry loop (deserialize runs once per attempt): counts attempts and throttles.
  client.middlewareStack.add(
    (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const c = counter(context);
      c.attempts += 1;
      try {
        return await next(args);
      } catch (err) {
        if (isThrottlingError(err)) c.throttles += 1;
        throw err;
      }
    },
    { step: 'deserialize', name: 'streamctlApiAttemptCounter', priority: 'high', override: true },
  );
}

/** Creates the client factory from the `aws` config section. */
export function createAwsClients(aws: AwsSection, opts: AwsClientOptions = {}): AwsClients {
  const stats = new Map<string, ApiCallCounter>();
  const cache = new Map<string, { destroy(): void }>();
  const userAgent = `streamctl/${opts.version ?? streamctlVersion()}`;
  const credentials =
    opts.credentials ??
    (aws.profile
      ? credentialsSdk.fromIni({
          profile: aws.profile,
          ...(aws.credentialsFile ? { filepath: aws.credentialsFile } : {}),
        })
      : undefined);

  function make<C extends { destroy(): void }>(
    service: AwsService,
    region: string | undefined,
    build: (cfg: Record<string, unknown>) => C,
  ): C {
    const r = region ?? aws.region;
    const key = `${service}@${r ?? ''}`;
    const hit = cache.get(key);
    if (hit) return hit as unknown as C;
    const endpoint = aws.endpoints?.[service];
    if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) {
      throw configError(`aws.endpoints.${service}: expected an http(s) URL`);
    }
    const cfg: Record<string, unknown> = {
      maxAttempts: aws.maxAttempts ?? 3,
      customUserAgent: userAgent,
    };
    if (r !== undefined) cfg.region = r;
    if (endpoint !== undefined) cfg.endpoint = endpoint;
    if (credentials !== undefined) cfg.credentials = credentials;
    // An endpoint that accepts the connection and never answers hung `flink apps`, `doctor` and
    // `kafka clusters` for minutes: the SDK's default handler has no timeouts at all. The SDK
    // takes these options as its Node handler's (connectionTimeout, requestTimeout in ms).
    cfg.requestHandler = opts.requestHandler ?? {
      connectionTimeout: AWS_CONNECT_TIMEOUT_MS,
      requestTimeout: AWS_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    };
    const client = withDeadline(build(cfg), AWS_CALL_DEADLINE_MS, opts.signal);
    instrumentClient(client as unknown as MiddlewareClient, service, stats);
    cache.set(key, client);
    return client;
  }

  return {
    kinesisAnalytics: (region) =>
      make('kinesisanalyticsv2', region, (c) => new msfSdk.KinesisAnalyticsV2Client(c)),
    cloudWatch: (region) => make('cloudwatch', region, (c) => new cloudWatchSdk.CloudWatchClient(c)),
    logs: (region) => make('logs', region, (c) => new logsSdk.CloudWatchLogsClient(c)),
    kafka: (region) => make('kafka', region, (c) => new kafkaSdk.KafkaClient(c)),
    sns: (region) => make('sns', region, (c) => new snsSdk.SNSClient(c)),
    apiCallStats: () => Object.fromEntries([...stats].map(([k, v]) => [k, { ...v }])),
    destroy: () => {
      for (const c of cache.values()) c.destroy();
      cache.clear();
    },
  };
}

/** Region for an MSF application: its own `managed.region`, else `aws.region` (else the SDK chain). */
export function regionForFlinkApp(
  app: { managed?: { region?: string } | undefined },
  aws: AwsSection,
): string | undefined {
  return app.managed?.region ?? aws.region;
}

/** Region for an MSK cluster: `msk.region`, else the ARN's region, else `aws.region`. */
export function regionForMskCluster(
  cluster: { msk?: { arn: string; region?: string } | undefined },
  aws: AwsSection,
): string | undefined {
  if (!cluster.msk) return aws.region;
  return cluster.msk.region ?? regionFromArn(cluster.msk.arn) ?? aws.region;
}
