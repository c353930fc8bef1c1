import { formatDuration, paint, renderTable } from '../../core/output.js';
import type { ApplicationOperation, ApplicationSnapshot } from '../../domain/flink.js';
import type { LifecyclePlan } from '../../services/flink/lifecycle.js';
import type { AppRow, RestartsView } from '../../services/flink/views.js';

const when = (iso?: string) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z') : '-');

export function renderApps(rows: AppRow[]): string {
  return renderTable(rows, [
    { header: 'APPLICATION', get: (r) => (r.configured ? r.name : `${r.name} (discovered)`) },
    { header: 'KIND', get: (r) => r.kind },
    { header: 'STATUS', get: (r) => statusColour(r.status) },
    { header: 'RUNTIME', get: (r) => r.runtime },
    { header: 'VERSION', get: (r) => r.versionId, align: 'right' },
    { header: 'KPUS', get: (r) => r.kpus, align: 'right' },
    { header: 'SNAPSHOTS', get: (r) => yesNo(r.snapshotsEnabled) },
    { header: 'SYS-ROLLBACK', get: (r) => yesNo(r.systemRollbackEnabled) },
    {
      header: 'LAST OPERATION',
      get: (r) =>
        r.lastOperation
          ? `${r.lastOperation.operation} ${r.lastOperation.status} ${when(r.lastOperation.startTime)}`
          : (r.error ?? '-'),
    },
  ]);
}

export function renderOperations(ops: ApplicationOperation[]): string {
  const table = renderTable(ops, [
    { header: 'OPERATION ID', get: (o) => o.operationId },
    { header: 'OPERATION', get: (o) => o.operation },
    { header: 'STATUS', get: (o) => statusColour(o.status) },
    { header: 'STARTED', get: (o) => when(o.startTime) },
    { header: 'ENDED', get: (o) => when(o.endTime) },
    {
      header: 'VERSION',
      get: (o) =>
        o.versionFrom !== undefined || o.versionTo !== undefined
          ? `${o.versionFrom ?? '?'} → ${o.versionTo ?? '?'}`
          : '-',
    },
  ]);
  const errors = ops
    .filter((o) => o.errorString)
    .map(
      (o) =>
        `\n${paint('red', `${o.operation} ${o.operationId} failed:`)}\n  ${o.errorString}${o.rollbackOperationId ? `\n  (system rollback operation ${o.rollbackOperationId})` : ''}`,
    );
  return table + errors.join('\n');
}

export function renderSnapshots(snaps: ApplicationSnapshot[]): string {
  if (snaps.length === 0) return 'No snapshots. Rollback is impossible until one exists.\n';
  return renderTable(snaps, [
    { header: 'SNAPSHOT', get: (s) => s.name },
    { header: 'STATUS', get: (s) => s.status },
    { header: 'VERSION', get: (s) => s.versionId, align: 'right' },
    { header: 'CREATED', get: (s) => when(s.createTime) },
    { header: 'RUNTIME', get: (s) => s.runtime },
  ]);
}

export function renderRestarts(v: RestartsView, loop: string): string {
  const rows = v.periods.map((p, i) => ({ ...p, counter: v.points[i]?.counter }));
  const table = renderTable(rows, [
    { header: 'PERIOD', get: (p) => new Date(p.t).toISOString().slice(11, 16) },
    { header: v.metric.toUpperCase(), get: (p) => p.counter, align: 'right' },
    { header: 'DIFF', get: (p) => (p.restarts === undefined ? '?' : p.restarts), align: 'right' },
    {
      header: 'NOTE',
      get: (p) =>
        [
          p.reset ? 'counter reset (start/update)' : '',
          p.bridged ? 'after a gap' : '',
          p.restarts === undefined ? 'missing datapoint: unknown' : '',
        ]
          .filter(Boolean)
          .join('; '),
    },
  ]);
  return `${v.app}: ${v.metric} per ${v.periodSec}s period — ${v.total} restart(s)${v.missing ? `, ${v.missing} period(s) unknown` : ''}\n${table}\n${loop}\n`;
}

export function renderLifecyclePlan(p: LifecyclePlan): string {
  const lines = [...p.explanation];
  if (p.restartOptions?.length) {
    lines.push('', 'Restart options afterwards:');
    for (const o of p.restartOptions)
      lines.push(`  - ${o.label}: ${o.restoreType}${o.snapshotName ? ` ${o.snapshotName}` : ''} — ${o.note}`);
  }
  if (!p.allowed) {
    lines.push('', paint('red', `Refused: ${p.refusals.join('; ')}`));
  }
  return `${lines.join('\n')}\n`;
}

function statusColour(s: string): string {
  if (s === 'RUNNING' || s === 'SUCCESSFUL') return paint('green', s);
  if (s === 'FAILED' || s === 'UNKNOWN') return paint('red', s);
  if (s === 'READY' || s === 'CANCELLED') return s;
  return paint('yellow', s);
}

function yesNo(v: boolean | undefined): string {
  return v === undefined ? '-' : v ? 'yes' : paint('yellow', 'no');
}

export { formatDuration };
