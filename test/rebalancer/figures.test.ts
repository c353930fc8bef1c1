import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../src/domain/snapshot.js';
import { spread } from '../../src/rebalancer/figures.js';
import { planRebalance } from '../../src/rebalancer/planner.js';

const all = () => true;

describe('spreads (max / mean)', () => {
  it.each([
    { name: 'even', values: [1, 1, 1], weights: [1, 1, 1], expected: 1 },
    { name: 'one broker holds twice the mean', values: [2, 1, 0], weights: [1, 1, 1], expected: 2 },
    { name: 'relative to capacity', values: [1, 2], weights: [1, 2], expected: 1 },
    { name: 'capacity-weighted mean', values: [3, 3], weights: [1, 2], expected: 1.5 },
    { name: 'empty cluster counts as even', values: [0, 0], weights: [1, 1], expected: 1 },
  ])('$name → $expected', ({ values, weights, expected }) => {
    expect(spread(values, weights, all)).toBeCloseTo(expected, 12);
  });

  it('excludes brokers the filter leaves out (removed brokers after the plan)', () => {
    expect(spread([10, 10, 40], [1, 1, 1], (b) => b !== 2)).toBe(1);
  });
});

describe('plan figures on a hand-made cluster', () => {
  // Brokers 1-3, capacity 1000 each, RF 1: broker 1 holds 600 bytes, brokers 2 and 3 150 each.
  const snap: ClusterSnapshot = {
    version: 1,
    cluster: 'hand',
    capturedAt: '2026-11-22T00:00:00Z',
    brokers: [1, 2, 3].map((id) => ({ id, capacityBytes: 1000 })),
    partitions: [
      { topic: 'a', partition: 0, replicas: [1], leader: 1, sizeBytes: 300 },
      { topic: 'a', partition: 1, replicas: [1], leader: 1, sizeBytes: 300 },
      { topic: 'a', partition: 2, replicas: [2], leader: 2, sizeBytes: 150 },
      { topic: 'a', partition: 3, replicas: [3], leader: 3, sizeBytes: 150 },
    ],
  };

  it('balances with the fewest bytes the replica sizes allow, and reports LB for the achieved band', () => {
    // Loads 600 / 150 / 150 → 300 each. Broker 1 only has 300-byte replicas, so one goes to broker 2
    // and a 150-byte one then goes on to broker 3: 450 bytes, the minimum; LB (granularity-blind) is 300.
    const r = planRebalance(snap);
    expect(r.figures).toMatchObject({
      partitionsChanged: 2,
      replicaMoves: 2,
      leaderOnlyChanges: 0,
      movedBytes: 450,
    });
    expect(r.figures.lowerBoundBytes).toBe(300);
    expect(r.figures.movedOverLowerBound).toBeCloseTo(1.5, 12);
    expect(r.figures.utilisationSpread).toEqual({ before: 2, after: 1 });
    expect(r.figures.leaderSpread.before).toBeCloseTo(2 / (4 / 3), 12);
    expect(r.brokers.map((b) => b.bytesAfter)).toEqual([300, 300, 300]);
  });
});
