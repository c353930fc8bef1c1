/**
 * classifyFailure: one Flink failure text (+ optional context) → verdict, confidence, subtype,
 * root cause and the signals that decided it (DESIGN.md §3). Pure: no I/O, no clock.
 */
import { firstNonJdkFrame, formatFrame } from './frames.js';
import { parseText } from './parse.js';
import { primaryTrace, rootCauseIndex } from './root-cause.js';
import type { Evidence } from './rules/evidence.js';
import { runRules } from './rules/index.js';
import { score } from './score.js';
import type { Classification, ClassifyContext, RootCause } from './types.js';

/** Classifies one failure text. */
export function classifyFailure(text: string, context: ClassifyContext = {}): Classification {
  const parsed = parseText(text);
  const trace = primaryTrace(parsed);
  const rootIndex = trace ? rootCauseIndex(trace) : -1;
  const root = trace?.chain[rootIndex];
  const allText = [
    ...parsed.traces.flatMap((t) =>
      t.chain.map(
        (c) => `${c.exception}: ${c.message} ${c.frames.map((f) => `${f.cls}.${f.method}`).join(' ')}`,
      ),
    ),
    ...parsed.lines,
  ].join('\n');
  const ev: Evidence = { parsed, trace, root, rootIndex, chain: trace?.chain ?? [], allText, context };
  const hits = runRules(ev);
  const uncertain = parsed.truncated && (!root || root.frames.length === 0);
  const s = score(hits, uncertain);
  const rootCause: RootCause = root
    ? {
        exception: root.exception,
        message: firstLines(root.message),
        frame: formatFrame(firstNonJdkFrame(root.frames) ?? root.frames[0]),
      }
    : { exception: '', message: firstLines(parsed.lines[0] ?? text.trim()), frame: '' };
  const signals = [...hits]
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .map(({ rule, weight, evidence }) => ({ rule, weight, evidence }));
  return { verdict: s.verdict, confidence: s.confidence, subtype: s.subtype, rootCause, signals };
}

/** The first lines of a message, bounded, for the rootCause field. */
function firstLines(message: string): string {
  const m = message.split('\n').slice(0, 3).join('\n');
  return m.length > 500 ? `${m.slice(0, 499)}…` : m;
}
