/**
 * The watch view as plain text: what `streamctl watch` prints when not on a terminal (or with
 * --once): one snapshot, tables, then exit with the worst severity.
 */
import { paint, renderTable, severityLabel } from '../../core/output.js';
import type { FleetView } from '../../services/watch-model.js';
import { flinkCells, incidentCounts, incidentLine, kafkaCells } from './format.js';

export function renderFleetText(v: FleetView): string {
  const out: string[] = [
    paint('bold', `streamctl watch — ${new Date(v.at).toISOString()} — ${v.severity}`),
    '',
  ];
  out.push(paint('bold', 'Kafka clusters'));
  out.push(
    v.kafka.length
      ? renderTable(v.kafka.map(kafkaCells), [
          { header: 'CLUSTER', get: (r) => r.cluster },
          { header: 'HEALTH', get: (r) => severityLabel(r.severity) },
          { header: 'BROKERS', get: (r) => r.brokers },
          { header: 'DISK MAX', get: (r) => r.disk, align: 'right' },
          { header: 'URP', get: (r) => r.urp, align: 'right' },
          { header: 'OFFLINE', get: (r) => r.offline, align: 'right' },
          { header: 'NOTE', get: (r) => r.note },
        ]).trimEnd()
      : '  (none configured)',
  );
  out.push(
    '',
    paint('bold', `Flink applications (restarts per minute, last ${Math.round(v.windowMs / 60_000)} min)`),
  );
  out.push(
    v.flink.length
      ? renderTable(v.flink.map(flinkCells), [
          { header: 'APPLICATION', get: (r) => r.app },
          { header: 'HEALTH', get: (r) => severityLabel(r.severity) },
          { header: 'STATUS', get: (r) => r.status },
          { header: 'RESTARTS', get: (r) => r.restarts },
          { header: 'LOOP', get: (r) => r.loop },
          { header: 'LAST CHECKPOINT', get: (r) => r.checkpoint },
          { header: 'NOTE', get: (r) => r.note },
        ]).trimEnd()
      : '  (none configured)',
  );
  out.push('', paint('bold', `Healer incidents (${incidentCounts(v)})`));
  out.push(
    v.incidents.length ? v.incidents.map((i) => `  ${i.app}: ${incidentLine(i)}`).join('\n') : '  none',
  );
  for (const e of v.errors) out.push(paint('red', `! ${e}`));
  const calls = Object.entries(v.calls)
    .map(([k, n]) => `${k}×${n}`)
    .join(' ');
  out.push('', paint('dim', `AWS calls this refresh: ${calls || 'none'}`));
  return `${out.join('\n')}\n`;
}
