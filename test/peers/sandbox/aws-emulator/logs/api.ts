/**
 * CloudWatch Logs (AWS JSON 1.1, X-Amz-Target `Logs_20140328.<Operation>`): Logs Insights
 * StartQuery / GetQueryResults / StopQuery. A query is evaluated in the background; the first
 * GetQueryResults after it finished still says Running (real clients must poll), the next one
 * Complete — so client code that treats Scheduled/Running as "not yet" is exercised.
 */
import { randomUUID } from 'node:crypto';
import { err } from '../errors.js';
import type { LogGroups } from './groups.js';
import { parseQuery } from './insights-parse.js';
import { type InsightsResult, MAX_ROWS, runInsights } from './insights-run.js';

type Body = Record<string, unknown>;

interface Query {
  status: 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';
  result?: InsightsResult;
  polledWhileDone: boolean;
  done: Promise<void>;
}

const MAX_KEPT_QUERIES = 1_000;

export function logsOperations(groups: LogGroups): Record<string, (b: Body) => unknown> {
  const queries = new Map<string, Query>();
  return {
    StartQuery(b) {
      const queryString = b.queryString;
      if (typeof queryString !== 'string' || queryString.length === 0)
        throw err.logsInvalidParameter('queryString is required');
      const names = [
        ...(typeof b.logGroupName === 'string' ? [b.logGroupName] : []),
        ...(Array.isArray(b.logGroupNames) ? (b.logGroupNames as string[]) : []),
        ...(Array.isArray(b.logGroupIdentifiers)
          ? (b.logGroupIdentifiers as string[]).map(groupFromIdentifier)
          : []),
      ];
      if (names.length === 0)
        throw err.logsInvalidParameter(
          'one of logGroupName, logGroupNames or logGroupIdentifiers is required',
        );
      for (const n of names) if (!groups.exists(n)) throw err.logsNotFound(`Log group '${n}' does not exist`);
      if (typeof b.startTime !== 'number' || typeof b.endTime !== 'number')
        throw err.logsInvalidParameter('startTime and endTime (epoch seconds) are required');
      if (b.endTime < b.startTime) throw err.logsInvalidParameter('endTime must not be before startTime');
      if (b.limit !== undefined && (typeof b.limit !== 'number' || b.limit < 1 || b.limit > MAX_ROWS)) {
        throw err.logsInvalidParameter(`limit must be between 1 and ${MAX_ROWS}`);
      }
      const commands = parseQuery(queryString); // MalformedQueryException at StartQuery, as the service does
      const startMs = b.startTime * 1000;
      const endMs = b.endTime * 1000 + 999;
      const id = randomUUID();
      const q: Query = { status: 'Scheduled', polledWhileDone: false, done: Promise.resolve() };
      q.done = (async () => {
        await Promise.resolve();
        if (q.status === 'Cancelled') return;
        q.status = 'Running';
        const events = (await Promise.all(names.map((n) => groups.events(n, startMs, endMs)))).flat();
        if ((q.status as string) === 'Cancelled') return;
        q.result = runInsights(commands, events, typeof b.limit === 'number' ? b.limit : undefined);
      })().catch(() => {
        q.status = 'Failed';
      });
      queries.set(id, q);
      if (queries.size > MAX_KEPT_QUERIES) queries.delete(queries.keys().next().value as string);
      return { queryId: id };
    },

    GetQueryResults(b) {
      const q = typeof b.queryId === 'string' ? queries.get(b.queryId) : undefined;
      if (!q) throw err.logsInvalidParameter(`Query ${String(b.queryId)} does not exist`);
      if (q.result && q.status === 'Running') {
        if (q.polledWhileDone) q.status = 'Complete';
        else q.polledWhileDone = true;
      }
      const r = q.status === 'Complete' ? q.result : undefined;
      return {
        status: q.status,
        results: r
          ? r.rows.map((row) =>
              Object.entries(row).map(([field, value]) => ({ field, value: String(value) })),
            )
          : [],
        statistics: {
          recordsMatched: r?.recordsMatched ?? 0,
          recordsScanned: r?.recordsScanned ?? 0,
          bytesScanned: r?.bytesScanned ?? 0,
        },
      };
    },

    StopQuery(b) {
      const q = typeof b.queryId === 'string' ? queries.get(b.queryId) : undefined;
      if (!q) throw err.logsNotFound(`Query ${String(b.queryId)} does not exist`);
      if (q.status === 'Complete' || q.status === 'Failed' || q.status === 'Cancelled')
        return { success: false };
      q.status = 'Cancelled';
      return { success: true };
    },

    DescribeLogGroups(b) {
      const prefix = typeof b.logGroupNamePrefix === 'string' ? b.logGroupNamePrefix : '';
      return {
        logGroups: groups
          .names()
          .filter((n) => n.startsWith(prefix))
          .map((logGroupName) => ({ logGroupName })),
      };
    },
  };
}

/** `arn:aws:logs:r:acct:log-group:NAME[:*]` or a plain name. */
function groupFromIdentifier(id: string): string {
  const m = /:log-group:([^:]+)(?::\*)?$/.exec(id);
  return m ? m[1]! : id;
}
