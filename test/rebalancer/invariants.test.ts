import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../src/domain/snapshot.js';
import { checkPlan, type InvariantContext } from '../../src/rebalancer/invariants.js';

// Brokers 1-3 in racks a, b, c; broker 4 in rack a; capacity 100 each.
const snap: ClusterSnapshot = {
  version: 1,
  cluster: 'inv',
  capturedAt: '2026-11-22T00:00:00Z',
  brokers: [
    { id: 1, rack: 'a', capacityBytes: 100 },
    { id: 2, rack: 'b', capacityBytes: 100 },
    { id: 3, rack: 'c', capacityBytes: 100 },
    { id: 4, rack: 'a', capacityBytes: 100 },
  ],
  partitions: [
    { topic: 'x', partition: 0, replicas: [1, 2, 3], leader: 1, sizeBytes: 30 },
    { topic: 'y', partition: 0, replicas: [2, 3], leader: 2, sizeBytes: 30 },
  ],
};
const plan = (replicas: number[], topic = 'x') => ({
  version: 1 as const,
  partitions: [{ topic, partition: 0, replicas }],
});

describe('hard constraints (the oracle every plan goes through)', () => {
  it.each<[string, number[], string, InvariantContext?]>([
    ['replication factor changed', [1, 2], 'replication-factor'],
    ['a broker twice', [1, 2, 2], 'duplicate-broker'],
    ['rack diversity reduced (c replaced by a)', [1, 2, 4], 'rack-diversity'],
    ['an unknown broker', [1, 2, 9], 'unknown-broker'],
    ['a removed broker keeps a replica', [4, 2, 3], 'removed-broker-not-empty', { removeBrokers: [2] }],
    ['a topic outside the filter changes', [4, 2, 3], 'topic-filter', { topics: ['y'] }],
    ['a broker pushed over its max utilisation', [4, 2, 3], 'capacity', { maxUtilisation: 0.2 }],
  ])('%s', (_name, replicas, kind, ctx) => {
    expect(checkPlan(snap, plan(replicas), ctx).map((v) => v.kind)).toContain(kind);
  });

  it('accepts a same-rack move and a reorder', () => {
    expect(checkPlan(snap, plan([4, 2, 3]))).toEqual([]);
    expect(checkPlan(snap, plan([3, 2, 1]))).toEqual([]);
  });

  it('reports partitions of the plan that the snapshot lacks', () => {
    expect(checkPlan(snap, plan([1, 2, 3], 'nope')).map((v) => v.kind)).toEqual(['unknown-partition']);
  });

  it('allows replicas on a removed broker to move even outside the topic filter', () => {
    expect(
      checkPlan(snap, plan([4, 2, 3]), { removeBrokers: [1], topics: ['y'] }).map((v) => v.kind),
    ).toEqual([]);
  });

  it('does not blame a broker that was already above its limit and received nothing', () => {
    expect(checkPlan(snap, plan([3, 2, 1]), { maxUtilisation: 0.1 })).toEqual([]);
  });

  it('counts an added broker (not in the snapshot) with the mean capacity and its given rack', () => {
    expect(checkPlan(snap, plan([1, 2, 7]), { addBrokers: [{ id: 7, rack: 'c' }] })).toEqual([]);
    expect(
      checkPlan(snap, plan([1, 2, 7]), { addBrokers: [{ id: 7, rack: 'a' }] }).map((v) => v.kind),
    ).toEqual(['rack-diversity']);
  });

  it('no rack anywhere means no rack constraint', () => {
    const bare = { ...snap, brokers: snap.brokers.map(({ rack: _r, ...b }) => b) };
    expect(checkPlan(bare, plan([1, 2, 4]))).toEqual([]);
  });
});
