/**
 * Combines weighted signals into a verdict and a confidence, in stages (docs/classifier.md
 * "How it decides"):
 *
 * 1. The failure's own evidence (text + blame): B = Σ weights (positive = user, negative = system).
 *    Strong evidence on both sides is "unknown" (conflicting), never a coin toss.
 * 2. Context (a recent deploy, many apps failing at once) is added: S = B + C. Context can raise or
 *    lower confidence but never turns the text around: when S points the other way than B, strong
 *    text evidence (|B| ≥ STRONG) keeps its verdict at the lowest confidence, weaker text becomes
 *    "unknown". Context cannot make a verdict from nothing either: it only tips a lean the text
 *    already has (|B| ≥ TIP_FROM). A deploy minutes before a 502 is no reason to blame the deploy.
 * 3. |S| below UNKNOWN_BELOW is "unknown"; otherwise confidence = 0.5 + 0.5·(1 − e^(−|S|/SCALE)),
 *    capped at MAX_CONFIDENCE, lowered when the input was truncated and the root cause has no frames.
 * For "unknown", confidence is the strength of the lean, always < 0.5.
 */
import type { RuleHit, Verdict } from './types.js';

export const UNKNOWN_BELOW = 0.35;
/**
 * Below UNKNOWN_BELOW and from WEAK_FROM up, the evidence leans one way without settling it: the
 * verdict is given with a confidence under WEAK_CONFIDENCE_MAX (below the healer's default
 * minConfidence of 0.6, so the healer pages rather than acts). "Unknown" is kept for when the
 * evidence is truly absent or points both ways.
 */
export const WEAK_FROM = 0.15;
export const WEAK_CONFIDENCE_MAX = 0.59;
/** Text evidence this strong keeps its direction whatever the context says. */
export const STRONG = 0.5;
/** The weakest text lean that context may tip over UNKNOWN_BELOW. */
export const TIP_FROM = 0.25;
/**
 * Toward system, context (many applications failing at once) may tip a fainter lean: a system
 * verdict never rolls anything back, so the asymmetry is the safe one.
 */
export const SYSTEM_TIP_FROM = 0.1;
export const SCALE = 0.75;
export const MAX_CONFIDENCE = 0.97;
export const TRUNCATION_FACTOR = 0.92;
/**
 * Confidence of a verdict that rests on one signal alone. One pattern can be a look-alike: on the
 * tuning cases single-signal verdicts were right about 88% of the time, two agreeing signals 96%
 * (docs/classifier.md) — so "confident" (> 0.8) needs corroboration: a second text signal, or
 * context pointing the same way.
 */
export const SINGLE_SIGNAL_CAP = 0.8;

/** The scored result before the root cause is attached. */
export interface Scored {
  verdict: Verdict;
  confidence: number;
  subtype: string;
  sum: number;
  /** Which stage decided, for --explain. */
  decidedBy: string;
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}

const sumOf = (hits: readonly RuleHit[]) => hits.reduce((s, h) => s + h.weight, 0);

/** True when strong text evidence points both ways. */
function conflicting(text: readonly RuleHit[]): boolean {
  const pos = sumOf(text.filter((h) => h.weight > 0));
  const neg = -sumOf(text.filter((h) => h.weight < 0));
  return Math.min(pos, neg) >= 0.5 && Math.min(pos, neg) / Math.max(pos, neg) >= 0.6;
}

function unknown(subtype: string, lean: number, decidedBy: string, sum: number): Scored {
  return {
    verdict: 'unknown',
    confidence: r2(Math.min(0.45, 0.2 + Math.abs(lean) * 0.5)),
    subtype,
    sum: r2(sum),
    decidedBy,
  };
}

