import type { Config } from '../config/schema.js';
import { type Clock, systemClock } from '../core/clock.js';
import { fromUnknown } from '../core/errors.js';
import { type Finding, type Severity, worst } from '../core/severity.js';
import type { RestartCounterSeries } from '../healer/observation.js';
import { policyFromConfig } from '../healer/policy.js';
import {
  type AppStory,
  appStory,
  episodeStatusText,
  incidentEpisode,
  STORY_CODES,
  storyFinding,
  storyPeriods,
} from '../monitors/flink-story.js';
import { flinkAppQuery, restartMetricName } from '../probes/cloudwatch/queries.js';
import { appTarget, awsFlinkPorts, type FlinkPorts } from '../services/flink/context.js';
import { flinkStatus } from '../services/flink/status.js';
import { audit } from '../services/flink/views.js';
import { type HealerRecords, readHealerRecords, recordsOf } from '../services/healer-records.js';
import { healthOf } from '../services/kafka-health.js';
import { type ObserveDeps, observeLiveCluster } from '../services/kafka-observe.js';
import type { FleetReport, FlinkAppReport, HealerReport, KafkaClusterReport } from './model.js';

export interface GatherOptions {
  sinceMs: number;
  clock?: Clock;
  ports?: FlinkPorts;
  kafkaDeps?: ObserveDeps;
}

/**
 * Collects the fleet report: every configured Kafka cluster through the monitors, every Flink
 * application's status, restarts over the window (one batched GetMetricData for all MSF apps per
 * region) and audit, and the healer's actions and open incidents from its journal. A target that
 * cannot be read is reported UNKNOWN with the reason; the report itself still completes.
 */
