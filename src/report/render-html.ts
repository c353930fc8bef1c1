import { formatBytes, formatDuration, formatPercent } from '../core/output.js';
import type { Severity } from '../core/severity.js';
import { allFindings, type FleetReport, restartsText } from './model.js';
import { barChart, columnChart, esc } from './svg.js';

const SEV_CLASS: Record<Severity, string> = {
  OK: 'ok',
  WARNING: 'warning',
  CRITICAL: 'critical',
  UNKNOWN: 'unknown',
};
const WEEK_MS = 7 * 86_400_000;

type KafkaEntry = FleetReport['kafka'][number];
type FlinkEntry = FleetReport['flink'][number];

/**
 * A single self-contained HTML file: inline CSS and SVG, no scripts, no external requests
 * (it must open from an email attachment or an air-gapped wiki).
 */
export function renderHtml(r: FleetReport): string {
  const body = [
    ...header(r),
    ...findingsSection(r),
    ...kafkaSection(r),
    ...flinkSection(r),
    ...healerSection(r),
  ];
  return page(r, body);
}

function header(r: FleetReport): string[] {
  return [
    `<header><h1>streamctl health report <span id="overall" class="sev ${SEV_CLASS[r.severity]}">${r.severity}</span></h1>`,
    `<p class="meta">Generated ${esc(r.generatedAt)} · window since ${esc(r.since)} · ${r.kafka.length} Kafka cluster(s) · ${r.flink.length} Flink application(s)</p></header>`,
  ];
}

/** Every finding that is not OK, worst first, with its advice. */
function findingsSection(r: FleetReport): string[] {
  const findings = allFindings(r).filter((f) => f.severity !== 'OK');
  const body = ['<section id="findings"><h2>Findings</h2>'];
  if (findings.length === 0) body.push('<p>No findings: everything is OK.</p>');
  else {
    body.push(
      '<table><thead><tr><th>Severity</th><th>Target</th><th>Subject</th><th>Finding</th><th>Advice</th></tr></thead><tbody>',
    );
    for (const f of findings) {
      body.push(
        `<tr class="finding"><td><span class="sev ${SEV_CLASS[f.severity]}">${f.severity}</span></td><td>${esc(f.target)}</td><td>${esc(f.subject)}</td><td>${esc(f.message)}</td><td>${esc(f.advice ?? '')}</td></tr>`,
      );
    }
    body.push('</tbody></table>');
  }
  body.push('</section>');
  return body;
}

/** One article per cluster: disk per broker (chart and table), partitions per broker. */
function kafkaSection(r: FleetReport): string[] {
  if (!r.kafka.length) return [];
  const body = ['<section id="kafka"><h2>Kafka</h2>'];
  for (const k of r.kafka) {
    const id = slug(k.cluster);
    body.push(
      `<article class="cluster" id="kafka-${id}"><h3>${esc(k.cluster)} <span class="sev ${SEV_CLASS[k.severity]}">${k.severity}</span></h3>`,
    );
    body.push(...diskPart(k, id), ...partitionsPart(k, id), '</article>');
  }
  body.push('</section>');
  return body;
}