/** Scores hits. `uncertainInput` = truncated text and a root cause without frames. */
export function score(hits: readonly RuleHit[], uncertainInput = false): Scored {
  if (hits.length === 0) return unknown('unclassified', 0, 'no signal matched', 0);
  const own = hits.filter((h) => h.stage !== 'context');
  const base = sumOf(own);
  const ctx = sumOf(hits.filter((h) => h.stage === 'context'));
  const total = base + ctx;
  if (conflicting(own.filter((h) => h.stage !== 'blame')) && !own.some((h) => h.stage === 'blame'))
    return unknown('conflicting-evidence', base, 'strong evidence points both ways', total);
  let magnitude: number;
  let decidedBy: string;
  const systemTip = base < 0 && ctx < 0 && Math.abs(base) >= SYSTEM_TIP_FROM;
  if (Math.abs(base) < TIP_FROM && !systemTip) {
    const sub = hits.some((h) => h.subtype === 'loop-side-effect') ? 'loop-side-effect' : 'weak-evidence';
    // Context cannot tip a lean this faint; against it, the lean is gone.
    if (Math.abs(base) < WEAK_FROM || (ctx !== 0 && Math.sign(ctx) !== Math.sign(base)))
      return unknown(sub, base, 'the failure text gives no clear lean; context alone decides nothing', total);
    return weak(hits, base, base, 'a faint lean of the failure text; context does not add to it');
  }
  const sameWay = Math.sign(total) === Math.sign(base);
  if (ctx === 0 || Math.sign(ctx) === Math.sign(base)) {
    magnitude = Math.abs(total);
    decidedBy = ctx === 0 ? 'the failure text' : 'the failure text, with its context';
  } else if (Math.abs(base) >= STRONG) {
    // Context against strong text evidence lowers confidence, down to the floor, never below.
    magnitude = Math.max(sameWay ? Math.abs(total) : 0, UNKNOWN_BELOW);
    decidedBy = 'the failure text (strong); the context against it only lowers confidence';
  } else if (sameWay) {
    magnitude = Math.abs(total);
    decidedBy = 'the failure text, weakened by its context';
  } else {
    return unknown('conflicting-evidence', base, 'weak text evidence against its context', total);
  }
  if (magnitude < UNKNOWN_BELOW) {
    if (magnitude < WEAK_FROM) {
      const sub = hits.some((h) => h.subtype === 'loop-side-effect') ? 'loop-side-effect' : 'weak-evidence';
      return unknown(sub, total, 'the evidence is too weak for a verdict', total);
    }
    return weak(hits, base, total, `${decidedBy}: a lean, too weak to act on`);
  }
  const verdict: Verdict = base > 0 ? 'user' : 'system';
  let confidence = 0.5 + 0.5 * (1 - Math.exp(-magnitude / SCALE));
  if (uncertainInput) confidence *= TRUNCATION_FACTOR;
  const dir = verdict === 'user' ? 1 : -1;
  // Two families matching the same cause are one piece of evidence, not two.
  const agreeing = new Set(own.filter((h) => h.weight * dir >= 0.2).map((h) => h.evidence)).size;
  const contextAgrees = hits.some((h) => h.stage === 'context' && h.weight * dir > 0);
  const cap = agreeing >= 2 || (agreeing >= 1 && contextAgrees) ? MAX_CONFIDENCE : SINGLE_SIGNAL_CAP;
  confidence = Math.min(cap, confidence);
  return {
    verdict,
    confidence: r2(confidence),
    subtype: subtypeOf(hits, verdict),
    sum: r2(total),
    decidedBy,
  };
}

/** A verdict from a lean: confidence 0.5 … WEAK_CONFIDENCE_MAX, never enough for the healer to act. */
function weak(hits: readonly RuleHit[], base: number, sum: number, decidedBy: string): Scored {
  const verdict: Verdict = base > 0 ? 'user' : 'system';
  const strength = Math.min(1, Math.abs(sum) / UNKNOWN_BELOW);
  return {
    verdict,
    confidence: r2(0.5 + (WEAK_CONFIDENCE_MAX - 0.5) * strength),
    subtype: subtypeOf(hits, verdict),
    sum: r2(sum),
    decidedBy,
  };
}

/** The subtype of the strongest text signal in the verdict's direction (context signals only as a last resort). */
function subtypeOf(hits: readonly RuleHit[], verdict: Verdict): string {
  const dir = verdict === 'user' ? 1 : -1;
  const same = hits.filter((h) => h.weight * dir > 0).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  // A change that explains an external error renames it (bad-config-endpoint) — prefer that.
  const blamed = same.find((h) => h.stage === 'blame');
  if (blamed) return blamed.subtype;
  const text = same.find((h) => h.stage !== 'context');
  return (text ?? same[0])?.subtype ?? 'unclassified';
}
