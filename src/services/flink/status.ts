import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { fromUnknown } from '../../core/errors.js';
import { type Finding, type Severity, worst } from '../../core/severity.js';
import type { ApplicationOperation, MetricPoint } from '../../domain/flink.js';
import type { RestartAssessment } from '../../healer/detect/restart-loop.js';
import type { RestartCounterSeries, RestartMetric } from '../../healer/observation.js';
import { policyFromConfig } from '../../healer/policy.js';
import { evaluateFlinkStatus } from '../../monitors/flink-health.js';
import { type AppStory, appStory, type StoryPeriod, storyPeriods } from '../../monitors/flink-story.js';
import { flinkAppQuery, restartMetricName } from '../../probes/cloudwatch/queries.js';
import { DashboardUnavailable, evaluateSubtasks, type JobSummary } from '../../probes/flink-rest/index.js';
import { NO_RECORDS, readHealerRecords, recordsOf } from '../healer-records.js';
import { appTarget, type FlinkPorts } from './context.js';
import { pickJob, restPortFor } from './rest.js';

export interface FlinkStatus {
  app: string;
  kind: 'managed' | 'self-managed';
  severity: Severity;
  status?: string;
  runtime?: string;
  versionId?: number;
  job?: { id: string; name: string; state: string; startTime?: number };
  subtasks?: { kind: string; reason: string; counts: Record<string, number | undefined> };
  restarts: {
    /** The window read: the healer's look-back for the loop rule, at least 15 minutes. */
    windowMs: number;
    metric: string;
    source: 'cloudwatch' | 'flink-rest';
    /** DIFF per minute; `phase` says whether a period is before the healer's heal (history) or after. */
    perPeriod: StoryPeriod[];
    /** The loop rule over the current job's periods (after a heal, only those after it). */
    assessment: RestartAssessment;
  };
  /** The restarts read with the healer's journal: the one story every view tells. */
  story: AppStory;
  lastCheckpoint?: { completedAt: number; durationMs?: number; sizeBytes?: number };
  checkpointCounts?: { completed: number; failed: number };
  lastOperation?: ApplicationOperation;
  findings: Finding[];
}

/** At least 15 minutes; longer when the loop rule looks further back (slow loops), as the healer does. */
const MIN_WINDOW_MS = 15 * 60_000;

/** The window the status reads restarts over: the healer's look-back, so both judge the same periods. */
export function statusWindowMs(loop: { lookbackPeriods: number }): number {
  return Math.max(MIN_WINDOW_MS, loop.lookbackPeriods * 60_000);
}

/**
 * `flink status APP`: one look at everything (no polling). Restarts: CloudWatch DIFF per minute
 * over the healer's look-back (at least 15 minutes, longer for the slow-loop rule) for MSF; for self-managed jobs the exception history's failure times
 * per minute (each failure is one restart), since Flink REST has no counter history. The healer's
 * journal tells whether a loop in the window was healed, and when: the story.
 */
