/** Checking a simulation against the scenario's `expect` block. */
import type { Reason } from '../../healer/decide/decision.js';
import { formatOffset, type SimulationFigures } from './figures.js';
import type { Scenario } from './scenario.js';

/** Compares the run with the scenario's `expect` block; each mismatch is one readable line. */
export function checkExpectations(
  s: Scenario,
  f: SimulationFigures,
  reasons: Reason[],
  mainActions: string[],
): string[] {
  const e = s.expect;
  const out: string[] = [];
  if (e.decision) {
    const got = f.firstDecision;
    if (!got || got.kind !== e.decision.kind || got.reason !== e.decision.reason) {
      out.push(
        `first decision: expected ${e.decision.kind} [${e.decision.reason}], got ${got ? `${got.kind} [${got.reason}]` : 'none'}`,
      );
    }
  }
  let i = 0;
  for (const r of reasons) if (i < e.reasons.length && r === e.reasons[i]) i++;
  if (i < e.reasons.length)
    out.push(
      `reasons: expected ${e.reasons.join(' → ')} in order; missing ${e.reasons[i]} (got ${reasons.join(' → ')})`,
    );
  for (const r of e.never) if (reasons.includes(r)) out.push(`reason ${r} must never appear`);
  if (e.actions && JSON.stringify(e.actions) !== JSON.stringify(mainActions))
    out.push(`actions: expected [${e.actions.join(', ')}], got [${mainActions.join(', ')}]`);
  if (e.outcome && e.outcome !== f.outcome) out.push(`outcome: expected ${e.outcome}, got ${f.outcome}`);
  if (e.detected === true && f.detectedAt === undefined)
    out.push('expected the loop to be detected; it was not');
  if (e.detected === false && f.detectedAt !== undefined)
    out.push(`expected no loop detection; detected at ${formatOffset(f.detectedAt)}`);
  if (e.detectionWithin !== undefined) {
    if (f.detectionLatencyMs === undefined)
      out.push(`detection within ${formatOffset(e.detectionWithin)} of the third restart: not detected`);
    else if (f.detectionLatencyMs > e.detectionWithin)
      out.push(
        `detection latency ${formatOffset(f.detectionLatencyMs)} > ${formatOffset(e.detectionWithin)}`,
      );
  }
  if (e.classifyAs && e.classifyAs !== f.classifiedAs)
    out.push(`classification: expected ${e.classifyAs}, got ${f.classifiedAs ?? 'none (never classified)'}`);
  if (e.pages === true && f.pages === 0) out.push('expected a page (for any reason); none was sent');
  if (e.pages === false && f.pages > 0) out.push(`expected no page; ${f.pages} sent`);
  if (f.harmful.length > e.maxHarmful)
    out.push(
      `harmful actions: ${f.harmful.map((h) => `${h.type} on ${h.app} at ${formatOffset(h.t)} (${h.why})`).join('; ')}`,
    );
  return out;
}
