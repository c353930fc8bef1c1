import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { type Clock, systemClock } from '../core/clock.js';
import { fromUnknown } from '../core/errors.js';
import { type Finding, type Severity, worst } from '../core/severity.js';
import { restartsPerPeriod } from '../healer/detect/restart-loop.js';
import { flinkAppQuery, restartMetricName } from '../probes/cloudwatch/queries.js';
import { appTarget, awsFlinkPorts, type FlinkPorts } from '../services/flink/context.js';
import { flinkStatus } from '../services/flink/status.js';
import { audit } from '../services/flink/views.js';
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
    const flink: FlinkAppReport[] = [];
    for (const a of config.flink.applications) {
      const auditFindings = audits.get(a.name) ?? [];
      try {
        const s = await flinkStatus(config, ports, a.name, clock);
        const findings: Finding[] = [...s.findings, ...auditFindings];
        const restarts =
          windowRestarts.get(a.name) ?? s.restarts.perPeriod.map((p) => ({ t: p.t, value: p.restarts }));
        flink.push({
          name: a.name,
          severity: worst(...findings.map((f) => f.severity)),
          status: s.status ?? s.job?.state ?? 'UNKNOWN',
          ...(s.runtime ? { runtime: s.runtime } : {}),
          ...(s.versionId === undefined ? {} : { versionId: s.versionId }),
          restarts,
          restartMetric: s.restarts.metric.startsWith('numRestarts') ? 'numRestarts' : 'fullRestarts',
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
          findings: [
            { severity: 'UNKNOWN', code: 'flink.unreachable', subject: a.name, message: err.message },
            ...auditFindings,
          ],
        });
      }
    }

    const healer = await healerSection(config, since);
    const severity: Severity = worst(
      ...kafka.map((k) => k.severity),
      ...flink.map((f) => f.severity),
      ...healer.openIncidents.map((i) => i.severity),
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

/** Restarts per period over the window for every MSF app of a region in one GetMetricData call set. */
async function restartsOverWindow(
  config: Config,
  ports: FlinkPorts,
  since: number,
  now: number,
): Promise<Map<string, FlinkAppReport['restarts']>> {
  const out = new Map<string, FlinkAppReport['restarts']>();
  // ≤ 360 periods per app: one minute for windows up to 6 h, coarser beyond (Maximum keeps DIFF exact).
  const periodSec = Math.max(60, Math.ceil((now - since) / 360 / 60_000) * 60);
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
        { start: since - periodSec * 1000, end: now, periodSec },
      );
      series.forEach((s, i) => {
        const app = apps[i]!;
        const periods = restartsPerPeriod({
          metric: restartMetricName(app.runtime),
          source: 'cloudwatch',
          periodMs: periodSec * 1000,
          points: s.points,
        }).slice(1);
        out.set(
          app.name,
          periods.map((p) => ({ t: p.t, value: p.restarts })),
        );
      });
    } catch {
      /* the per-app status already reports unreadable metrics as UNKNOWN */
    }
  }
  return out;
}

/**
 * The healer's actions in the window and its open incidents, from the journal (if one exists).
 * A journal that cannot be read (corrupt, locked, no permission) makes the healer section UNKNOWN;
 * the rest of the report still goes out.
 */
async function healerSection(config: Config, since: number): Promise<HealerReport> {
  try {
    return await readHealerJournal(config, since);
  } catch (e) {
    return {
      mode: config.healer.mode,
      actions: [],
      openIncidents: [],
      unreadable: fromUnknown(e, `healer journal ${config.healer.journal}`).message,
    };
  }
}

async function readHealerJournal(config: Config, since: number): Promise<HealerReport> {
  const file = config.healer.journal;
  if (!existsSync(file)) return { mode: config.healer.mode, actions: [], openIncidents: [] };
  const { SqliteJournal } = await import('../healer/journal/sqlite.js');
  const journal = new SqliteJournal(file);
  try {
    const actions = await journal.actionsSince(since);
    const incidents = await journal.openIncidents();
    return {
      mode: config.healer.mode,
      actions: actions.map((a) => ({
        at: new Date(a.at).toISOString(),
        app: a.app,
        action: a.action.type,
        outcome: a.outcomes.at(-1)?.status ?? 'in flight',
        reason: a.reason,
      })),
      openIncidents: incidents.map((i) => ({
        app: i.app,
        openedAt: new Date(i.openedAt).toISOString(),
        summary: `${i.kind}${i.classification ? ` (${i.classification.verdict}, ${i.classification.subtype})` : ''}${i.actions.length ? `; actions: ${i.actions.map((x) => `${x.type}${x.outcome ? ` → ${x.outcome}` : ''}`).join(', ')}` : ''}`,
        severity: 'CRITICAL' as const,
      })),
    };
  } finally {
    await journal.close();
  }
}
