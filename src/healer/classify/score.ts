/**
 * Combines weighted signals into a verdict and a confidence.
 *
 * S = Σ weights (positive = user, negative = system). |S| below UNKNOWN_BELOW, or strong evidence
 * on both sides, gives "unknown": a weak or conflicting case is reported as such rather than
 * guessed. Otherwise confidence = 0.5 + 0.5·(1 − e^(−|S|/SCALE)), capped at 0.97 and lowered
 * when the input was truncated and the root cause has no frames (we may be missing the cause).
 * Calibration: one strong family hit (|S| ≈ 0.85) ≈ 0.83; a strong hit plus job frames or a
 * matching context ≈ 0.9+. For "unknown", confidence is the strength of the lean, always < 0.5.
 */
import type { RuleHit, Verdict } from './types.js';

export const UNKNOWN_BELOW = 0.35;
export const SCALE = 0.75;
export const MAX_CONFIDENCE = 0.97;
export const TRUNCATION_FACTOR = 0.92;

/** The scored result before the root cause is attached. */
export interface Scored {
  verdict: Verdict;
  confidence: number;
  subtype: string;
  sum: number;
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Scores hits. `uncertainInput` = truncated text and a root cause without frames. */
export function score(hits: readonly RuleHit[], uncertainInput = false): Scored {
  const sum = hits.reduce((s, h) => s + h.weight, 0);
  const pos = hits.filter((h) => h.weight > 0).reduce((s, h) => s + h.weight, 0);
  const neg = -hits.filter((h) => h.weight < 0).reduce((s, h) => s + h.weight, 0);
  const abs = Math.abs(sum);
  const conflicting = Math.min(pos, neg) >= 0.5 && Math.min(pos, neg) / Math.max(pos, neg) >= 0.6;
  if (hits.length === 0) return { verdict: 'unknown', confidence: 0.2, subtype: 'unclassified', sum: 0 };
  if (abs < UNKNOWN_BELOW || conflicting) {
    const subtype = conflicting
      ? 'conflicting-evidence'
      : hits.some((h) => h.subtype === 'loop-side-effect')
        ? 'loop-side-effect'
        : 'weak-evidence';
    return { verdict: 'unknown', confidence: r2(Math.min(0.45, 0.2 + abs * 0.5)), subtype, sum: r2(sum) };
  }
  const verdict: Verdict = sum > 0 ? 'user' : 'system';
  let confidence = 0.5 + 0.5 * (1 - Math.exp(-abs / SCALE));
  if (uncertainInput) confidence *= TRUNCATION_FACTOR;
  confidence = Math.min(MAX_CONFIDENCE, confidence);
  return { verdict, confidence: r2(confidence), subtype: subtypeOf(hits, verdict), sum: r2(sum) };
}

/** The subtype of the strongest text signal in the verdict's direction (context signals only as a last resort). */
function subtypeOf(hits: readonly RuleHit[], verdict: Verdict): string {
  const dir = verdict === 'user' ? 1 : -1;
  const same = hits.filter((h) => h.weight * dir > 0).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const CONTEXT = new Set(['recent-change', 'systemic-event']);
  // A change that explains an external error renames it (bad-config-endpoint) — prefer that.
  const blamed = same.find((h) => h.rule === 'external-error-after-owner-change');
  if (blamed) return blamed.subtype;
  const text = same.find((h) => !CONTEXT.has(h.subtype));
  return (text ?? same[0])?.subtype ?? 'unclassified';
}
