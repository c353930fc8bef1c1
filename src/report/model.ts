import type { Finding, Severity } from '../core/severity.js';
import type { EpisodeStatus, StoryState } from '../monitors/flink-story.js';
import type { DiskResult, PartitionsResult } from '../services/kafka-monitors.js';

/**
 * The fleet health report (`streamctl report`): one document across every configured Kafka
 * cluster, Flink application and the healer, rendered as Markdown, self-contained HTML or JSON.
 * The exit code is the worst finding (0/1/2/3), so cron and alerting can act on it.
 */
export interface FleetReport {
  generatedAt: string;
  /** Start of the reporting window (ISO). */
  since: string;
  severity: Severity;
  kafka: KafkaClusterReport[];
  flink: FlinkAppReport[];
  healer: HealerReport;
}

export interface KafkaClusterReport {
  cluster: string;
  severity: Severity;
  disk?: DiskResult;
  partitions?: PartitionsResult;
  /** Findings that are not from a monitor (e.g. the cluster could not be reached). */
  findings: Finding[];
}

export interface FlinkAppReport {
  name: string;
  severity: Severity;
  status: string;
  runtime?: string;
  versionId?: number;
  /** Restarts per period over the window (DIFF of the restart counter; undefined = missing datapoint). */
  restarts: Array<{ t: number; value: number | undefined }>;
  restartMetric?: 'fullRestarts' | 'numRestarts';
  /** Length of one `restarts` column (the 1-minute DIFFs summed per column). */
  restartPeriodMs?: number;
  /** 1-minute periods without a datapoint after the first one (unknown, not zero). */
  missingPeriods?: number;
  /** Minutes at the window's start before the first datapoint (no job yet, or not published): no data, not missing. */
  noDataBefore?: number;
  /** The restarts read with the healer's journal over the report's window: the app's one story. */
  story?: {
    state: StoryState;
    severity: Severity;
    headline: string;
    /** Restart periods from this time on are the current job's; before it, the healed loop's history. */
    countFrom?: number;
    /** Known restarts in the window before `countFrom`. */
    restartsBefore?: number;
    episode?: { status: EpisodeStatus; incidentKey: string; endedAt?: number; action?: string };
  };
  lastCheckpoint?: { completedAt?: string; durationMs?: number; sizeBytes?: number; failedInWindow?: number };
  lagMs?: number;
  lastOperation?: { operation: string; status: string; startTime?: string; error?: string };
  findings: Finding[];
}

export interface HealerReport {
  /** Actions since the start of the window. */
  actions: Array<{ at: string; app: string; action: string; outcome: string; reason: string }>;
  /** Incidents the healer still holds (open, acting, not healed); a verified heal is not among them. */
  openIncidents: Array<{ app: string; openedAt: string; summary: string; severity: Severity }>;
  /** Incidents that ended in the window: healed, stopped, resolved (history, not findings). */
  endedIncidents?: Array<{ app: string; openedAt: string; endedAt?: string; summary: string }>;
  mode?: string;
  /** Why the journal could not be read (then actions and incidents are unknown, not none). */
  unreadable?: string;
}

const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

/**
 * An application's restarts over the window in words (pure; Markdown and HTML say the same):
 * after a heal, how many were before it and how many since; unknown minutes apart from the
 * minutes before the first datapoint.
 */
export function restartsText(a: FlinkAppReport): string {
  // Nothing read is unknown, never "0 restart(s)" (the report said 0 for an unreachable app).
  if (a.restarts.every((p) => p.value === undefined)) return 'restarts unknown: no datapoint could be read';
  const total = a.restarts.reduce((n, p) => n + (p.value ?? 0), 0);
  const parts = [`${total} restart(s) in the window`];
  const st = a.story;
  if (st?.countFrom !== undefined && st.episode) {
    const before = st.restartsBefore ?? 0;
    const verb =
      st.episode.status === 'healed'
        ? 'the heal'
        : st.episode.status === 'stopped'
          ? 'the stop'
          : 'the resolution';
    parts[0] += `: ${before} before ${verb} at ${hhmm(st.episode.endedAt ?? st.countFrom)}, ${total - before} since`;
  }
  const first = a.restarts.findIndex((p) => p.value !== undefined);
  const missing = a.missingPeriods ?? a.restarts.filter((p, i) => i > first && p.value === undefined).length;
  if (missing) parts.push(`${missing} period(s) without a datapoint (unknown)`);
  if (a.noDataBefore) parts.push(`no data in the first ${a.noDataBefore} minute(s)`);
  return parts.join('; ');
}

/** Every finding of the report, worst first, with its target. */
export function allFindings(r: FleetReport): Array<Finding & { target: string }> {
  const order: Record<Severity, number> = { CRITICAL: 0, UNKNOWN: 1, WARNING: 2, OK: 3 };
  const list: Array<Finding & { target: string }> = [];
  for (const k of r.kafka) {
    for (const f of [...k.findings, ...(k.disk?.findings ?? []), ...(k.partitions?.findings ?? [])])
      list.push({ ...f, target: `kafka/${k.cluster}` });
  }
  for (const a of r.flink) for (const f of a.findings) list.push({ ...f, target: `flink/${a.name}` });
  if (r.healer.unreadable) {
    list.push({
      severity: 'UNKNOWN',
      code: 'healer.journal-unreadable',
      subject: 'journal',
      message: r.healer.unreadable,
      advice: 'Check healer.journal in streamctl.yaml and the file (streamctl doctor).',
      target: 'healer',
    });
  }
  // Open incidents count in the report's severity, so they are findings too — except for an
  // application the Flink section reports: its story already tells the incident (one finding, not two).
  const told = new Set(r.flink.filter((a) => a.story).map((a) => a.name));
  for (const i of r.healer.openIncidents) {
    if (told.has(i.app)) continue;
    list.push({
      severity: i.severity,
      code: 'healer.open-incident',
      subject: i.app,
      message: `open incident since ${i.openedAt}: ${i.summary}`,
      advice: `streamctl healer history ${i.app}`,
      target: `healer/${i.app}`,
    });
  }
  return list.sort((a, b) => order[a.severity] - order[b.severity]);
}
