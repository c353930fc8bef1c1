/**
 * The labelled corpus of real Flink failures as a specification: every case gets the verdict its
 * label (or, for a genuinely ambiguous text, 'unknown') says; documented known misses must at
 * least never be confidently wrong; and an accuracy gate holds over the whole corpus.
 */
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/healer/classify/index.js';
import { contextOf, loadCorpus } from './corpus.js';

const corpus = loadCorpus();
const results = corpus.map((c) => ({ c, r: classifyFailure(c.text, contextOf(c)) }));

describe('corpus of real Flink failures', () => {
  it('has at least 60 cases, both labels, and a held-out validation third', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(corpus.some((c) => c.label === 'system')).toBe(true);
    const validation = corpus.filter((c) => c.split === 'validation').length;
    expect(validation / corpus.length).toBeGreaterThan(0.25);
    expect(validation / corpus.length).toBeLessThan(0.4);
  });

  const regular = results.filter(({ c }) => !c.knownMiss);
  it.each(regular.map(({ c, r }) => [c.id, c.expect ?? c.label, r] as const))(
    '%s → %s',
    (_id, expected, r) => {
      expect(r.verdict).toBe(expected);
    },
  );

  const misses = results.filter(({ c }) => c.knownMiss);
  it.each(misses.map(({ c, r }) => [c.id, c.label, r] as const))(
    'known limitation %s is never confidently wrong',
    (_id, label, r) => {
      const wrong = r.verdict !== 'unknown' && r.verdict !== label;
      expect(wrong && r.confidence > 0.8).toBe(false);
    },
  );

  it('gate: ≥ 90% of labelled cases right and no wrong answer above 0.8 confidence', () => {
    const right = results.filter(({ c, r }) => r.verdict === (c.expect ?? c.label)).length;
    const confidentWrong = results.filter(
      ({ c, r }) => r.verdict !== 'unknown' && r.verdict !== c.label && r.confidence > 0.8,
    );
    expect(right / results.length).toBeGreaterThanOrEqual(0.9);
    expect(confidentWrong.map(({ c }) => c.id)).toEqual([]);
  });

  it('every classification has the DESIGN.md §3 shape', () => {
    for (const { r } of results) {
      expect(Object.keys(r)).toEqual(['verdict', 'confidence', 'subtype', 'rootCause', 'signals']);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      expect(Object.keys(r.rootCause)).toEqual(['exception', 'message', 'frame']);
      for (const s of r.signals) expect(Object.keys(s)).toEqual(['rule', 'weight', 'evidence']);
    }
  });
});
