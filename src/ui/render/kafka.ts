import { formatBytes, formatDuration, formatPercent, renderTable, severityLabel } from '../../core/output.js';
import type { DiskResult, PartitionsResult } from '../../services/kafka-monitors.js';
import { renderFindings, renderVerdict } from './findings.js';

export function renderDisk(r: DiskResult): string {
  const table = renderTable(r.brokers, [
    { header: 'BROKER', get: (b) => b.id, align: 'right' },
    { header: 'RACK', get: (b) => b.rack },
    { header: 'USED', get: (b) => formatBytes(b.usedBytes), align: 'right' },
    { header: 'CAPACITY', get: (b) => formatBytes(b.capacityBytes), align: 'right' },
    { header: 'USED%', get: (b) => formatPercent(b.usedPercent), align: 'right' },
    {
      header: 'GROWTH/DAY',
      get: (b) => (b.growthBytesPerDay === undefined ? '-' : formatBytes(b.growthBytesPerDay)),
      align: 'right',
    },
    { header: 'FULL IN', get: (b) => formatDuration(b.timeToFullMs), align: 'right' },
    { header: 'STATUS', get: (b) => severityLabel(b.severity) },
  ]);
  return `${r.cluster} disk (${r.source})\n${table}\n${renderFindings(r.findings)}${renderVerdict(r.cluster, r.severity)}`;
}

export function renderPartitions(r: PartitionsResult): string {
  const lim = r.limit
    ? ` — limit per broker: ${r.limit.recommended} recommended, ${r.limit.maximum} maximum`
    : '';
  const table = renderTable(r.brokers, [
    { header: 'BROKER', get: (b) => b.id, align: 'right' },
    { header: 'RACK', get: (b) => b.rack },
    { header: 'REPLICAS', get: (b) => b.partitions, align: 'right' },
    { header: 'LEADERS', get: (b) => b.leaders, align: 'right' },
    { header: 'USED', get: (b) => formatBytes(b.usedBytes), align: 'right' },
    { header: 'LIMIT', get: (b) => severityLabel(b.limitSeverity) },
  ]);
  const t = r.totals;
  const totals = [
    `partitions ${t.partitions}`,
    `replicas ${t.replicas}`,
    t.underReplicated === undefined ? 'URP n/a (offline)' : `URP ${t.underReplicated}`,
    t.underMinIsr === undefined ? undefined : `under-min-ISR ${t.underMinIsr}`,
    `offline ${t.offline}`,
    `not on preferred leader ${t.notPreferredLeader}`,
    t.leaderSkew === undefined ? undefined : `leader skew ${t.leaderSkew.toFixed(2)}×`,
  ]
    .filter(Boolean)
    .join(' · ');
  return `${r.cluster} partitions (${r.source})${lim}\n${table}${totals}\n\n${renderFindings(r.findings)}${renderVerdict(r.cluster, r.severity)}`;
}