export async function gatherReport(config: Config, opts: GatherOptions): Promise<FleetReport> {
  const clock = opts.clock ?? systemClock;
  const now = clock.now();
  const since = now - opts.sinceMs;
  const ports = opts.ports ?? awsFlinkPorts(config);
  try {
    const kafka: KafkaClusterReport[] = [];
    for (const c of config.kafka.clusters) {
      try {
        const h = healthOf(await observeLiveCluster(config, c.name, opts.kafkaDeps), config);
        kafka.push({
          cluster: c.name,
          severity: h.severity,
          ...(h.disk ? { disk: h.disk } : {}),
          ...(h.partitions ? { partitions: h.partitions } : {}),
          findings: [],
        });
      } catch (e) {
        const err = fromUnknown(e, `observing ${c.name}`);
        kafka.push({
          cluster: c.name,
          severity: 'UNKNOWN',
          findings: [
            {
              severity: 'UNKNOWN',
              code: 'kafka.unreachable',
              subject: c.name,
              message: err.message,
              ...(err.hint ? { advice: err.hint } : {}),
            },
          ],
        });
      }
    }

    const audits = new Map((await audit(config, ports, now)).apps.map((a) => [a.app, a.findings]));
    const windowRestarts = await restartsOverWindow(config, ports, since, now);
    const journal = await readHealerRecords(config).then(
      (records) => ({ records }),
      (e: unknown) => ({ unreadable: fromUnknown(e, `healer journal ${config.healer.journal}`).message }),
    );
    const records = 'records' in journal ? journal.records : { incidents: [], actions: [] };
    const loop = policyFromConfig(config.healer).loop;
    const flink: FlinkAppReport[] = [];
    for (const a of config.flink.applications) {
      const auditFindings = audits.get(a.name) ?? [];
      try {
        const s = await flinkStatus(config, ports, a.name, clock);
        const series = windowRestarts.get(a.name);
        // The report's window is longer than the status's: tell the story over it, in place of
        // the status's restart finding, so the paragraph, the chart and the finding agree.
        const story = series
          ? appStory({ app: a.name, now, series, loop, windowStart: since, ...recordsOf(records, a.name) })
          : s.story;
        const told = storyFinding(story);
        const findings: Finding[] = uniqueFindings([
          ...s.findings.filter((f) => !STORY_CODES.has(f.code)),
          ...(told ? [told] : []),
          ...auditFindings,
        ]);
        const columns = series
          ? restartColumns(series, story.countFrom, since, now)
          : { restarts: s.restarts.perPeriod.map((p) => ({ t: p.t, value: p.restarts })), periodMs: 60_000 };
        flink.push({
          name: a.name,
          severity: worst(...findings.map((f) => f.severity)),
          status: s.status ?? s.job?.state ?? 'UNKNOWN',
          ...(s.runtime ? { runtime: s.runtime } : {}),
          ...(s.versionId === undefined ? {} : { versionId: s.versionId }),
          restarts: columns.restarts,
          restartPeriodMs: columns.periodMs,
          ...('missing' in columns
            ? { missingPeriods: columns.missing, noDataBefore: columns.noDataBefore }
            : {}),
          restartMetric: s.restarts.metric.startsWith('numRestarts') ? 'numRestarts' : 'fullRestarts',
          story: reportStory(story),
          ...(s.lastCheckpoint
            ? {
                lastCheckpoint: {
                  completedAt: new Date(s.lastCheckpoint.completedAt).toISOString(),
                  ...(s.lastCheckpoint.durationMs === undefined
                    ? {}
                    : { durationMs: s.lastCheckpoint.durationMs }),
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
          findings,
        });
      } catch (e) {
        const err = fromUnknown(e, `observing ${a.name}`);
        flink.push({
          name: a.name,
          severity: 'UNKNOWN',
          status: 'UNKNOWN',
          restarts: [],
          // The audit failed on the same call: one finding per error, not one per reader.
          findings: uniqueFindings([
            {
              severity: 'UNKNOWN',
              code: 'flink.unreachable',
              subject: a.name,
              message: err.message,
              ...(err.hint ? { advice: err.hint } : {}),
            },
            ...auditFindings,
          ]),
        });
      }
    }

    const healer = healerSection(config, journal, since);
    const severity: Severity = worst(
      ...kafka.map((k) => k.severity),
      ...flink.map((f) => f.severity),
      // An application's incident is in its story already; only the others count on their own.
      ...healer.openIncidents.filter((i) => !flink.some((f) => f.name === i.app)).map((i) => i.severity),
      ...(healer.unreadable ? ['UNKNOWN' as const] : []),
    );
    return {
      generatedAt: new Date(now).toISOString(),
      since: new Date(since).toISOString(),
      severity,
      kafka,
      flink,
      healer,
    };
  } finally {
    if (!opts.ports) ports.close();
  }
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
 * The healer's actions in the window and its incidents, from the journal (if one exists), each
 * incident told as its story: the ones the healer still holds are open (and CRITICAL findings
 * for applications the Flink section does not cover); a verified heal or a resolution is history.
 * A journal that cannot be read makes the healer section UNKNOWN; the rest still goes out.
 */
function healerSection(
  config: Config,
  journal: { records: HealerRecords } | { unreadable: string },
  since: number,
): HealerReport {
  if ('unreadable' in journal)
    return { mode: config.healer.mode, actions: [], openIncidents: [], unreadable: journal.unreadable };
  const { incidents, actions } = journal.records;
  const report: HealerReport = {
    mode: config.healer.mode,
    actions: actions
      .filter((a) => a.at >= since)
      .map((a) => ({
        at: new Date(a.at).toISOString(),
        app: a.app,
        action: a.action.type,
        outcome: a.outcomes.at(-1)?.status ?? 'in flight',
        reason: a.reason,
      })),
    openIncidents: [],
    endedIncidents: [],
  };
  for (const i of incidents) {
    const ep = incidentEpisode(i, actions);
    const summary = `${i.kind}${i.classification ? ` (${i.classification.verdict}, ${i.classification.subtype})` : ''}: ${episodeStatusText(ep)}`;
    const openedAt = new Date(i.openedAt).toISOString();
    if (ep.status === 'open' || ep.status === 'acting' || ep.status === 'not-healed')
      report.openIncidents.push({ app: i.app, openedAt, summary, severity: 'CRITICAL' });
    // A force-stop ended the loop but left the application down until a human restarts it.
    else if (ep.status === 'stopped')
      report.openIncidents.push({ app: i.app, openedAt, summary, severity: 'WARNING' });
    else if ((ep.endedAt ?? i.updatedAt) >= since)
      report.endedIncidents!.push({
        app: i.app,
        openedAt,
        ...(ep.endedAt === undefined ? {} : { endedAt: new Date(ep.endedAt).toISOString() }),
        summary,
      });
  }
  return report;
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
