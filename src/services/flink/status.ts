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
import { DashboardUnavailable, evaluateSubtasks } from '../../probes/flink-rest/index.js';
import { NO_RECORDS, readHealerRecords, recordsOf } from '../healer-records.js';
import { type AppTarget, appTarget, type FlinkPorts } from './context.js';
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

/** What `flinkStatus` fills in stage by stage; findings in the order the stages ran. */
type Draft = Partial<FlinkStatus> & { findings: Finding[] };

/** What the Flink REST stage read besides the draft's fields. */
interface RestRead {
  restUnavailable?: string;
  /** Self-managed: the exception history's failure times (each one a restart). */
  failureTimes?: number[];
  /** The job's restart counter now, when Flink REST has it. */
  restartNow?: number;
}

/**
 * `flink status APP`: one look at everything (no polling). Restarts: CloudWatch DIFF per minute
 * over the healer's look-back (at least 15 minutes, longer for the slow-loop rule) for MSF; for
 * self-managed jobs the exception history's failure times per minute (each failure is one
 * restart), since Flink REST has no counter history. The healer's journal tells whether a loop in
 * the window was healed, and when: the story.
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
  const out: Draft = { app: t.name, kind: t.kind, findings: [] };
  if (t.kind === 'managed') await readManaged(t, ports, out);
  const rest: RestRead =
    t.kind === 'self-managed' || out.status === 'RUNNING' ? await readRest(t, ports, clock, out) : {};
  const cwPoints = t.kind === 'managed' ? await readRestartMetric(t, ports, out, now, windowMs) : undefined;

  // Restarts, read together with what the healer did about them (one story for every view).
  const { series, metric, source } = restartSeries(
    t.kind,
    out.runtime,
    cwPoints,
    rest.failureTimes,
    now,
    windowMs,
  );
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
  out.story = story;
  out.restarts = {
    windowMs,
    metric: rest.restartNow === undefined ? metric : `${metric} (now ${rest.restartNow})`,
    source,
    perPeriod: series ? storyPeriods(series, story.countFrom).slice(1) : [],
    assessment: story.current,
  };
  out.findings.push(...evaluate(out, story, rest.restUnavailable, now));
  out.severity = worst(...out.findings.map((f) => f.severity));
  return out as FlinkStatus;
}

/** MSF: the application (status, runtime, version) and its last operation. */
async function readManaged(t: AppTarget, ports: FlinkPorts, out: Draft): Promise<void> {
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
  if (d.runtime) out.runtime = d.runtime;
  out.versionId = d.versionId;
  const last = ops[0];
  if (last)
    out.lastOperation =
      last.status === 'FAILED' && !last.errorString
        ? await msf.describeOperation(t.applicationName!, last.operationId).catch(() => last)
        : last;
}

/** Flink REST (direct, or MSF's presigned dashboard): the job, its subtasks and checkpoints. */
async function readRest(t: AppTarget, ports: FlinkPorts, clock: Clock, out: Draft): Promise<RestRead> {
  try {
    const rest = restPortFor(t, ports, clock);
    const job = pickJob(await rest.jobsOverview(), t);
    if (!job) {
      out.subtasks = { kind: 'no-job', reason: 'no Flink job is running', counts: {} };
      return {};
    }
    out.job = { id: job.id, name: job.name, state: job.state, startTime: job.startTime };
    const [view, cps, exc, rc] = await Promise.all([
      rest.job(job.id),
      rest.checkpoints(job.id).catch(() => undefined),
      t.kind === 'self-managed' ? rest.exceptions(job.id, 100) : Promise.resolve(undefined),
      rest.restartCount(job.id).catch(() => undefined),
    ]);
    const e = evaluateSubtasks(view);
    out.subtasks = { kind: e.kind, reason: e.reason, counts: e.counts };
    const latest = cps?.latestCompleted;
    if (latest)
      out.lastCheckpoint = {
        completedAt: latest.completedAt,
        ...(latest.durationMs === undefined ? {} : { durationMs: latest.durationMs }),
        ...(latest.sizeBytes === undefined ? {} : { sizeBytes: latest.sizeBytes }),
      };
    if (cps) out.checkpointCounts = { completed: cps.counts.completed, failed: cps.counts.failed };
    return {
      ...(exc ? { failureTimes: exc.entries.map((x) => x.timestamp) } : {}),
      ...(rc?.value === undefined ? {} : { restartNow: rc.value }),
    };
  } catch (e) {
    return {
      restUnavailable: e instanceof DashboardUnavailable ? e.message : fromUnknown(e, 'Flink REST').message,
    };
  }
}

/** MSF: the restart counter per minute from CloudWatch, or undefined (an UNKNOWN finding). */
async function readRestartMetric(
  t: AppTarget,
  ports: FlinkPorts,
  out: Draft,
  now: number,
  windowMs: number,
): Promise<MetricPoint[] | undefined> {
  try {
    const runtime = out.runtime;
    const [m] = await ports
      .cloudWatch(t.region)
      .getMetricSeries([flinkAppQuery(t.name, t.applicationName!, 'restarts', runtime ? { runtime } : {})], {
        start: now - windowMs - 60_000,
        end: now,
        periodSec: 60,
      });
    return m?.points ?? [];
  } catch (e) {
    out.findings.push({
      severity: 'UNKNOWN',
      code: 'flink.metrics-unreadable',
      subject: t.name,
      message: fromUnknown(e, 'CloudWatch').message,
    });
    return undefined;
  }
}

/** The pure evaluation (monitors/flink-health.ts) of what the stages read. */
function evaluate(out: Draft, story: AppStory, restUnavailable: string | undefined, now: number): Finding[] {
  return evaluateFlinkStatus({
    app: out.app!,
    kind: out.kind!,
    ...(out.status === undefined ? {} : { status: out.status }),
    ...(out.job ? { jobState: out.job.state, runningSince: out.job.startTime } : {}),
    ...(out.subtasks ? { subtasks: out.subtasks as { kind: 'failed'; reason: string } } : {}),
    ...(restUnavailable ? { restUnavailable } : {}),
    restarts: story.current,
    story,
    ...(out.lastCheckpoint ? { lastCheckpointAt: out.lastCheckpoint.completedAt } : {}),
    ...(out.lastOperation ? { lastOperation: out.lastOperation } : {}),
    now,
  }).findings;
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
