import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { ApplicationOperation } from '../../domain/flink.js';
import {
  type Classification,
  type ClassifyContext,
  classifyFailure,
  classifyLoop,
  type LoopClassification,
} from '../../healer/classify/index.js';
import { fetchFirstFailure } from '../../probes/cloudwatch-logs/index.js';
import { DashboardUnavailable } from '../../probes/flink-rest/index.js';
import { appTarget, type FlinkPorts } from './context.js';
import { pickJob, restPortFor } from './rest.js';

export interface ExceptionsView {
  app: string;
  source: 'flink-rest' | 'cloudwatch-logs' | 'none';
  jobId?: string;
  /** The loop's first failure (attempt #0), classified: later attempts mask the root cause. */
  firstFailure?: LoopClassification & { text: string };
  entries: Array<{
    timestamp: number;
    exceptionName: string;
    taskName?: string;
    location?: string;
    classification: Classification;
  }>;
  /** Why the preferred source could not be read. */
  note?: string;
}

/** The most recent successful owner change (deploy/config) before now: context for the classifier. */
export function recentChangeOf(ops: ApplicationOperation[]): ClassifyContext['recentChange'] | undefined {
  const change = ops.find(
    (o) =>
      o.status === 'SUCCESSFUL' && /UpdateApplication|CreateApplication|DeployApplication/i.test(o.operation),
  );
  const at = change?.endTime ?? change?.startTime;
  return change && at ? { kind: change.operation, at, succeeded: true } : undefined;
}

/**
 * `flink exceptions APP`: the exception history with a classification per entry, and the first
 * failure of the current loop classified with context (a recent UpdateApplication). When the MSF
 * dashboard is unavailable, the first failure comes from CloudWatch Logs instead.
 */
export async function exceptionsOf(
  config: Config,
  ports: FlinkPorts,
  name: string,
  opts: { max: number; clock: Clock; sinceMs?: number },
): Promise<ExceptionsView> {
  const t = appTarget(config, name);
  const now = opts.clock.now();
  const ops =
    t.kind === 'managed'
      ? await ports
          .msf(t.region)
          .listOperations(t.applicationName!)
          .catch(() => [])
      : [];
  const recentChange = recentChangeOf(ops);
  const ctx: ClassifyContext = recentChange ? { recentChange } : {};
  try {
    const rest = restPortFor(t, ports, opts.clock);
    const job = pickJob(await rest.jobsOverview(), t);
    if (!job) return { app: t.name, source: 'none', entries: [], note: 'no Flink job found' };
    const exc = await rest.exceptions(job.id, opts.max);
    const entries = exc.entries.map((e) => ({
      timestamp: e.timestamp,
      exceptionName: e.exceptionName,
      ...(e.taskName ? { taskName: e.taskName } : {}),
      ...(e.location ? { location: e.location } : {}),
      classification: classifyFailure(e.stacktrace, { ...ctx, now: e.timestamp }),
    }));
    const texts = exc.entries.length
      ? exc.entries.map((e) => ({
          timestamp: e.timestamp,
          stacktrace: e.stacktrace,
          exceptionName: e.exceptionName,
        }))
      : exc.rootException
        ? [{ timestamp: exc.rootException.timestamp ?? now, stacktrace: exc.rootException.stacktrace }]
        : [];
    const loop = classifyLoop(texts, ctx);
    return {
      app: t.name,
      source: 'flink-rest',
      jobId: job.id,
      ...(loop ? { firstFailure: { ...loop, text: texts[loop.index]?.stacktrace ?? '' } } : {}),
      entries,
      ...(exc.truncated ? { note: `only the newest ${opts.max} exceptions were read` } : {}),
    };
  } catch (e) {
    if (!(e instanceof DashboardUnavailable) || t.kind !== 'managed') throw e;
    const detail = await ports.msf(t.region).describeApplication(t.applicationName!);
    const groups = [...new Set(detail.logTargets.map((l) => l.logGroupName))];
    if (groups.length === 0)
      return {
        app: t.name,
        source: 'none',
        entries: [],
        note: `${e.message}; and CloudWatch logging is not configured`,
      };
    const first = await fetchFirstFailure(ports.logs(t.region), {
      logGroupNames: groups,
      start: now - (opts.sinceMs ?? 3_600_000),
      end: now,
    });
    if (!first)
      return {
        app: t.name,
        source: 'cloudwatch-logs',
        entries: [],
        note: `${e.message}; no failure found in the logs of the last hour`,
      };
    const classification = classifyFailure(first.exceptionText, { ...ctx, now: first.timestamp });
    return {
      app: t.name,
      source: 'cloudwatch-logs',
      firstFailure: {
        index: 0,
        timestamp: first.timestamp,
        loopSize: 1,
        classification,
        text: first.exceptionText,
      },
      entries: [],
      note: `${e.message}: first failure read from CloudWatch Logs`,
    };
  }
}
