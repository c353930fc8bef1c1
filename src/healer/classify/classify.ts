/**
 * classifyFailure: one Flink failure text (+ optional context) → verdict, confidence, subtype,
 * root cause and the signals that decided it (docs/design.md §3). explainFailure adds the explanation:
 * the cause chain with the owner of each frame and the step that decided. Pure: no I/O, no clock.
 */
import { type Explanation, explanationOf } from './explain.js';
import { firstNonJdkFrame, formatFrame } from './frames.js';
import { parseText } from './parse.js';
import { primaryTrace, rootCauseIndex, withSurfacingFrames } from './root-cause.js';
import type { Evidence } from './rules/evidence.js';
import { runRules } from './rules/index.js';
import { type Scored, score } from './score.js';
import type { Classification, ClassifyContext, RootCause, RuleHit } from './types.js';

interface Evaluation {
  ev: Evidence;
  hits: RuleHit[];
  scored: Scored;
  classification: Classification;
}

function evaluate(text: string, context: ClassifyContext): Evaluation {
  const parsed = parseText(text);
  const trace = primaryTrace(parsed);
  const rootIndex = trace ? rootCauseIndex(trace) : -1;
  const printed = trace?.chain[rootIndex];
  const root = printed && trace ? withSurfacingFrames(printed, trace.chain, parsed) : printed;
  const chain =
    trace && root && printed !== root
      ? trace.chain.map((c) => (c === printed ? root : c))
      : (trace?.chain ?? []);
  const allText = [
    ...parsed.traces.flatMap((t) =>
      t.chain.map(
        (c) => `${c.exception}: ${c.message} ${c.frames.map((f) => `${f.cls}.${f.method}`).join(' ')}`,
      ),
    ),
    ...parsed.lines,
  ].join('\n');
  const ev: Evidence = { parsed, trace, root, rootIndex, chain, allText, context };
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
  const classification = {
    verdict: s.verdict,
    confidence: s.confidence,
    subtype: s.subtype,
    rootCause,
    signals,
  };
  return { ev, hits, scored: s, classification };
}

/** Classifies one failure text. */
export function classifyFailure(text: string, context: ClassifyContext = {}): Classification {
  return evaluate(text, context).classification;
}

/** A classification with its explanation (`flink classify --explain`). */
export interface ExplainedClassification {
  classification: Classification;
  explanation: Explanation;
}

/** Classifies one failure text and explains how. */
export function explainFailure(text: string, context: ClassifyContext = {}): ExplainedClassification {
  const e = evaluate(text, context);
  return { classification: e.classification, explanation: explanationOf(e.ev, e.hits, e.scored) };
}

/** The first lines of a message, bounded, for the rootCause field. */
function firstLines(message: string): string {
  const m = message.split('\n').slice(0, 3).join('\n');
  return m.length > 500 ? `${m.slice(0, 499)}…` : m;
}
