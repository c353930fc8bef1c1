import { formatBytes, formatDuration, formatPercent } from '../core/output.js';
import { allFindings, type FleetReport, restartsText } from './model.js';

/** Markdown rendering of the fleet report (for tickets, chat and email). */
export function renderMarkdown(r: FleetReport): string {
  const lines = [
    `# streamctl health report — ${r.severity}`,
    '',
    `Generated ${r.generatedAt}, window since ${r.since}.`,
    '',
    ...findingsPart(r),
    ...kafkaPart(r),
    ...flinkPart(r),
    ...healerPart(r),
  ];
  return `${lines.join('\n')}\n`;
}

/** Every finding that is not OK, with its advice. */
function findingsPart(r: FleetReport): string[] {
  const findings = allFindings(r).filter((f) => f.severity !== 'OK');
  if (findings.length === 0) return ['## Findings', '', 'No findings: everything is OK.', ''];
  return [
    '## Findings',
    '',
    '| Severity | Target | Subject | Finding | Advice |',
    '|---|---|---|---|---|',
    ...findings.map(
      (f) =>
        `| ${f.severity} | ${cell(f.target)} | ${cell(f.subject)} | ${cell(f.message)} | ${cell(f.advice ?? '')} |`,
    ),
    '',
  ];
}

/** Per cluster: disk per broker, and the partition totals. */
function kafkaPart(r: FleetReport): string[] {
  if (!r.kafka.length) return [];
  const lines = ['## Kafka', ''];
  for (const k of r.kafka) {
    lines.push(`### ${k.cluster} — ${k.severity}`, '');
    if (k.disk?.brokers.length) {
      lines.push(
        '| Broker | Used | Capacity | Used % | Growth/day | Full in |',
        '|---:|---:|---:|---:|---:|---:|',
      );
      for (const b of k.disk.brokers) {
        lines.push(
          `| ${b.id} | ${formatBytes(b.usedBytes)} | ${formatBytes(b.capacityBytes)} | ${formatPercent(b.usedPercent)} | ${b.growthBytesPerDay === undefined ? '-' : formatBytes(b.growthBytesPerDay)} | ${formatDuration(b.timeToFullMs)} |`,
        );
      }
      lines.push('');
    }
    if (k.partitions) {
      const t = k.partitions.totals;
      const lim = k.partitions.limit
        ? ` (limit per broker ${k.partitions.limit.recommended}/${k.partitions.limit.maximum})`
        : '';
      lines.push(
        `Partitions ${t.partitions}, replicas ${t.replicas}${lim}; under-replicated ${t.underReplicated ?? 'n/a'}, under-min-ISR ${t.underMinIsr ?? 'n/a'}, offline ${t.offline}.`,
        '',
      );
    }
  }
  return lines;
}

/** One row per application, then the story of each one that has an episode. */
function flinkPart(r: FleetReport): string[] {
  if (!r.flink.length) return [];
  const lines = [
    '## Flink',
    '',
    '| Application | Status | Runtime | Version | Restarts in window | Last checkpoint | Last operation | Health |',
    '|---|---|---|---:|---:|---|---|---|',
  ];
  for (const a of r.flink) {
    const op = a.lastOperation ? `${a.lastOperation.operation} ${a.lastOperation.status}` : '-';
    lines.push(
      `| ${cell(a.name)} | ${a.status} | ${a.runtime ?? '-'} | ${a.versionId ?? '-'} | ${cell(restartsText(a))} | ${a.lastCheckpoint?.completedAt ?? '-'} | ${cell(op)} | ${a.severity} |`,
    );
  }
  lines.push('');
  for (const a of r.flink) if (a.story?.episode) lines.push(`- **${a.name}**: ${a.story.headline}`);
  if (r.flink.some((a) => a.story?.episode)) lines.push('');
  return lines;
}

/** The healer's mode, its actions in the window, and the incidents open and ended. */
function healerPart(r: FleetReport): string[] {
  const lines = [
    '## Healer',
    '',
    `Mode: ${r.healer.mode ?? 'unknown'}. ${r.healer.actions.length} action(s) in the window, ${r.healer.openIncidents.length} open incident(s).`,
    '',
  ];
  if (r.healer.actions.length) {
    lines.push('| When | Application | Action | Outcome | Reason |', '|---|---|---|---|---|');
    for (const a of r.healer.actions)
      lines.push(`| ${a.at} | ${cell(a.app)} | ${a.action} | ${a.outcome} | ${cell(a.reason)} |`);
    lines.push('');
  }
  if (r.healer.openIncidents.length) {
    lines.push('Open incidents:', '');
    for (const i of r.healer.openIncidents)
      lines.push(`- **${i.app}** (${i.severity}, since ${i.openedAt}): ${i.summary}`);
    lines.push('');
  }
  if (r.healer.endedIncidents?.length) {
    lines.push('Incidents ended in the window:', '');
    for (const i of r.healer.endedIncidents)
      lines.push(`- **${i.app}** (opened ${i.openedAt}): ${i.summary}`);
    lines.push('');
  }
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
