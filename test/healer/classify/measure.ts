/**
 * The corpus measurement, shared by the corpus test, `eval-corpus.ts` and `npm run bench`:
 * right / unknown / wrong / confidently wrong (> 0.8), overall and per family, for one split.
 * Ambiguous cases are counted apart: they have no right answer, only a confident one is noted.
 */

import type { Classification } from '../../../src/healer/classify/index.js';
import { classifyFailure } from '../../../src/healer/classify/index.js';
import { type CorpusCase, contextOf } from './corpus.js';

export interface Tally {
  cases: number;
  right: number;
  unknown: number;
  wrong: number;
  confidentWrong: number;
}

export interface Measurement extends Tally {
  ambiguous: number;
  ambiguousConfident: number;
  byFamily: Record<string, Tally>;
}

export interface Scored {
  c: CorpusCase;
  r: Classification;
  outcome: 'right' | 'unknown' | 'wrong' | 'ambiguous';
}

/** The confidence above which a wrong answer counts as confidently wrong. */
export const CONFIDENT = 0.8;

/** Classifies every case. */
export function scoreCases(cases: readonly CorpusCase[]): Scored[] {
  return cases.map((c) => {
    const r = classifyFailure(c.text, contextOf(c));
    const expected = c.expect ?? c.label;
    const outcome =
      c.label === 'ambiguous'
        ? 'ambiguous'
        : r.verdict === expected
          ? 'right'
          : r.verdict === 'unknown'
            ? 'unknown'
            : 'wrong';
    return { c, r, outcome };
  });
}

function empty(): Tally {
  return { cases: 0, right: 0, unknown: 0, wrong: 0, confidentWrong: 0 };
}

function add(t: Tally, s: Scored): void {
  t.cases++;
  if (s.outcome === 'right') t.right++;
  else if (s.outcome === 'unknown') t.unknown++;
  else if (s.outcome === 'wrong') {
    t.wrong++;
    if (s.r.confidence > CONFIDENT) t.confidentWrong++;
  }
}

/** Sums scored cases into one measurement. */
export function measure(scored: readonly Scored[]): Measurement {
  const m: Measurement = { ...empty(), ambiguous: 0, ambiguousConfident: 0, byFamily: {} };
  for (const s of scored) {
    if (s.outcome === 'ambiguous') {
      m.ambiguous++;
      if (s.r.verdict !== 'unknown' && s.r.confidence > CONFIDENT) m.ambiguousConfident++;
      continue;
    }
    add(m, s);
    const fam = m.byFamily[s.c.family] ?? empty();
    m.byFamily[s.c.family] = fam;
    add(fam, s);
  }
  return m;
}

/** "right 40/67 (60%)" style figures. */
export function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`;
}
