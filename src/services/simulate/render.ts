/** Human rendering of simulation results: the timeline, then the figures and the verdict. */
import { paint } from '../../core/output.js';
import { formatOffset, type SimulationResult } from './run.js';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** Renders one scenario's result. */
export function renderSimulation(r: SimulationResult, opts: { timeline?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(paint('bold', `Scenario ${r.scenario}${r.file ? ` (${r.file})` : ''}`));
  if (opts.timeline !== false) {
    for (const e of r.timeline)
      lines.push(`  ${pad(`+${formatOffset(e.t)}`, 8)} ${pad(e.app, 18)} ${pad(e.what, 9)} ${e.text}`);
  }
  const f = r.figures;
  lines.push('  Figures:');
  lines.push(
    `    detection latency     ${f.detectionLatencyMs !== undefined ? `${Math.round(f.detectionLatencyMs / 1000)} s after the third restart` : f.detectedAt !== undefined ? `detected at +${formatOffset(f.detectedAt)}` : 'no loop detected'}`,
  );
  lines.push(
    `    first decision        ${f.firstDecision ? `${f.firstDecision.kind} [${f.firstDecision.reason}] at +${formatOffset(f.firstDecision.t)}` : 'none (nothing decisive)'}`,
  );
  lines.push(`    outcome               ${f.outcome}`);
  lines.push(`    classified as         ${f.classifiedAs ?? '—'}`);
  lines.push(
    `    time to recovery      ${f.timeToRecoveryMs !== undefined ? formatOffset(f.timeToRecoveryMs) : '—'}`,
  );
  lines.push(
    `    actions               ${f.actions.length === 0 ? 'none' : f.actions.map((a) => `${a.type} on ${a.app} at +${formatOffset(a.t)} (${a.result})`).join('; ')}`,
  );
  lines.push(
    `    harmful actions       ${f.harmful.length === 0 ? '0' : f.harmful.map((h) => `${h.type} on ${h.app} at +${formatOffset(h.t)}: ${h.why}`).join('; ')}`,
  );
  lines.push(`    notifications         ${f.notifications} (pages: ${f.pages})`);
  const c = f.apiCalls;
  lines.push(
    `    ticks / API calls     ${f.ticks} ticks; GetMetricData ${c.GetMetricData} (${c.GetMetricDataQueries} queries), ListApplications ${c.ListApplications}, DescribeApplication ${c.DescribeApplication}, ListApplicationOperations ${c.ListApplicationOperations}, presigned REST ${c.CreateApplicationPresignedUrl}`,
  );
  lines.push(
    r.passed
      ? `  ${paint('green', 'PASS')}: every expectation matched`
      : `  ${paint('red', 'FAIL')}:\n${r.mismatches.map((m) => `    - ${m}`).join('\n')}`,
  );
  return lines.join('\n');
}
