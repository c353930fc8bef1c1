/**
 * The explanation of a classification (`streamctl flink classify --explain`): the cause chain as the
 * classifier read it — each cause's role (wrapper, root cause, consequence) and the owner of its
 * frames (job, generated SQL code, connector, Flink, library, JDK) — and the steps that decided:
 * where it failed and whose code that is, what is known about the exception, what the context
 * added, and which stage settled the verdict. Pure.
 */
import { type FrameOrigin, formatFrame, frameOrigin } from './frames.js';
import { isWrapper } from './root-cause.js';
import type { Evidence } from './rules/evidence.js';
import type { Scored } from './score.js';
import type { Cause, RuleHit } from './types.js';

/** One frame with its owner. */
export interface OwnedFrame {
  frame: string;
  owner: FrameOrigin;
}

/** One cause of the primary trace, outermost first. */
export interface ExplainedCause {
  exception: string;
  message: string;
  role: 'wrapper' | 'root cause' | 'cause' | 'consequence';
  /** The first frames that are not JDK plumbing (at most FRAMES_SHOWN). */
  frames: OwnedFrame[];
  /** Frames not shown (JDK frames and those beyond FRAMES_SHOWN). */
  hiddenFrames: number;
}

export interface Explanation {
  chain: ExplainedCause[];
  /** How many exceptions the text holds besides the one classified. */
  otherTraces: number;
  steps: { step: 'ownership' | 'knowledge' | 'context' | 'decision'; text: string }[];
  decidedBy: string;
}

export const FRAMES_SHOWN = 4;

function roleOf(c: Cause, i: number, rootIndex: number): ExplainedCause['role'] {
  if (i === rootIndex) return 'root cause';
  if (i > rootIndex) return 'consequence';
  return isWrapper(c) ? 'wrapper' : 'cause';
}

function firstLine(s: string): string {
  const l = s.split('\n')[0] ?? '';
  return l.length > 200 ? `${l.slice(0, 199)}…` : l;
}

function explainCause(c: Cause, i: number, rootIndex: number): ExplainedCause {
  const owned = c.frames
    .map((f) => ({ frame: formatFrame(f), owner: frameOrigin(f.cls) }))
    .filter((f) => f.owner !== 'jdk');
  return {
    exception: c.exception,
    message: firstLine(c.message),
    role: roleOf(c, i, rootIndex),
    frames: owned.slice(0, FRAMES_SHOWN),
    hiddenFrames: c.frames.length - Math.min(owned.length, FRAMES_SHOWN),
  };
}

function ownershipStep(ev: Evidence): string {
  const root = ev.root;
  if (!root) return 'No exception in the text: only its log lines could be read.';
  const frames = root.frames.filter((f) => frameOrigin(f.cls) !== 'jdk');
  const top = frames[0];
  if (!top)
    return `${root.exception || 'The root cause'} has no frames (a cut or one-line text): ownership unknown.`;
  const job = ev.chain.some((c) => c.frames.some((f) => ['user', 'generated'].includes(frameOrigin(f.cls))));
  return `${root.exception} was thrown in ${frameOrigin(top.cls)} code at ${formatFrame(top)}; ${job ? 'job code is on the stack' : 'no job frame anywhere in the chain'}.`;
}

const fmt = (h: RuleHit) => `${h.weight > 0 ? '+' : ''}${h.weight.toFixed(2)} ${h.rule}: ${h.evidence}`;

/** Builds the explanation from what the classifier evaluated. */
export function explanationOf(ev: Evidence, hits: readonly RuleHit[], s: Scored): Explanation {
  const text = hits.filter((h) => h.stage !== 'context' && h.stage !== 'blame');
  const context = hits.filter((h) => h.stage === 'context' || h.stage === 'blame');
  const steps: Explanation['steps'] = [{ step: 'ownership', text: ownershipStep(ev) }];
  steps.push({
    step: 'knowledge',
    text:
      text.length === 0 ? 'No known exception, message or frame pattern matched.' : text.map(fmt).join('\n'),
  });
  if (context.length > 0) steps.push({ step: 'context', text: context.map(fmt).join('\n') });
  steps.push({
    step: 'decision',
    text: `${s.verdict} (${s.confidence.toFixed(2)}), sum ${s.sum >= 0 ? '+' : ''}${s.sum.toFixed(2)}: decided by ${s.decidedBy}.`,
  });
  return {
    chain: ev.chain.map((c, i) => explainCause(c, i, ev.rootIndex)),
    otherTraces: Math.max(0, ev.parsed.traces.length - (ev.trace ? 1 : 0)),
    steps,
    decidedBy: s.decidedBy,
  };
}
