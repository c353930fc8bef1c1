/**
 * Cell texts of the watch view, shared by the ink view and the one-shot text snapshot (pure).
 */
import { formatBytes, formatDuration } from '../../core/output.js';
import type { FleetView, FlinkRow, IncidentRow, KafkaRow } from '../../services/watch-model.js';

export const pct = (x?: number) => (x === undefined ? '-' : `${x.toFixed(1)}%`);

/** The last minutes of restarts, newest last: `0 0 3 3 3` (`?` = missing datapoint). */
export function restartTrail(r: FlinkRow, n = 10): string {
  if (r.loop === 'not-polled') return '-';
  const xs = r.perMinute.slice(-n);
  return xs.length ? xs.map((x) => (x === null ? '?' : String(x))).join(' ') : '?';
}

export function kafkaCells(k: KafkaRow) {
  return {
    cluster: k.cluster,
    severity: k.severity,
    brokers: k.error
      ? '-'
      : `${k.brokers}${k.brokersDown.length ? ` (${k.brokersDown.length} DOWN: ${k.brokersDown.join(',')})` : ''}`,
    disk: k.diskMaxPercent === undefined ? '-' : `${pct(k.diskMaxPercent)} (b${k.diskMaxBroker})`,
    urp: k.urp === undefined ? '-' : String(k.urp),
    offline: k.error ? '-' : String(k.offline),
    note: k.error ?? k.findings[0]?.text ?? '',
  };
}

export function flinkCells(f: FlinkRow) {
  return {
    app: f.app,
    severity: f.severity,
    status: f.status,
    restarts:
      f.loop === 'not-polled'
        ? '-'
        : f.restartsBeforeHeal === undefined
          ? `${f.restartsWindow} [${restartTrail(f)}]`
          : `${f.restartsWindow - f.restartsBeforeHeal} since the heal (${f.restartsBeforeHeal} before) [${restartTrail(f)}]`,
    loop: f.loop,
    checkpoint:
      f.lastCheckpointDurationMs === undefined
        ? '-'
        : `${formatDuration(f.lastCheckpointDurationMs)}${f.lastCheckpointSizeBytes === undefined ? '' : `, ${formatBytes(f.lastCheckpointSizeBytes)}`}${f.failedCheckpointsWindow ? `, ${f.failedCheckpointsWindow} failed` : ''}`,
    note: f.error ?? f.story ?? f.note ?? '',
  };
}

/** The runbook that fits a row's trouble, to suggest in the drill-in. */
export function suggestedRunbook(
  row: { kind: 'kafka'; k: KafkaRow } | { kind: 'flink'; f: FlinkRow },
): string | undefined {
  if (row.kind === 'flink') {
    const f = row.f;
    if (f.loop === 'loop' || f.loop === 'restarting') return `streamctl runbook restart-loop ${f.app}`;
    if (['UPDATING', 'AUTOSCALING'].includes(f.status)) return `streamctl runbook stuck-update ${f.app}`;
    return undefined;
  }
  const k = row.k;
  if (k.brokersDown.length || k.offline) return `streamctl runbook broker-down ${k.cluster}`;
  if (k.perBroker.some((b) => b.partitions === 0) && k.perBroker.length > 1)
    return `streamctl runbook add-brokers ${k.cluster}`;
  if ((k.diskMaxPercent ?? 0) >= 60) return `streamctl runbook disk-filling ${k.cluster}`;
  return undefined;
}

/** "1 open, 1 healed": the incidents the healer still holds, and those it ended. */
export function incidentCounts(v: Pick<FleetView, 'incidents'>): string {
  const n = new Map<string, number>();
  for (const i of v.incidents) {
    const k = i.status === 'acting' || i.status === 'not-healed' ? 'open' : i.status;
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  return [...n].map(([k, c]) => `${c} ${k}`).join(', ') || 'none';
}

/** One incident line: the app, what happened, since when. */
export function incidentLine(i: IncidentRow): string {
  return `${i.summary} (opened ${new Date(i.openedAt).toISOString()})`;
}
