/**
 * The Flink part of the fleet report (gather.ts): each application's status, its story over the
 * report's window, its restart chart and its audit, read through the Flink ports. An application
 * that cannot be read is UNKNOWN with the reason; the others still go out.
 */

import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { fromUnknown } from '../core/errors.js';
import { type Finding, worst } from '../core/severity.js';
import type { RestartCounterSeries } from '../healer/observation.js';
import { policyFromConfig } from '../healer/policy.js';
import { type AppStory, appStory, STORY_CODES, storyFinding, storyPeriods } from '../monitors/flink-story.js';
import { flinkAppQuery, restartMetricName } from '../probes/cloudwatch/queries.js';
import { appTarget, type FlinkPorts } from '../services/flink/context.js';
import { type FlinkStatus, flinkStatus } from '../services/flink/status.js';
import { audit } from '../services/flink/views.js';
import { type HealerRecords, recordsOf } from '../services/healer-records.js';
import type { FlinkAppReport } from './model.js';

/** The report's clock and window. */
interface Window {
  clock: Clock;
  now: number;
  since: number;
}

/** Every configured application, with the audit and the restarts over the window read once for all. */
export async function flinkReports(
  config: Config,
  ports: FlinkPorts,
  records: HealerRecords,
  w: Window,
): Promise<FlinkAppReport[]> {
  const audits = new Map((await audit(config, ports, w.now)).apps.map((a) => [a.app, a.findings]));
  const windowRestarts = await restartsOverWindow(config, ports, w.since, w.now);
  const flink: FlinkAppReport[] = [];
  for (const a of config.flink.applications) {
    const auditFindings = audits.get(a.name) ?? [];
    try {
      const s = await flinkStatus(config, ports, a.name, w.clock);
      flink.push(appReport(config, a.name, s, windowRestarts.get(a.name), records, auditFindings, w));
    } catch (e) {
      flink.push(unreachableApp(a.name, fromUnknown(e, `observing ${a.name}`), auditFindings));
    }
  }
  return flink;
}

/** One application's report from its status, told over the report's window when its series is known. */
function appReport(
  config: Config,
  name: string,
  s: FlinkStatus,
  series: RestartCounterSeries | undefined,
  records: HealerRecords,
  auditFindings: Finding[],
  w: Window,
): FlinkAppReport {
  const loop = policyFromConfig(config.healer).loop;
  // The report's window is longer than the status's: tell the story over it, in place of
  // the status's restart finding, so the paragraph, the chart and the finding agree.
  const story = series
    ? appStory({ app: name, now: w.now, series, loop, windowStart: w.since, ...recordsOf(records, name) })
    : s.story;
  const told = storyFinding(story);
  const findings: Finding[] = uniqueFindings([
    ...s.findings.filter((f) => !STORY_CODES.has(f.code)),
    ...(told ? [told] : []),
    ...auditFindings,
  ]);
  const columns = series
    ? restartColumns(series, story.countFrom, w.since, w.now)
    : { restarts: s.restarts.perPeriod.map((p) => ({ t: p.t, value: p.restarts })), periodMs: 60_000 };
  return {
    name,
    severity: worst(...findings.map((f) => f.severity)),
    status: s.status ?? s.job?.state ?? 'UNKNOWN',
    ...(s.runtime ? { runtime: s.runtime } : {}),
    ...(s.versionId === undefined ? {} : { versionId: s.versionId }),
    restarts: columns.restarts,
    restartPeriodMs: columns.periodMs,
    ...('missing' in columns ? { missingPeriods: columns.missing, noDataBefore: columns.noDataBefore } : {}),
    restartMetric: s.restarts.metric.startsWith('numRestarts') ? 'numRestarts' : 'fullRestarts',
    story: reportStory(story),
    ...lastCheckpointAndOperation(s),
    findings,
  };
}

/** The last completed checkpoint and the last operation, as the report carries them. */
function lastCheckpointAndOperation(
  s: FlinkStatus,
): Pick<FlinkAppReport, 'lastCheckpoint' | 'lastOperation'> {
  return {
    ...(s.lastCheckpoint
      ? {
          lastCheckpoint: {
            completedAt: new Date(s.lastCheckpoint.completedAt).toISOString(),
            ...(s.lastCheckpoint.durationMs === undefined ? {} : { durationMs: s.lastCheckpoint.durationMs }),
            ...(s.checkpointCounts ? { failedInWindow: s.checkpointCounts.failed } : {}),
          },
        }
      : {}),
    ...(s.lastOperation
      ? {
          lastOperation: {
            operation: s.lastOperation.operation,
            status: s.lastOperation.status,
            ...(s.lastOperation.startTime ? { startTime: s.lastOperation.startTime } : {}),
            ...(s.lastOperation.errorString ? { error: s.lastOperation.errorString } : {}),
          },
        }
      : {}),
  };
}

