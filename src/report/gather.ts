import type { Config } from '../config/schema.js';
import { type Clock, systemClock } from '../core/clock.js';
import { fromUnknown } from '../core/errors.js';
import { type Severity, worst } from '../core/severity.js';
import { episodeStatusText, incidentEpisode } from '../monitors/flink-story.js';
import type { FlinkPorts } from '../services/flink/context.js';
import { type HealerRecords, readHealerRecords } from '../services/healer-records.js';
import { healthOf } from '../services/kafka-health.js';
import { type ObserveDeps, observeLiveCluster } from '../services/kafka-observe.js';
import { flinkReports } from './gather-flink.js';
import type { FleetReport, FlinkAppReport, HealerReport, KafkaClusterReport } from './model.js';

export { restartColumns, uniqueFindings } from './gather-flink.js';

/** What the report reads through; the command builds the live ports (cli/live-ports.ts `liveFlinkPorts`). */
export interface GatherOptions {
  sinceMs: number;
  clock?: Clock;
  ports: FlinkPorts;
  kafkaDeps: ObserveDeps;
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
  const kafka = await kafkaReports(config, opts.kafkaDeps);
  const journal = await readHealerRecords(config).then(
    (records) => ({ records }),
    (e: unknown) => ({ unreadable: fromUnknown(e, `healer journal ${config.healer.journal}`).message }),
  );
  const records = 'records' in journal ? journal.records : { incidents: [], actions: [] };
  const flink = await flinkReports(config, opts.ports, records, { clock, now, since });
  const healer = healerSection(config, journal, since);
  return {
    generatedAt: new Date(now).toISOString(),
    since: new Date(since).toISOString(),
    severity: fleetSeverity(kafka, flink, healer),
    kafka,
    flink,
    healer,
  };
}

/** Every configured cluster through the monitors; one that cannot be observed is UNKNOWN, with why. */
async function kafkaReports(config: Config, deps: ObserveDeps): Promise<KafkaClusterReport[]> {
  const kafka: KafkaClusterReport[] = [];
  for (const c of config.kafka.clusters) {
    try {
      const h = healthOf(await observeLiveCluster(config, c.name, deps), config);
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
  return kafka;
}

/** The worst of every target; an application's incident is in its story already. */
function fleetSeverity(kafka: KafkaClusterReport[], flink: FlinkAppReport[], healer: HealerReport): Severity {
  return worst(
    ...kafka.map((k) => k.severity),
    ...flink.map((f) => f.severity),
    // An application's incident is in its story already; only the others count on their own.
    ...healer.openIncidents.filter((i) => !flink.some((f) => f.name === i.app)).map((i) => i.severity),
    ...(healer.unreadable ? ['UNKNOWN' as const] : []),
  );
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
