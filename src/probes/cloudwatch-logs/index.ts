import type * as LogsSdk from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { StreamctlError, tempFailure, usageError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { awsError, awsErrorName, parseResponse } from '../aws-response.js';
import { lazySdk } from '../lazy-sdk.js';
import { pickFirstFailure, toRecords, toTransitions } from './map.js';
import type {
  CloudWatchLogsPort,
  FirstFailure,
  InsightsQuery,
  InsightsResult,
  SubtaskTransition,
} from './port.js';
import { firstFailureQuery, transitionQuery } from './queries.js';
import { GetQueryResultsSchema, StartQuerySchema } from './schema.js';

// The SDK package loads at the first call, not when a command imports this file (lazy-sdk.ts).
const logs = lazySdk<typeof LogsSdk>('@aws-sdk/client-cloudwatch-logs');

const SVC = 'logs';
/** Logs Insights returns at most 10,000 rows; StartQuery accepts at most 50 log groups. */
export const MAX_LIMIT = 10_000;
export const MAX_LOG_GROUPS = 50;

export interface LogsProbeOptions {
  clock?: Clock;
  /** Between GetQueryResults polls. */
  pollIntervalMs?: number;
  /** Give up (StopQuery, temporary failure) after this long. */
  timeoutMs?: number;
}

/** The CloudWatch Logs Insights adapter for one region. */
export function createCloudWatchLogsProbe(
  client: CloudWatchLogsClient,
  opts: LogsProbeOptions = {},
): CloudWatchLogsPort {
  const polling: Polling = {
    clock: opts.clock ?? systemClock,
    pollMs: opts.pollIntervalMs ?? 1000,
    timeoutMs: opts.timeoutMs ?? 60_000,
  };
  return { runInsightsQuery: (q) => runInsightsQuery(client, q, polling) };
}

/** How a query is waited for. */
interface Polling {
  clock: Clock;
  pollMs: number;
  timeoutMs: number;
}

type Results = ReturnType<typeof GetQueryResultsSchema.parse>;

/** Runs one API call; an SDK error becomes a StreamctlError naming the API. */
async function call<T>(api: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw logsError(err, api);
  }
}

/** StartQuery, then GetQueryResults until the query ends; a query past the timeout is stopped. */
async function runInsightsQuery(
  client: CloudWatchLogsClient,
  q: InsightsQuery,
  p: Polling,
): Promise<InsightsResult> {
  if (q.logGroupNames.length < 1 || q.logGroupNames.length > MAX_LOG_GROUPS) {
    throw usageError(`Logs Insights needs 1 to ${MAX_LOG_GROUPS} log groups (got ${q.logGroupNames.length})`);
  }
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_LIMIT)) {
    throw usageError(`Logs Insights limit must be 1 to ${MAX_LIMIT} (got ${q.limit})`);
  }
  const input = {
    logGroupNames: q.logGroupNames,
    queryString: q.queryString,
    startTime: Math.floor(q.start / 1000),
    endTime: Math.ceil(q.end / 1000),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
  };
  const started = await call('StartQuery', () => client.send(new logs.StartQueryCommand(input)));
  const { queryId } = parseResponse(StartQuerySchema, started, `${SVC} StartQuery`);
  const deadline = p.clock.now() + p.timeoutMs;
  for (;;) {
    const out = await call('GetQueryResults', () =>
      client.send(new logs.GetQueryResultsCommand({ queryId })),
    );
    const r = parseResponse(GetQueryResultsSchema, out, `${SVC} GetQueryResults`);
    switch (r.status) {
      case 'Scheduled':
      case 'Running':
      case 'Unknown':
        if (p.clock.now() + p.pollMs > deadline) {
          // Free the concurrent-query slot (30 per account) rather than leave it running.
          await client.send(new logs.StopQueryCommand({ queryId })).catch(() => undefined);
          throw tempFailure(
            `logs Insights query did not complete within ${Math.round(p.timeoutMs / 1000)} s`,
            'Narrow the time window or retry later.',
          );
        }
        await p.clock.sleep(p.pollMs);
        continue;
      case 'Complete':
        return completeResult(client, queryId, r);
      case 'Timeout':
        throw tempFailure(
          'logs Insights query timed out on the service side',
          'Narrow the time window or retry later.',
        );
      default:
        // Failed, Cancelled, or a status this version does not know.
        throw new StreamctlError('INSIGHTS_FAILED', `logs Insights query ended with status ${r.status}`, {
          exitCode: Sysexit.TEMPFAIL,
          transient: true,
          hint: 'Retry; if it keeps failing, run the query in the CloudWatch console to see why.',
        });
    }
  }
}

/** A completed query's records, every page read (a repeated token ends the paging), with its statistics. */
async function completeResult(
  client: CloudWatchLogsClient,
  queryId: string,
  r: Results,
): Promise<InsightsResult> {
  const records = toRecords(r.results);
  let next = r.nextToken;
  while (next) {
    const page = parseResponse(
      GetQueryResultsSchema,
      await call('GetQueryResults', () =>
        client.send(new logs.GetQueryResultsCommand({ queryId, nextToken: next })),
      ),
      `${SVC} GetQueryResults`,
    );
    records.push(...toRecords(page.results));
    next = page.nextToken && page.nextToken !== next ? page.nextToken : undefined;
  }
  const result: InsightsResult = { records };
  if (r.statistics?.recordsMatched !== undefined) result.recordsMatched = r.statistics.recordsMatched;
  if (r.statistics?.recordsScanned !== undefined) result.recordsScanned = r.statistics.recordsScanned;
  if (r.statistics?.bytesScanned !== undefined) result.bytesScanned = r.statistics.bytesScanned;
  return result;
}

/** Subtask transitions of the window, oldest first. */
export async function fetchTransitions(
  logs: CloudWatchLogsPort,
  q: { logGroupNames: string[]; start: number; end: number; limit?: number },
): Promise<SubtaskTransition[]> {
  const limit = q.limit ?? 1000;
  const r = await logs.runInsightsQuery({
    logGroupNames: q.logGroupNames,
    start: q.start,
    end: q.end,
    limit,
    queryString: transitionQuery(limit),
  });
  return toTransitions(r.records);
}

/** The first failure (attempt #0's exception) of a restart loop in the window, if logged. */
export async function fetchFirstFailure(
  logs: CloudWatchLogsPort,
  q: { logGroupNames: string[]; start: number; end: number; limit?: number },
): Promise<FirstFailure | undefined> {
  const limit = q.limit ?? 100;
  const r = await logs.runInsightsQuery({
    logGroupNames: q.logGroupNames,
    start: q.start,
    end: q.end,
    limit,
    queryString: firstFailureQuery(limit),
  });
  return pickFirstFailure(r.records);
}

function logsError(err: unknown, api: string): StreamctlError {
  switch (awsErrorName(err)) {
    case 'ResourceNotFoundException':
      return new StreamctlError(
        'NOT_FOUND',
        `${SVC} ${api}: log group not found: ${(err as Error).message}`,
        {
          exitCode: Sysexit.CONFIG,
          hint: 'Is CloudWatch logging enabled for the application (CloudWatchLoggingOptions) in this region?',
          cause: err,
        },
      );
    case 'MalformedQueryException':
      return new StreamctlError(
        'BAD_QUERY',
        `${SVC} ${api}: the service rejected the query: ${(err as Error).message}`,
        {
          exitCode: Sysexit.SOFTWARE,
          cause: err,
        },
      );
    default:
      return awsError(err, `${SVC} ${api}`);
  }
}