/** An application whose status could not be read: UNKNOWN, with the reason. */
function unreachableApp(
  name: string,
  err: ReturnType<typeof fromUnknown>,
  auditFindings: Finding[],
): FlinkAppReport {
  return {
    name,
    severity: 'UNKNOWN',
    status: 'UNKNOWN',
    restarts: [],
    // The audit failed on the same call: one finding per error, not one per reader.
    findings: uniqueFindings([
      {
        severity: 'UNKNOWN',
        code: 'flink.unreachable',
        subject: name,
        message: err.message,
        ...(err.hint ? { advice: err.hint } : {}),
      },
      ...auditFindings,
    ]),
  };
}

/**
 * The restart counter over the window for every MSF app, per region in one GetMetricData call set.
 * Always 1-minute periods: with coarser ones a reset (a rollback submits a new job) inside one
 * period hides every restart before it — Maximum keeps the old job's peak, the next period the new
 * job's count — and a 24 h report said "0 restarts" for a loop the healer had just healed.
 */
async function restartsOverWindow(
  config: Config,
  ports: FlinkPorts,
  since: number,
  now: number,
): Promise<Map<string, RestartCounterSeries>> {
  const out = new Map<string, RestartCounterSeries>();
  const byRegion = new Map<
    string | undefined,
    Array<{ name: string; applicationName: string; runtime?: string }>
  >();
  for (const a of config.flink.applications) {
    if (!a.managed) continue;
    const t = appTarget(config, a.name);
    let runtime: string | undefined;
    try {
      runtime = (await ports.msf(t.region).describeApplication(t.applicationName!)).runtime;
    } catch {
      continue;
    }
    const list = byRegion.get(t.region) ?? [];
    list.push({ name: a.name, applicationName: t.applicationName!, ...(runtime ? { runtime } : {}) });
    byRegion.set(t.region, list);
  }
  for (const [region, apps] of byRegion) {
    try {
      const series = await ports.cloudWatch(region).getMetricSeries(
        apps.map((a) =>
          flinkAppQuery(a.name, a.applicationName, 'restarts', a.runtime ? { runtime: a.runtime } : {}),
        ),
        // One extra period before the window so the first DIFF of the window is known.
        { start: since - 60_000, end: now, periodSec: 60 },
      );
      series.forEach((s, i) => {
        const app = apps[i]!;
        out.set(app.name, {
          metric: restartMetricName(app.runtime),
          source: 'cloudwatch',
          periodMs: 60_000,
          points: s.points,
        });
      });
    } catch {
      /* the per-app status already reports unreadable metrics as UNKNOWN */
    }
  }
  return out;
}

/** At most this many columns per restart chart: the 1-minute DIFFs are summed per column. */
const MAX_COLUMNS = 360;

/**
 * The chart's columns (pure): 1-minute DIFFs summed into ≤ 360 columns; a column is unknown only
 * when none of its minutes is known. The minutes before the first datapoint are "no data" (the job
 * did not exist or had not published yet), counted apart from the missing ones after it.
 */
export function restartColumns(
  series: RestartCounterSeries,
  countFrom: number | undefined,
  since: number,
  now: number,
): { restarts: FlinkAppReport['restarts']; periodMs: number; missing: number; noDataBefore: number } {
  const periodMs = Math.max(60_000, Math.ceil((now - since) / MAX_COLUMNS / 60_000) * 60_000);
  const periods = storyPeriods(series, countFrom).slice(1);
  const firstData = series.points.findIndex((p) => p.value !== undefined);
  // The first datapoint has no predecessor: its DIFF is unknown, but it starts the data, not a gap.
  const noDataBefore = firstData < 0 ? periods.length : firstData;
  const columns = new Map<number, { t: number; value: number | undefined }>();
  let missing = 0;
  periods.forEach((p, i) => {
    // Columns start at the heal when there is one, so no column mixes history and now.
    const origin = countFrom ?? Math.floor(since / periodMs) * periodMs;
    const t = origin + Math.floor((p.t - origin) / periodMs) * periodMs;
    const c = columns.get(t) ?? { t, value: undefined };
    if (p.restarts !== undefined) c.value = (c.value ?? 0) + p.restarts;
    else if (i >= noDataBefore) missing++;
    columns.set(t, c);
  });
  return { restarts: [...columns.values()], periodMs, missing, noDataBefore };
}

/** The story as the report carries it. */
function reportStory(s: AppStory): NonNullable<FlinkAppReport['story']> {
  const ep = s.episode;
  return {
    state: s.state,
    severity: s.severity,
    headline: s.headline,
    ...(s.countFrom === undefined ? {} : { countFrom: s.countFrom }),
    ...(s.before ? { restartsBefore: s.before.restarts } : {}),
    ...(ep
      ? {
          episode: {
            status: ep.status,
            incidentKey: ep.incidentKey,
            ...(ep.endedAt === undefined ? {} : { endedAt: ep.endedAt }),
            ...(ep.action
              ? { action: `${ep.action.type}${ep.action.target ? ` ${ep.action.target}` : ''}` }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * Findings without repeats: the status and the audit read the same API, so one failed call gave
 * the same finding twice (the report listed each Flink error twice). The first one is kept.
 */
export function uniqueFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.severity}\u0000${f.subject}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
