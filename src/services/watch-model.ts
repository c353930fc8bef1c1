/**
 * The fleet view of `streamctl watch` (plain data) and the pure functions that build its rows
 * from what the probes returned. One snapshot per refresh; the ink view and the one-shot text
 * renderer both draw it.
 */
import { type Severity, worst } from '../core/severity.js';
import type { MetricPoint } from '../domain/flink.js';
import { restartsPerPeriod } from '../domain/restart-counter.js';
import type { HealerPolicy } from '../healer/policy.js';
import {
  appStory,
  type EpisodeStatus,
  episodeStatusText,
  incidentEpisode,
  latestEpisode,
  type StoryState,
} from '../monitors/flink-story.js';
import { type HealerRecords, NO_RECORDS, recordsOf } from './healer-records.js';
import type { ClusterHealth } from './kafka-health.js';
import type { KafkaObservation } from './kafka-monitors.js';

export interface KafkaRow {
  cluster: string;
  severity: Severity;
  brokerType?: string;
  brokers: number;
  brokersDown: number[];
  diskMaxPercent?: number;
  diskMaxBroker?: number;
  urp?: number;
  underMinIsr?: number;
  offline: number;
  perBroker: Array<{
    id: number;
    usedPercent?: number;
    partitions: number;
    leaders: number;
    severity: Severity;
  }>;
  findings: Array<{ severity: Severity; text: string }>;
  error?: string;
}

export interface FlinkRow {
  app: string;
  kind: 'managed' | 'self-managed';
  severity: Severity;
  status: string;
  runtime?: string;
  versionId?: number;
  restartMetric?: string;
  /** Restarts per minute over the window (DIFF of the counter; null = missing datapoint). */
  perMinute: Array<number | null>;
  restartsWindow: number;
  /** The story's state: the loop rule after the healer's last heal, or `healed`, `healing`, ... */
  loop: StoryState | 'not-polled';
  /** The story's headline, when the healer has an episode for this application. */
  story?: string;
  /** Of `restartsWindow`, the ones before the healer's heal (history). */
  restartsBeforeHeal?: number;
  lastCheckpointDurationMs?: number;
  lastCheckpointSizeBytes?: number;
  failedCheckpointsWindow?: number;
  note?: string;
  error?: string;
}

export interface IncidentRow {
  app: string;
  kind: string;
  openedAt: number;
  /** Where the episode stands (a verified heal is `healed` even while the journal has it open). */
  status: EpisodeStatus;
  summary: string;
}

export interface FleetView {
  at: number;
  windowMs: number;
  severity: Severity;
  kafka: KafkaRow[];
  flink: FlinkRow[];
  incidents: IncidentRow[];
  /** AWS calls made by this refresh (`service.Operation` → count): the batching, visible. */
  calls: Record<string, number>;
  errors: string[];
}

/** A Kafka row from one observation and its monitors' verdict (pure). */
export function kafkaRowOf(obs: KafkaObservation, h: ClusterHealth): KafkaRow {
  const down = obs.snapshot.brokers.filter((b) => (b as { offline?: boolean }).offline).map((b) => b.id);
  const disk = h.disk?.brokers ?? [];
  const hottest = [...disk]
    .filter((b) => b.usedPercent !== undefined)
    .sort((a, b) => b.usedPercent! - a.usedPercent!)[0];
  const parts = new Map((h.partitions?.brokers ?? []).map((b) => [b.id, b]));
  const order: Record<Severity, number> = { CRITICAL: 0, UNKNOWN: 1, WARNING: 2, OK: 3 };
  const findings = [...(h.disk?.findings ?? []), ...(h.partitions?.findings ?? [])]
    .filter((f) => f.severity !== 'OK')
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((f) => ({ severity: f.severity, text: `${f.subject}: ${f.message}` }));
  const t = h.partitions?.totals;
  return {
    cluster: obs.cluster,
    severity: down.length ? 'CRITICAL' : h.severity,
    brokerType: obs.brokerType,
    brokers: obs.snapshot.brokers.length - down.length,
    brokersDown: down,
    ...(hottest ? { diskMaxPercent: hottest.usedPercent!, diskMaxBroker: hottest.id } : {}),
    ...(t?.underReplicated === undefined ? {} : { urp: t.underReplicated }),
    ...(t?.underMinIsr === undefined ? {} : { underMinIsr: t.underMinIsr }),
    offline: t?.offline ?? 0,
    perBroker: obs.snapshot.brokers.map((b) => {
      const d = disk.find((x) => x.id === b.id);
      const p = parts.get(b.id);
      return {
        id: b.id,
        ...(d?.usedPercent === undefined ? {} : { usedPercent: d.usedPercent }),
        partitions: p?.partitions ?? 0,
        leaders: p?.leaders ?? 0,
        severity: down.includes(b.id) ? 'CRITICAL' : (d?.severity ?? 'OK'),
      };
    }),
    findings,
  };
}

/** The metric series a Flink row is built from (one batched GetMetricData per region). */
export interface FlinkSeries {
  restarts?: MetricPoint[];
  checkpointDuration?: MetricPoint[];
  checkpointSize?: MetricPoint[];
  failedCheckpoints?: MetricPoint[];
}

