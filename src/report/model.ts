import type { Finding, Severity } from '../core/severity.js';
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
  lastCheckpoint?: { completedAt?: string; durationMs?: number; sizeBytes?: number; failedInWindow?: number };
  lagMs?: number;
  lastOperation?: { operation: string; status: string; startTime?: string; error?: string };
  findings: Finding[];
}

export interface HealerReport {
  /** Actions since the start of the window. */
  actions: Array<{ at: string; app: string; action: string; outcome: string; reason: string }>;
  openIncidents: Array<{ app: string; openedAt: string; summary: string; severity: Severity }>;
  mode?: string;
  /** Why the journal could not be read (then actions and incidents are unknown, not none). */
  unreadable?: string;
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
  // Open incidents count in the report's severity, so they are findings too.
  for (const i of r.healer.openIncidents) {
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
