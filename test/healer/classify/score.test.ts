import { describe, expect, it } from 'vitest';
import { MAX_CONFIDENCE, score, UNKNOWN_BELOW } from '../../../src/healer/classify/score.js';
import type { RuleHit } from '../../../src/healer/classify/types.js';

const hit = (
  weight: number,
  subtype = weight > 0 ? 'npe-in-user-function' : 'taskmanager-lost',
  rule = 'r',
): RuleHit => ({ rule, subtype, weight, evidence: 'e' });

describe('score', () => {
  it('says unknown with low confidence when nothing matched', () => {
    expect(score([])).toEqual({ verdict: 'unknown', confidence: 0.2, subtype: 'unclassified', sum: 0 });
  });

  it.each([
    ['just below the threshold', UNKNOWN_BELOW - 0.01, 'unknown'],
    ['at the threshold', UNKNOWN_BELOW, 'user'],
    ['negative at the threshold', -UNKNOWN_BELOW, 'system'],
  ])('%s', (_name, w, verdict) => {
    expect(score([hit(w)]).verdict).toBe(verdict);
  });

  it('says unknown when strong evidence points both ways', () => {
    const s = score([hit(0.85), hit(-0.8)]);
    expect(s.verdict).toBe('unknown');
    expect(s.subtype).toBe('conflicting-evidence');
    expect(s.confidence).toBeLessThan(0.5);
  });

  it('grows confidence with evidence, capped', () => {
    const c1 = score([hit(0.6)]).confidence;
    const c2 = score([hit(0.6), hit(0.35)]).confidence;
    const c3 = score([hit(0.9), hit(0.9), hit(0.9), hit(0.9)]).confidence;
    expect(c2).toBeGreaterThan(c1);
    expect(c3).toBe(MAX_CONFIDENCE);
  });

  it('lowers confidence for truncated input without frames', () => {
    expect(score([hit(0.9)], true).confidence).toBeLessThan(score([hit(0.9)], false).confidence);
  });

  it('names the subtype after the strongest text signal, not the context', () => {
    const s = score([hit(0.6, 'recent-change', 'recent-owner-change'), hit(0.5, 'bad-packaging')]);
    expect(s.subtype).toBe('bad-packaging');
  });
});
