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
import type { Incident } from '../../healer/incident.js';
import {
  type EpisodeStatus,
  episodeStatusText,
  latestEpisode,
  type StoryEpisode,
} from '../../monitors/flink-story.js';
import { fetchFirstFailure } from '../../probes/cloudwatch-logs/index.js';
import { DashboardUnavailable, type FlinkRestPort, type JobSummary } from '../../probes/flink-rest/index.js';
import { NO_RECORDS, readHealerRecords } from '../healer-records.js';
import { type AppTarget, appTarget, type FlinkPorts } from './context.js';
import { pickJob, restPortFor } from './rest.js';

/** One exception-history entry, classified. */
export interface ExceptionEntry {
  timestamp: number;
  exceptionName: string;
  taskName?: string;
  location?: string;
  classification: Classification;
}

export interface ExceptionsView {
  app: string;
  source: 'flink-rest' | 'cloudwatch-logs' | 'none';
  jobId?: string;
  /** The loop's first failure (attempt #0), classified: later attempts mask the root cause. */
  firstFailure?: LoopClassification & { text: string };
  entries: ExceptionEntry[];
  /** Why the preferred source could not be read. */
  note?: string;
  /** The healer's last episode, as `flink status` and `healer history` tell it. */
  story?: { incidentKey: string; status: EpisodeStatus; text: string; endedAt?: number; verdict?: string };
  /**
   * After a heal (or a stop) the running job is a new one with an empty history: the failures of
   * the loop that was healed, from the job that looped, from the logs of the loop's window, or at
   * least the healer's classification of its first failure. The history of failures stays visible.
   */
  loop?: {
    source: 'flink-rest' | 'cloudwatch-logs' | 'healer-journal';
    jobId?: string;
    firstFailure?: LoopClassification & { text: string };
    entries: ExceptionEntry[];
    note?: string;
  };
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
 * dashboard is unavailable, the first failure comes from CloudWatch Logs instead. After the
 * healer ended a loop, the loop's failures are told beside the new job's (see `loop`).
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
  const records = await readHealerRecords(config, { app: t.name }).catch(() => NO_RECORDS);
  const sinceMs = opts.sinceMs ?? 3_600_000;
  const episode = latestEpisode({ app: t.name, now, windowStart: now - sinceMs, ...records });
  const incident = episode && records.incidents.find((i) => i.key === episode.incidentKey);
  let view: ExceptionsView;
  // The running job is the loop's own (Flink restarts keep the job id): its history is the loop's.
  let loopIsCurrent = false;
  try {
    const rest = restPortFor(t, ports, opts.clock);
    const jobs = await rest.jobsOverview();
    const job = pickJob(jobs, t);
    if (!job) view = { app: t.name, source: 'none', entries: [], note: 'no Flink job found' };
    else {
      const h = await jobHistory(rest, job.id, opts.max, ctx, now);
      view = { app: t.name, source: 'flink-rest', jobId: job.id, ...h };
      loopIsCurrent = episode !== undefined && job.startTime <= (episode.loopSince ?? episode.openedAt);
      const looped = episode && loopJobOf(jobs, job, episode);
      if (looped)
        view.loop = {
          source: 'flink-rest',
          jobId: looped.id,
          ...(await jobHistory(rest, looped.id, opts.max, ctx, now)),
        };
    }
  } catch (e) {
    if (!(e instanceof DashboardUnavailable) || t.kind !== 'managed') throw e;
    view = await fromLogs(ports, t, e.message, { start: now - sinceMs, end: now }, ctx);
  }
  if (episode) {
    view.story = {
      incidentKey: episode.incidentKey,
      status: episode.status,
      text: episodeStatusText(episode),
      ...(episode.endedAt === undefined ? {} : { endedAt: episode.endedAt }),
      ...(episode.classification
        ? {
            verdict: `${episode.classification.verdict} (${episode.classification.subtype}, ${Math.round(episode.classification.confidence * 100)}%)`,
          }
        : {}),
    };
    if (
      !loopIsCurrent &&
      !view.loop?.firstFailure &&
      LOOPS.has(episode.kind) &&
      view.source !== 'cloudwatch-logs'
    )
      view.loop = await loopFromElsewhere(ports, t, episode, incident, ctx, now);
  }
  return view;
}

