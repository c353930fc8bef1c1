import { formatBytes, formatDuration, renderTable } from '../../core/output.js';
import { formatRate } from '../../rebalancer/throttle.js';
import type { OfflinePlanResult } from './offline.js';
import { renderLogDirs } from './render-log-dirs.js';

const fix = (v: number | null, d = 3) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(d));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** The plan's figures as text tables for the terminal (docs/design.md §3 figures, then brokers). */
export function renderPlan(r: OfflinePlanResult): string {
  const f = r.figures;
  const rows: [string, string, string][] = [
    ['partitions changed', '', String(f.partitionsChanged)],
    ['replica moves', '', String(f.replicaMoves)],
    ['leader-only changes', '', String(f.leaderOnlyChanges)],
    ['moved bytes', '', formatBytes(f.movedBytes)],
    ['lower bound (LB)', '', formatBytes(f.lowerBoundBytes)],
    ['moved / LB', '', fix(f.movedOverLowerBound)],
    ['utilisation spread (max/mean)', fix(f.utilisationSpread.before), fix(f.utilisationSpread.after)],
    ['replica-count spread', fix(f.replicaCountSpread.before), fix(f.replicaCountSpread.after)],
    ['leader spread', fix(f.leaderSpread.before), fix(f.leaderSpread.after)],
    ['batches', '', String(f.batches)],
    [
      'estimated duration',
      '',
      f.throttleBytesPerSec
        ? `${formatDuration(f.estimatedDurationMs)} at ${formatRate(f.throttleBytesPerSec)}`
        : '- (no --throttle)',
    ],
    ['  busiest broker alone', '', f.throttleBytesPerSec ? formatDuration(f.minimumDurationMs) : '-'],
  ];
  const out = [
    renderTable(rows, [
      { header: 'FIGURE', get: (x) => x[0] },
      { header: 'BEFORE', get: (x) => x[1], align: 'right' },
      { header: 'AFTER', get: (x) => x[2], align: 'right' },
    ]),
    renderTable(r.brokers, [
      { header: 'BROKER', get: (b) => b.id, align: 'right' },
      { header: 'RACK', get: (b) => b.rack },
      { header: 'STATUS', get: (b) => b.status },
      {
        header: 'USED BEFORE',
        get: (b) => `${formatBytes(b.bytesBefore)} ${pct(b.utilisationBefore)}`,
        align: 'right',
      },
      {
        header: 'USED AFTER',
        get: (b) => `${formatBytes(b.bytesAfter)} ${pct(b.utilisationAfter)}`,
        align: 'right',
      },
      { header: 'REPLICAS', get: (b) => `${b.replicasBefore} → ${b.replicasAfter}`, align: 'right' },
      { header: 'LEADERS', get: (b) => `${b.leadersBefore} → ${b.leadersAfter}`, align: 'right' },
    ]),
    renderTable(r.goalReports, [
      { header: 'GOAL', get: (g) => g.goal },
      { header: 'TARGET', get: (g) => g.target },
      { header: 'BEFORE', get: (g) => goalFigure(g.goal, g.before), align: 'right' },
      { header: 'AFTER', get: (g) => goalFigure(g.goal, g.after), align: 'right' },
      { header: 'MET', get: (g) => (g.met ? 'yes' : 'NO') },
      { header: 'MOVES', get: (g) => g.moves, align: 'right' },
      { header: 'BYTES', get: (g) => formatBytes(g.bytes), align: 'right' },
    ]),
    ...r.goalReports.filter((g) => g.conflict).map((g) => `${g.goal}: ${g.conflict}`),
    ...renderLogDirs(r.logDirs),
    ...r.warnings.map((w) => `warning: ${w}`),
    `plan: ${r.files.plan}  report: ${r.files.report}  rollback: ${r.files.rollback}`,
  ];
  return out.join('\n');
}

/** Spreads with 3 decimals; rack diversity is a count of rack-short partitions. */
function goalFigure(goal: string, v: number): string {
  return goal === 'rack diversity' ? `${v} short` : fix(v);
}