export async function flinkStatus(
  config: Config,
  ports: FlinkPorts,
  name: string,
  clock: Clock,
): Promise<FlinkStatus> {
  const t = appTarget(config, name);
  const now = clock.now();
  const policy = policyFromConfig(config.healer);
  const windowMs = statusWindowMs(policy.loop);
  const out: Partial<FlinkStatus> & { findings: Finding[] } = { app: t.name, kind: t.kind, findings: [] };
  let runtime: string | undefined;
  if (t.kind === 'managed') {
    const msf = ports.msf(t.region);
    // Operations that cannot be read are UNKNOWN, not "none": a FAILED last operation would hide.
    const [d, ops] = await Promise.all([
      msf.describeApplication(t.applicationName!),
      msf.listOperations(t.applicationName!).catch((e: unknown) => {
        out.findings.push({
          severity: 'UNKNOWN',
          code: 'flink.operations-unreadable',
          subject: t.name,
          message: fromUnknown(e, 'ListApplicationOperations').message,
        });
        return [] as ApplicationOperation[];
      }),
    ]);
    out.status = d.status;
    runtime = d.runtime;
    if (d.runtime) out.runtime = d.runtime;
    out.versionId = d.versionId;
    if (ops[0])
      out.lastOperation =
        ops[0].status === 'FAILED' && !ops[0].errorString
          ? await msf.describeOperation(t.applicationName!, ops[0].operationId).catch(() => ops[0]!)
          : ops[0];
  }

  let restUnavailable: string | undefined;
  let failureTimes: number[] | undefined;
  let job: JobSummary | undefined;
  let restartNow: number | undefined;
  if (t.kind === 'self-managed' || out.status === 'RUNNING') {
    try {
      const rest = restPortFor(t, ports, clock);
      job = pickJob(await rest.jobsOverview(), t);
      if (job) {
        out.job = { id: job.id, name: job.name, state: job.state, startTime: job.startTime };
        const [view, cps, exc, rc] = await Promise.all([
          rest.job(job.id),
          rest.checkpoints(job.id).catch(() => undefined),
          t.kind === 'self-managed' ? rest.exceptions(job.id, 100) : Promise.resolve(undefined),
          rest.restartCount(job.id).catch(() => undefined),
        ]);
        const e = evaluateSubtasks(view);
        out.subtasks = { kind: e.kind, reason: e.reason, counts: e.counts };
        if (cps?.latestCompleted)
          out.lastCheckpoint = {
            completedAt: cps.latestCompleted.completedAt,
            ...(cps.latestCompleted.durationMs === undefined
              ? {}
              : { durationMs: cps.latestCompleted.durationMs }),
            ...(cps.latestCompleted.sizeBytes === undefined
              ? {}
              : { sizeBytes: cps.latestCompleted.sizeBytes }),
          };
        if (cps) out.checkpointCounts = { completed: cps.counts.completed, failed: cps.counts.failed };
        if (exc) failureTimes = exc.entries.map((x) => x.timestamp);
        restartNow = rc?.value;
      } else out.subtasks = { kind: 'no-job', reason: 'no Flink job is running', counts: {} };
    } catch (e) {
      restUnavailable = e instanceof DashboardUnavailable ? e.message : fromUnknown(e, 'Flink REST').message;
    }
  }

  let cwPoints: MetricPoint[] | undefined;
  if (t.kind === 'managed') {
    try {
      const [m] = await ports
        .cloudWatch(t.region)
        .getMetricSeries(
          [flinkAppQuery(t.name, t.applicationName!, 'restarts', runtime ? { runtime } : {})],
          { start: now - windowMs - 60_000, end: now, periodSec: 60 },
        );
      cwPoints = m?.points ?? [];
    } catch (e) {
      out.findings.push({
        severity: 'UNKNOWN',
        code: 'flink.metrics-unreadable',
        subject: t.name,
        message: fromUnknown(e, 'CloudWatch').message,
      });
    }
  }

  // Restarts, read together with what the healer did about them (one story for every view).
  const { series, metric, source } = restartSeries(t.kind, runtime, cwPoints, failureTimes, now, windowMs);
  const records = await readHealerRecords(config, { app: t.name }).catch((e: unknown) => {
    out.findings.push({
      severity: 'WARNING',
      code: 'healer.journal-unreadable',
      subject: t.name,
      message: `${fromUnknown(e, `healer journal ${config.healer.journal}`).message}: the restarts are told without the healer's side`,
    });
    return NO_RECORDS;
  });
  const story = appStory({
    app: t.name,
    now,
    series,
    loop: policy.loop,
    windowStart: now - windowMs,
    ...recordsOf(records, t.name),
  });
  const perPeriod = series ? storyPeriods(series, story.countFrom).slice(1) : [];
  out.story = story;
  out.restarts = {
    windowMs,
    metric: restartNow === undefined ? metric : `${metric} (now ${restartNow})`,
    source,
    perPeriod,
    assessment: story.current,
  };

  const v = evaluateFlinkStatus({
    app: t.name,
    kind: t.kind,
    ...(out.status === undefined ? {} : { status: out.status }),
    ...(out.job ? { jobState: out.job.state, runningSince: out.job.startTime } : {}),
    ...(out.subtasks ? { subtasks: out.subtasks as { kind: 'failed'; reason: string } } : {}),
    ...(restUnavailable ? { restUnavailable } : {}),
    restarts: story.current,
    story,
    ...(out.lastCheckpoint ? { lastCheckpointAt: out.lastCheckpoint.completedAt } : {}),
    ...(out.lastOperation ? { lastOperation: out.lastOperation } : {}),
    now,
  });
  out.findings.push(...v.findings);
  out.severity = worst(...out.findings.map((f) => f.severity));
  return out as FlinkStatus;
}

/**
 * The restart counter of the window: CloudWatch per minute for MSF (one extra period so the first
 * DIFF is known); for self-managed jobs a cumulative counter per minute built from the exception
 * history's failure times (each failure restarts the job), since Flink REST keeps no history.
 * Undefined when nothing could be read.
 */
function restartSeries(
  kind: 'managed' | 'self-managed',
  runtime: string | undefined,
  cwPoints: MetricPoint[] | undefined,
  failureTimes: number[] | undefined,
  now: number,
  windowMs: number,
): { series: RestartCounterSeries | undefined; metric: RestartMetric; source: 'cloudwatch' | 'flink-rest' } {
  if (kind === 'managed') {
    const metric = restartMetricName(runtime);
    const points = cwPoints ?? [];
    return {
      series: points.length ? { metric, source: 'cloudwatch', periodMs: 60_000, points } : undefined,
      metric,
      source: 'cloudwatch',
    };
  }
  if (failureTimes === undefined) return { series: undefined, metric: 'numRestarts', source: 'flink-rest' };
  const start = Math.floor((now - windowMs) / 60_000) * 60_000;
  const points: MetricPoint[] = [];
  for (let p = start - 60_000; p <= now; p += 60_000)
    points.push({ t: p, value: failureTimes.filter((x) => x < p + 60_000).length });
  return {
    series: { metric: 'numRestarts', source: 'flink-rest', periodMs: 60_000, points },
    metric: 'numRestarts',
    source: 'flink-rest',
  };
}