/** Disk used per broker with the projection a week ahead, and the figures behind it. */
function diskPart(k: KafkaEntry, id: string): string[] {
  if (!k.disk?.brokers.length) return [];
  const chart = barChart({
    id: `disk-${id}`,
    title: `${k.cluster}: disk used per broker, with the projection 7 days ahead`,
    max: 100,
    unit: '%',
    lines: [
      { at: 60, label: '60%' },
      { at: 80, label: '80%' },
    ],
    bars: k.disk.brokers.map((b) => {
      const projected =
        b.usedPercent !== undefined && b.growthBytesPerDay !== undefined && b.capacityBytes
          ? Math.min(100, b.usedPercent + ((b.growthBytesPerDay * 7) / b.capacityBytes) * 100)
          : undefined;
      return {
        label: `broker ${b.id}`,
        value: b.usedPercent,
        ...(projected === undefined ? {} : { projected }),
        colour: b.severity,
        ...(b.timeToFullMs !== undefined && b.timeToFullMs < WEEK_MS * 4
          ? { note: `full in ${formatDuration(b.timeToFullMs)}` }
          : {}),
      };
    }),
  });
  const rows = k.disk.brokers.map(
    (b) =>
      `<tr><td>${b.id}</td><td>${formatBytes(b.usedBytes)}</td><td>${formatBytes(b.capacityBytes)}</td><td>${formatPercent(b.usedPercent)}</td><td>${b.growthBytesPerDay === undefined ? '-' : formatBytes(b.growthBytesPerDay)}</td><td>${formatDuration(b.timeToFullMs)}</td></tr>`,
  );
  return [
    chart,
    '<table class="brokers"><thead><tr><th>Broker</th><th>Used</th><th>Capacity</th><th>Used %</th><th>Growth/day</th><th>Full in</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ];
}

/** Partitions (replicas) per broker against the MSK limit, and the cluster's totals. */
function partitionsPart(k: KafkaEntry, id: string): string[] {
  if (!k.partitions) return [];
  const lim = k.partitions.limit;
  const max = Math.max(lim?.maximum ?? 0, ...k.partitions.brokers.map((b) => b.partitions)) * 1.1 || 1;
  const chart = barChart({
    id: `partitions-${id}`,
    title: `${k.cluster}: partitions (replicas) per broker${lim ? ' against the MSK limit' : ''}`,
    max,
    unit: '',
    lines: lim
      ? [
          { at: lim.recommended, label: `recommended ${lim.recommended}` },
          { at: lim.maximum, label: `max ${lim.maximum}` },
        ]
      : [],
    bars: k.partitions.brokers.map((b) => ({
      label: `broker ${b.id}`,
      value: b.partitions,
      colour: b.limitSeverity,
    })),
  });
  const t = k.partitions.totals;
  return [
    chart,
    `<p>Partitions ${t.partitions}, replicas ${t.replicas}; under-replicated ${t.underReplicated ?? 'n/a'}, under-min-ISR ${t.underMinIsr ?? 'n/a'}, offline ${t.offline}${t.leaderSkew === undefined ? '' : `, leader skew ${t.leaderSkew.toFixed(2)}×`}.</p>`,
  ];
}

/** One article per application: its status line, its story, its last error, the restarts chart. */
function flinkSection(r: FleetReport): string[] {
  if (!r.flink.length) return [];
  return ['<section id="flink"><h2>Flink</h2>', ...r.flink.flatMap(flinkArticle), '</section>'];
}

function flinkArticle(a: FlinkEntry): string[] {
  const id = slug(a.name);
  const body = [
    `<article class="app" id="flink-${id}"><h3>${esc(a.name)} <span class="sev ${SEV_CLASS[a.severity]}">${a.severity}</span></h3>`,
    `<p>Status <b>${esc(a.status)}</b>${a.runtime ? ` · ${esc(a.runtime)}` : ''}${a.versionId === undefined ? '' : ` · version ${a.versionId}`} · ${esc(restartsText(a))}${a.lastOperation ? ` · last operation ${esc(a.lastOperation.operation)} ${esc(a.lastOperation.status)}` : ''}${a.lastCheckpoint?.completedAt ? ` · last checkpoint ${esc(a.lastCheckpoint.completedAt)}` : ''}${a.lagMs === undefined ? '' : ` · lag ${formatDuration(a.lagMs)}`}</p>`,
  ];
  if (a.story?.episode)
    body.push(
      `<p class="story"><span class="sev ${SEV_CLASS[a.story.severity]}">${a.story.state}</span> ${esc(a.story.headline)}</p>`,
    );
  if (a.lastOperation?.error) body.push(`<pre class="error">${esc(a.lastOperation.error)}</pre>`);
  body.push(restartsChart(a), '</article>');
  return body;
}

/** The restart counter's DIFF per period; an episode that ended is marked, its history kept. */
function restartsChart(a: FlinkEntry): string {
  const ended = a.story?.episode?.endedAt;
  return columnChart({
    id: `restarts-${slug(a.name)}`,
    title: `${a.name}: ${a.restartMetric ?? 'restarts'} per ${a.restartPeriodMs && a.restartPeriodMs > 60_000 ? `${a.restartPeriodMs / 60_000} minutes` : 'minute'} (DIFF)`,
    points: a.restarts,
    unit: ' restarts',
    ...(a.restartPeriodMs ? { periodMs: a.restartPeriodMs } : {}),
    ...(a.story?.countFrom !== undefined && ended !== undefined
      ? {
          history: {
            from: a.story.countFrom,
            at: ended,
            label: `${a.story.episode?.status ?? 'ended'} ${new Date(ended).toISOString().slice(11, 16)}`,
          },
        }
      : {}),
  });
}

/** The healer's mode, its actions in the window, and the incidents open and ended. */
function healerSection(r: FleetReport): string[] {
  const body = [
    '<section id="healer"><h2>Healer</h2>',
    `<p>Mode ${esc(r.healer.mode ?? 'unknown')} · ${r.healer.actions.length} action(s) in the window · ${r.healer.openIncidents.length} open incident(s)</p>`,
  ];
  if (r.healer.actions.length) {
    body.push(
      '<table><thead><tr><th>When</th><th>Application</th><th>Action</th><th>Outcome</th><th>Reason</th></tr></thead><tbody>',
    );
    for (const x of r.healer.actions)
      body.push(
        `<tr class="action"><td>${esc(x.at)}</td><td>${esc(x.app)}</td><td>${esc(x.action)}</td><td>${esc(x.outcome)}</td><td>${esc(x.reason)}</td></tr>`,
      );
    body.push('</tbody></table>');
  }
  if (r.healer.openIncidents.length) {
    body.push('<ul class="incidents">');
    for (const i of r.healer.openIncidents)
      body.push(
        `<li><span class="sev ${SEV_CLASS[i.severity]}">${i.severity}</span> <b>${esc(i.app)}</b> since ${esc(i.openedAt)}: ${esc(i.summary)}</li>`,
      );
    body.push('</ul>');
  }
  if (r.healer.endedIncidents?.length) {
    body.push('<p>Incidents ended in the window:</p><ul class="ended-incidents">');
    for (const i of r.healer.endedIncidents)
      body.push(`<li><b>${esc(i.app)}</b> opened ${esc(i.openedAt)}: ${esc(i.summary)}</li>`);
    body.push('</ul>');
  }
  body.push('</section>');
  return body;
}

/** The document around the body: the inline style sheet, nothing loaded from elsewhere. */
function page(r: FleetReport, body: string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>streamctl health report — ${r.severity}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#263238;max-width:1100px;margin:24px auto;padding:0 16px}
h1{font-size:22px}h2{border-bottom:1px solid #cfd8dc;padding-bottom:4px;margin-top:32px}h3{font-size:16px}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{border-bottom:1px solid #eceff1;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f7f8}.meta{color:#607d8b}.sev{border-radius:3px;padding:1px 6px;font-size:12px;font-weight:600;color:#fff}
.ok{background:#2e7d32}.warning{background:#f9a825;color:#263238}.critical{background:#c62828}.unknown{background:#6a1b9a}
pre.error{background:#fff3f3;border-left:3px solid #c62828;padding:8px;white-space:pre-wrap}svg.chart{display:block;margin:4px 0;max-width:100%;height:auto}figure{margin:12px 0}figcaption{font-size:12px;color:#607d8b}
@media print{svg.chart{page-break-inside:avoid}}
</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