/** What a row's story is read against: the window and the healer's records. */
export interface StoryContext {
  now: number;
  windowMs: number;
  records?: HealerRecords;
}

/** A managed application's row from DescribeApplication, its series and the healer's records (pure). */
export function flinkRowOf(
  app: { name: string; status: string; runtime?: string; versionId?: number },
  metric: 'fullRestarts' | 'numRestarts',
  s: FlinkSeries,
  loopPolicy: HealerPolicy['loop'],
  ctx: StoryContext,
): FlinkRow {
  const series = { metric, source: 'cloudwatch' as const, periodMs: 60_000, points: s.restarts ?? [] };
  const periods = restartsPerPeriod(series).slice(1);
  const story = appStory({
    app: app.name,
    now: ctx.now,
    series: series.points.length ? series : undefined,
    loop: loopPolicy,
    windowStart: ctx.now - ctx.windowMs,
    ...recordsOf(ctx.records ?? NO_RECORDS, app.name),
  });
  const perMinute = periods.map((p) => p.restarts ?? null);
  const last = (pts?: MetricPoint[]) => [...(pts ?? [])].reverse().find((p) => p.value !== undefined)?.value;
  // After a heal, the looping job's failed checkpoints are the episode's history, like its restarts.
  const failed = s.failedCheckpoints?.length
    ? restartsPerPeriod({ ...series, points: s.failedCheckpoints })
        .slice(1)
        .filter((p) => story.countFrom === undefined || p.t >= story.countFrom)
        .reduce((n, p) => n + (p.restarts ?? 0), 0)
    : undefined;
  const sev: Severity[] = [];
  // A counter nobody publishes for a stopped application is not unknown trouble.
  if (story.severity !== 'UNKNOWN' || app.status === 'RUNNING') sev.push(story.severity);
  if (app.status !== 'RUNNING')
    sev.push(
      ['UPDATING', 'AUTOSCALING', 'ROLLING_BACK', 'FORCE_STOPPING', 'STARTING', 'MAINTENANCE'].includes(
        app.status,
      )
        ? 'WARNING'
        : app.status === 'READY'
          ? 'OK'
          : 'UNKNOWN',
    );
  if (failed) sev.push('WARNING');
  const dur = last(s.checkpointDuration);
  const size = last(s.checkpointSize);
  return {
    app: app.name,
    kind: 'managed',
    severity: worst(...sev),
    status: app.status,
    ...(app.runtime ? { runtime: app.runtime } : {}),
    ...(app.versionId === undefined ? {} : { versionId: app.versionId }),
    restartMetric: metric,
    perMinute,
    restartsWindow: perMinute.reduce<number>((n, x) => n + (x ?? 0), 0),
    loop: story.state,
    ...(story.episode ? { story: story.headline } : {}),
    ...(story.countFrom !== undefined && story.before ? { restartsBeforeHeal: story.before.restarts } : {}),
    ...(dur === undefined ? {} : { lastCheckpointDurationMs: dur }),
    ...(size === undefined ? {} : { lastCheckpointSizeBytes: size }),
    ...(failed === undefined ? {} : { failedCheckpointsWindow: failed }),
  };
}

const UNHEALED: ReadonlySet<EpisodeStatus> = new Set(['open', 'acting', 'not-healed']);

/** The overall severity of a view (pure). */
export function viewSeverity(v: Pick<FleetView, 'kafka' | 'flink' | 'incidents'>): Severity {
  return worst(
    ...v.kafka.map((k) => k.severity),
    ...v.flink.map((f) => f.severity),
    // Incidents still in the healer's hands; a verified heal or a resolution is history.
    ...(v.incidents.some((i) => UNHEALED.has(i.status)) ? ['WARNING' as const] : []),
  );
}

/**
 * The healer's incidents as the watch lists them (pure): each application's newest episode, told
 * by its story (a verified heal is `healed` even while the journal still has it open), and any
 * other incident the journal holds open. Episodes that ended before the window (and the last hour)
 * are left out.
 */
export function incidentRowsOf(records: HealerRecords, now: number, windowMs: number): IncidentRow[] {
  const rows: IncidentRow[] = [];
  for (const app of [...new Set(records.incidents.map((i) => i.app))]) {
    const mine = recordsOf(records, app);
    const ep = latestEpisode({ app, now, windowStart: now - windowMs, ...mine });
    for (const i of mine.incidents) {
      const told =
        i.key === ep?.incidentKey ? ep : i.status === 'open' ? incidentEpisode(i, mine.actions) : undefined;
      // An older incident the journal still holds open is listed only while the healer has not ended it.
      if (!told || (told !== ep && !UNHEALED.has(told.status) && told.status !== 'stopped')) continue;
      const cause = i.classification ? ` (${i.classification.verdict}, ${i.classification.subtype})` : '';
      rows.push({
        app,
        kind: i.kind,
        openedAt: i.openedAt,
        status: told.status,
        summary: `${i.kind}${cause}: ${episodeStatusText(told)}`,
      });
    }
  }
  return rows.sort((a, b) => a.openedAt - b.openedAt);
}