const LOOPS: ReadonlySet<string> = new Set(['restart-loop', 'subtasks-failing']);

/** One job's exception history, each entry classified, and the first failure of its loop. */
async function jobHistory(
  rest: FlinkRestPort,
  jobId: string,
  max: number,
  ctx: ClassifyContext,
  now: number,
): Promise<Pick<ExceptionsView, 'firstFailure' | 'entries' | 'note'>> {
  const exc = await rest.exceptions(jobId, max);
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
    ...(loop ? { firstFailure: { ...loop, text: texts[loop.index]?.stacktrace ?? '' } } : {}),
    entries,
    ...(exc.truncated ? { note: `only the newest ${max} exceptions were read` } : {}),
  };
}

/**
 * The job that looped in the healer's episode, when it is not the one running now (a rollback or
 * a redeploy submits a new job): the newest other job that started before the episode ended and
 * was still alive when the loop began. Flink keeps finished jobs for a while (jobstore.expiration-time,
 * 1 h by default); MSF's dashboard may not have it at all.
 */
export function loopJobOf(
  jobs: readonly JobSummary[],
  current: JobSummary,
  ep: StoryEpisode,
): JobSummary | undefined {
  const loopSince = ep.loopSince ?? ep.openedAt;
  // A job that started before the loop is the loop's own job (Flink restarts keep the job id).
  if (current.startTime <= loopSince) return undefined;
  const to = ep.endedAt ?? Number.POSITIVE_INFINITY;
  return jobs
    .filter(
      (j) =>
        j.id !== current.id &&
        j.startTime < current.startTime &&
        j.startTime <= to &&
        (j.endTime ?? Number.POSITIVE_INFINITY) >= loopSince - 60_000,
    )
    .sort((a, b) => b.startTime - a.startTime)[0];
}

/** The loop's failures when its job is gone: CloudWatch Logs of the loop's window, else the journal. */
async function loopFromElsewhere(
  ports: FlinkPorts,
  t: AppTarget,
  ep: StoryEpisode,
  incident: Incident | undefined,
  ctx: ClassifyContext,
  now: number,
): Promise<NonNullable<ExceptionsView['loop']>> {
  const window = { start: (ep.loopSince ?? ep.openedAt) - 5 * 60_000, end: ep.endedAt ?? now };
  if (t.kind === 'managed') {
    const logged = await fromLogs(
      ports,
      t,
      'the job that looped is gone from the dashboard',
      window,
      ctx,
    ).catch(() => undefined);
    if (logged?.firstFailure)
      return { source: 'cloudwatch-logs', firstFailure: logged.firstFailure, entries: [] };
  }
  const c = incident?.classification;
  return {
    source: 'healer-journal',
    ...(c
      ? {
          firstFailure: {
            index: 0,
            timestamp: ep.loopSince ?? ep.openedAt,
            loopSize: 1,
            classification: c,
            text: '',
          },
        }
      : {}),
    entries: [],
    note: c
      ? 'the job that looped is gone: its first failure as the healer classified it (the journal keeps no stack trace)'
      : 'the job that looped is gone and the healer recorded no classification',
  };
}

/** The first failure of a window from CloudWatch Logs (MSF), classified. */
async function fromLogs(
  ports: FlinkPorts,
  t: AppTarget,
  why: string,
  window: { start: number; end: number },
  ctx: ClassifyContext,
): Promise<ExceptionsView> {
  const detail = await ports.msf(t.region).describeApplication(t.applicationName!);
  const groups = [...new Set(detail.logTargets.map((l) => l.logGroupName))];
  if (groups.length === 0)
    return {
      app: t.name,
      source: 'none',
      entries: [],
      note: `${why}; and CloudWatch logging is not configured`,
    };
  const first = await fetchFirstFailure(ports.logs(t.region), { logGroupNames: groups, ...window });
  if (!first)
    return {
      app: t.name,
      source: 'cloudwatch-logs',
      entries: [],
      note: `${why}; no failure found in the logs of that window`,
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
    note: `${why}: first failure read from CloudWatch Logs`,
  };
}
