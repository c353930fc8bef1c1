import { describe, expect, it } from 'vitest';
import {
  MAX_CONFIDENCE,
  SINGLE_SIGNAL_CAP,
  STRONG,
  SYSTEM_TIP_FROM,
  score,
  TIP_FROM,
  UNKNOWN_BELOW,
  WEAK_CONFIDENCE_MAX,
  WEAK_FROM,
} from '../../../src/healer/classify/score.js';
import type { RuleHit } from '../../../src/healer/classify/types.js';

const hit = (
  weight: number,
  subtype = weight > 0 ? 'npe-in-user-function' : 'taskmanager-lost',
  rule = 'r',
): RuleHit => ({ rule, subtype, weight, evidence: `e:${rule}` });

describe('score', () => {
  it('says unknown with low confidence when nothing matched', () => {
    expect(score([])).toMatchObject({ verdict: 'unknown', confidence: 0.2, subtype: 'unclassified', sum: 0 });
  });

  it.each([
    ['just below the weak threshold', WEAK_FROM - 0.01, 'unknown'],
    ['at the weak threshold', WEAK_FROM, 'user'],
    ['just below the threshold', UNKNOWN_BELOW - 0.01, 'user'],
    ['at the threshold', UNKNOWN_BELOW, 'user'],
    ['negative at the threshold', -UNKNOWN_BELOW, 'system'],
  ])('%s', (_name, w, verdict) => {
    expect(score([hit(w)]).verdict).toBe(verdict);
  });

  it('gives a lean below the threshold a verdict the healer never acts on (< 0.6)', () => {
    const faint = score([hit(WEAK_FROM)]);
    const lean = score([hit(UNKNOWN_BELOW - 0.01)]);
    expect(faint.confidence).toBeGreaterThanOrEqual(0.5);
    expect(lean.confidence).toBeLessThanOrEqual(WEAK_CONFIDENCE_MAX);
    expect(lean.confidence).toBeLessThan(0.6);
    expect(score([hit(UNKNOWN_BELOW)]).confidence).toBeGreaterThan(0.6);
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
    const c3 = score([hit(0.9, 'a', 'a'), hit(0.9, 'b', 'b'), hit(0.9, 'c', 'c')]).confidence;
    expect(c2).toBeGreaterThan(c1);
    expect(c3).toBe(MAX_CONFIDENCE);
  });

  it('needs a second agreeing signal (or agreeing context) to be confident above SINGLE_SIGNAL_CAP', () => {
    expect(score([hit(0.9, 'a', 'a')]).confidence).toBe(SINGLE_SIGNAL_CAP);
    expect(score([hit(0.9, 'a', 'a'), hit(0.35, 'b', 'b')]).confidence).toBeGreaterThan(SINGLE_SIGNAL_CAP);
    const deploy: RuleHit = { ...hit(0.6, 'recent-change', 'recent-owner-change'), stage: 'context' };
    expect(score([hit(0.9, 'a', 'a'), deploy]).confidence).toBeGreaterThan(SINGLE_SIGNAL_CAP);
  });

  it('lowers confidence for truncated input without frames', () => {
    expect(score([hit(0.9)], true).confidence).toBeLessThan(score([hit(0.9)], false).confidence);
  });

  it('names the subtype after the strongest text signal, not the context', () => {
    const s = score([
      { ...hit(0.6, 'recent-change', 'recent-owner-change'), stage: 'context' },
      hit(0.5, 'bad-packaging'),
    ]);
    expect(s.subtype).toBe('bad-packaging');
  });
});

describe('score: context moves confidence, never the verdict', () => {
  const ctx = (weight: number): RuleHit => ({
    ...hit(weight, 'recent-change', 'recent-owner-change'),
    stage: 'context',
  });

  it('makes no verdict from context alone', () => {
    expect(score([ctx(0.6)]).verdict).toBe('unknown');
    // A faint text lean keeps its own low confidence: the context adds nothing to it.
    expect(score([hit(TIP_FROM - 0.01), ctx(0.6)])).toMatchObject(score([hit(TIP_FROM - 0.01)]));
    expect(score([hit(TIP_FROM - 0.01), ctx(-0.6)]).verdict).toBe('unknown');
  });

  it('tips a fainter system lean when the context points to the system too', () => {
    expect(score([hit(-SYSTEM_TIP_FROM), ctx(-1)]).verdict).toBe('system');
    expect(score([hit(-(SYSTEM_TIP_FROM - 0.01)), ctx(-1)]).verdict).toBe('unknown');
    expect(score([hit(SYSTEM_TIP_FROM), ctx(1)]).verdict).toBe('unknown');
  });

  it('tips a text lean of at least TIP_FROM in its own direction', () => {
    expect(score([hit(TIP_FROM), ctx(0.6)]).verdict).toBe('user');
  });

  it.each([
    ['strong system text against a recent deploy', -STRONG, 0.6, 'system'],
    ['very strong system text against a recent deploy', -0.75, 1.0, 'system'],
    ['strong user text against a fleet-wide event', STRONG, -1.0, 'user'],
    ['weak system text against a recent deploy', -(STRONG - 0.01), 0.6, 'unknown'],
  ])('%s → %s', (_name, text, context, verdict) => {
    const s = score([hit(text), ctx(context)]);
    expect(s.verdict).toBe(verdict);
    if (verdict !== 'unknown') expect(s.confidence).toBeLessThan(score([hit(text)]).confidence);
  });

  it('lets a blame hit (the owner changed that endpoint) decide', () => {
    const s = score([
      hit(0, 'external-system-unavailable'),
      { ...hit(0.7, 'bad-config-endpoint', 'external-error-after-owner-change'), stage: 'blame' },
    ]);
    expect(s.verdict).toBe('user');
    expect(s.subtype).toBe('bad-config-endpoint');
  });
});
