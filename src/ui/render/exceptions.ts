/**
 * The human rendering of `flink exceptions`: the running job's failures, and after a heal the
 * failures of the loop that was healed — the history of failures stays visible (pure but colour).
 */
import { paint, renderTable } from '../../core/output.js';
import type { ExceptionEntry, ExceptionsView } from '../../services/flink/exceptions.js';

const iso = (t: number) => new Date(t).toISOString();

function firstFailureLines(f: NonNullable<ExceptionsView['firstFailure']>, title: string): string[] {
  const c = f.classification;
  const colour = c.verdict === 'user' ? 'yellow' : c.verdict === 'system' ? 'cyan' : 'magenta';
  return [
    `${title} (${Number.isFinite(f.timestamp) ? iso(f.timestamp) : 'time unknown'}, ${f.loopSize} failure(s) in the loop):`,
    `  verdict     ${paint(colour, c.verdict.toUpperCase())} (${Math.round(c.confidence * 100)}%, ${c.subtype})`,
    `  root cause  ${c.rootCause.exception}${c.rootCause.message ? `: ${c.rootCause.message}` : ''}`,
    ...(c.rootCause.frame ? [`  at          ${c.rootCause.frame}`] : []),
    ...c.signals
      .slice(0, 4)
      .map((s) => `  signal      ${s.rule} (${s.weight > 0 ? '+' : ''}${s.weight}): ${s.evidence}`),
  ];
}

function entriesTable(entries: ExceptionEntry[]): string {
  return renderTable(entries, [
    { header: 'TIME', get: (e) => iso(e.timestamp) },
    { header: 'EXCEPTION', get: (e) => e.exceptionName },
    { header: 'TASK', get: (e) => e.taskName },
    {
      header: 'VERDICT',
      get: (e) => `${e.classification.verdict} ${Math.round(e.classification.confidence * 100)}%`,
    },
  ]).trimEnd();
}

export function renderExceptions(v: ExceptionsView): string {
  const out: string[] = [];
  if (v.note) out.push(paint('dim', v.note));
  const healed = v.story && v.loop && ['healed', 'stopped', 'resolved'].includes(v.story.status);
  if (v.firstFailure) out.push(...firstFailureLines(v.firstFailure, 'First failure of the loop'));
  else if (healed) out.push(`No failures of the running job${v.jobId ? ` ${v.jobId}` : ''} since the heal.`);
  else out.push('No failures recorded.');
  if (v.entries.length) out.push('', entriesTable(v.entries));
  if (v.story)
    out.push(
      '',
      `Healer: incident ${v.story.incidentKey} — ${v.story.text}${v.story.verdict ? `; it classified the loop ${v.story.verdict}` : ''}`,
    );
  if (v.loop) {
    const from = v.loop.jobId ? `job ${v.loop.jobId}, ` : '';
    out.push(
      '',
      paint(
        'bold',
        `The loop ${healed ? 'before the heal' : 'of the episode'} (${from}from ${v.loop.source}):`,
      ),
    );
    if (v.loop.note) out.push(paint('dim', v.loop.note));
    if (v.loop.firstFailure) out.push(...firstFailureLines(v.loop.firstFailure, 'First failure'));
    else out.push('No failures found.');
    if (v.loop.entries.length) out.push('', entriesTable(v.loop.entries));
  }
  return `${out.join('\n')}\n`;
}
