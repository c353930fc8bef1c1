import { describe, expect, it } from 'vitest';
import { lowerBound, movedOverLowerBound } from '../../src/rebalancer/lower-bound.js';

describe('lower bound (docs/design.md §3)', () => {
  it.each([
    { name: 'already balanced', before: [50, 50], after: [50, 50], cap: [100, 100], removed: [0, 0], lb: 0 },
    {
      name: 'two brokers to the mean',
      before: [80, 20],
      after: [50, 50],
      cap: [100, 100],
      removed: [0, 0],
      lb: 30,
    },
    {
      name: 'band [0.45, 0.55] needs less',
      before: [80, 20],
      after: [55, 45],
      cap: [100, 100],
      removed: [0, 0],
      lb: 25,
    },
    {
      name: 'a removed broker counts whole',
      before: [30, 30, 40],
      after: [50, 50, 0],
      cap: [100, 100, 100],
      removed: [0, 0, 1],
      lb: 40,
    },
    {
      name: 'relative to capacity',
      before: [90, 60],
      after: [50, 100],
      cap: [100, 200],
      removed: [0, 0],
      lb: 40,
    },
    {
      name: 'excess larger than deficit',
      before: [90, 10, 50],
      after: [60, 30, 60],
      cap: [100, 100, 100],
      removed: [0, 0, 0],
      lb: 30,
    },
  ])('$name → LB $lb', ({ before, after, cap, removed, lb }) => {
    expect(lowerBound({ loadBefore: before, loadAfter: after, capacity: cap, removed }).bytes).toBeCloseTo(
      lb,
      9,
    );
  });

  it('reports the achieved band and both sums', () => {
    const r = lowerBound({
      loadBefore: [90, 10, 50],
      loadAfter: [60, 30, 60],
      capacity: [100, 100, 100],
      removed: [0, 0, 0],
    });
    expect(r).toMatchObject({ excessBytes: 30, deficitBytes: 20, minUtilAfter: 0.3, maxUtilAfter: 0.6 });
  });

  it.each([
    { moved: 0, lb: 0, ratio: 1 },
    { moved: 5, lb: 0, ratio: null },
    { moved: 30, lb: 30, ratio: 1 },
    { moved: 45, lb: 30, ratio: 1.5 },
  ])('moved $moved / LB $lb = $ratio', ({ moved, lb, ratio }) => {
    expect(movedOverLowerBound(moved, lb)).toBe(ratio);
  });
});
