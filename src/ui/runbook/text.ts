/**
 * Plain-text rendering of runbooks for unattended runs and `runbook list` (tables and colour on
 * a TTY, plain when piped). The interactive flow is flow.tsx.
 */
import { paint, renderTable, severityLabel } from '../../core/output.js';
import type { RunbookRun } from '../../runbooks/engine.js';
import type { Runbook, StepResult } from '../../runbooks/types.js';
import { STEP_KINDS } from '../../runbooks/types.js';

const MARK: Record<StepResult['status'], string> = { done: '✔', skipped: '–', refused: '✖', failed: '✖' };

/** `runbook list`. */
export function renderRunbookList(
  list: ReadonlyArray<Pick<Runbook, 'id' | 'title' | 'target' | 'when'>>,
): string {
  return renderTable(
    [...list],
    [
      { header: 'RUNBOOK', get: (r) => r.id },
      { header: 'TARGET', get: (r) => (r.target === 'app' ? 'APP' : 'CLUSTER') },
      { header: 'WHAT', get: (r) => r.title },
      { header: 'WHEN', get: (r) => r.when },
    ],
  );
}

/** One unattended run, step by step, with the options and their consequences. */
export function renderRun(run: RunbookRun, rb: Pick<Runbook, 'title' | 'steps'>): string {
  const out: string[] = [paint('bold', `${rb.title} — ${run.target}`), ''];
  STEP_KINDS.forEach((kind, i) => {
    const s = run.steps.find((x) => x.kind === kind);
    const head = `${s ? MARK[s.status] : '○'} ${i + 1}. ${rb.steps[kind]}`;
    out.push(s?.status === 'failed' || s?.status === 'refused' ? paint('red', head) : head);
    if (!s) return;
    if (kind === 'diagnose')
      for (const l of s.lines)
        out.push(`     ${l.replace(/^(\w+):/, (_m, sev) => `${severityLabel(sev)}:`)}`);
    else if (kind === 'explain') {
      for (const o of run.options) {
        const tag = o.available
          ? o.recommended
            ? paint('green', ' (recommended)')
            : ''
          : paint('dim', ` [unavailable: ${o.unavailableReason}]`);
        out.push(`     ${o.id === run.chosen ? '❯' : '•'} ${paint('bold', o.id)}: ${o.title}${tag}`);
        for (const c of o.consequences) out.push(`         ${c}`);
        for (const c of o.instructions ?? []) out.push(`         $ ${c}`);
      }
    } else {
      out.push(`     ${s.summary}`);
      for (const l of s.lines) out.push(`       ${l}`);
    }
  });
  out.push('');
  if (run.outcome === 'dry-run')
    out.push(
      `Dry run: nothing was changed. Run again with --option <id> --yes to act${run.chosen ? ` (recommended: --option ${run.chosen})` : ''}.`,
    );
  if (run.verify) out.push(`Outcome: ${run.verify}.`);
  return `${out.join('\n')}\n`;
}
