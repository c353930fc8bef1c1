import { describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../src/domain/snapshot.js';
import { type Batch, planBatches, racks, stepsFor } from '../../src/rebalancer/batching.js';
import { type PartitionChange, planRebalance } from '../../src/rebalancer/planner.js';
import { clusterFixturesDir } from '../peers/sandbox/shared-dir.js';

const FIXTURES = clusterFixturesDir();

function change(
  partition: number,
  current: number[],
  target: number[],
  sizeBytes = 100,
  topic = 't',
): PartitionChange {
  return {
    topic,
    partition,
    current,
    target,
    sizeBytes,
    adding: target.filter((b) => !current.includes(b)),
    removing: current.filter((b) => !target.includes(b)),
  };
}
const noRack = () => undefined;

function perBrokerMax(b: Batch): number {
  const busy = new Map<number, number>();
  for (const mv of b.moves)
    for (const x of new Set([...mv.adding, ...mv.removing, mv.from[0]!])) busy.set(x, (busy.get(x) ?? 0) + 1);
  return Math.max(0, ...busy.values());
}

describe('batching caps', () => {
  it.each([
    { n: 12, perBroker: 5, cluster: 1250, sizes: [5, 5, 2] },
    { n: 12, perBroker: 1, cluster: 1250, sizes: Array(12).fill(1) },
    { n: 5, perBroker: 5, cluster: 1250, sizes: [5] },
    { n: 6, perBroker: 5, cluster: 1250, sizes: [5, 1] },
    { n: 12, perBroker: 5, cluster: 4, sizes: [4, 4, 4] },
  ])(
    '$n moves into one broker, $perBroker per broker, $cluster in the cluster → batches of $sizes',
    ({ n, perBroker, cluster, sizes }) => {
      const changes = Array.from({ length: n }, (_, i) => change(i, [100 + i], [1]));
      const batches = planBatches(changes, noRack, { maxPerBroker: perBroker, maxInCluster: cluster });
      expect(batches.map((b) => b.moves.length)).toEqual(sizes);
    },
  );

  it('never exceeds the caps on a real plan (drifted 12 brokers), and every change is in exactly one batch', () => {
    const r = planRebalance(readSnapshotFile(`${FIXTURES}/drifted-12-brokers.json`));
    const batches = planBatches(r.changes, noRack, { maxPerBroker: 3, maxInCluster: 10 });
    for (const b of batches) {
      // Leader batches copy nothing (Kafka applies a reorder at once): the per-broker cap is on copies.
      if (b.kind === 'replicas') expect(perBrokerMax(b)).toBeLessThanOrEqual(3);
      expect(b.moves.length).toBeLessThanOrEqual(10);
    }
    const seen = batches.flatMap((b) => b.moves.map((m) => `${m.topic}-${m.partition}`));
    expect(seen.sort()).toEqual(r.changes.map((c) => `${c.topic}-${c.partition}`).sort());
  });

  it('interleaves destinations round-robin and orders small-first within a broker', () => {
    const changes = [
      change(0, [9], [4], 300),
      change(1, [9], [4], 100),
      change(2, [8], [5], 200),
      change(3, [7], [6], 50),
      change(4, [8], [5], 10),
    ];
    const [first] = planBatches(changes, noRack, { maxPerBroker: 1, maxInCluster: 3, order: 'small-first' });
    expect(first!.moves.map((m) => m.partition)).toEqual([1, 4, 3]);
    const large = planBatches(changes, noRack, { maxPerBroker: 1, maxInCluster: 3, order: 'large-first' });
    expect(large[0]!.moves.map((m) => m.partition)).toEqual([0, 2, 3]);
  });

  it.each([
    {
      name: 'the destination',
      changes: [change(0, [10, 11], [10, 20]), change(1, [12, 13], [12, 20])],
      sizes: [1, 1],
    },
    {
      name: 'the source',
      changes: [change(0, [10, 9], [10, 20]), change(1, [11, 9], [11, 21])],
      sizes: [1, 1],
    },
    {
      name: 'the leader that serves the copy',
      changes: [change(0, [9, 10], [9, 20]), change(1, [9, 11], [9, 21])],
      sizes: [1, 1],
    },
    {
      name: 'nobody shared',
      changes: [change(0, [10, 11], [10, 20]), change(1, [12, 13], [12, 21])],
      sizes: [2],
    },
  ])('with 1 move per broker, two moves sharing $name go in separate batches', ({ changes, sizes }) => {
    expect(planBatches(changes, noRack, { maxPerBroker: 1 }).map((b) => b.moves.length)).toEqual(sizes);
  });

  it('puts leader-only changes in a final leaders batch', () => {
    const batches = planBatches([change(0, [1, 2], [2, 1]), change(1, [1], [3])], noRack);
    expect(batches.map((b) => [b.kind, b.moves.length, b.bytes])).toEqual([
      ['replicas', 1, 100],
      ['leaders', 1, 0],
    ]);
  });

  it('reports per-broker traffic: destinations receive, the current leader sends', () => {
    const [b] = planBatches([change(0, [1, 2, 3], [4, 2, 5], 70)], noRack);
    expect(b!.inbound).toEqual({ 4: 70, 5: 70 });
    expect(b!.outbound).toEqual({ 1: 140 });
    expect(b!.bytes).toBe(140);
  });
});

describe('one replica at a time', () => {
  const rack: Record<number, string> = { 1: 'a', 2: 'b', 3: 'c', 4: 'a', 5: 'b', 6: 'c', 7: 'd' };
  const rackOf = (b: number) => rack[b];

  it.each([
    { current: [1, 2, 3], target: [4, 5, 6] },
    { current: [1, 2, 3], target: [6, 4, 5] },
    { current: [1, 2], target: [5, 4] },
    { current: [1, 2, 3], target: [1, 5, 7] },
  ])(
    '$current → $target: k steps, RF kept, no duplicates, racks never fewer, last = target',
    ({ current, target }) => {
      const c = change(0, current, target);
      const steps = stepsFor(c, rackOf, true);
      expect(steps).toHaveLength(c.adding.length);
      let prev = current;
      steps.forEach((s, i) => {
        expect(s.from).toEqual(prev);
        expect(s.replicas).toHaveLength(current.length);
        expect(new Set(s.replicas).size).toBe(current.length);
        expect(racks(s.replicas, rackOf)).toBeGreaterThanOrEqual(racks(current, rackOf));
        expect(s.adding).toHaveLength(1);
        expect([s.step, s.steps]).toEqual([i + 1, steps.length]);
        prev = s.replicas;
      });
      expect(steps.at(-1)!.replicas).toEqual(target);
    },
  );

  it('chooses the pairing that keeps rack diversity ([1a,2b] → [5b,4a] must replace 1 by 4 first)', () => {
    const steps = stepsFor(change(0, [1, 2], [5, 4]), rackOf, true);
    expect(steps.map((s) => s.replicas)).toEqual([
      [4, 2],
      [5, 4],
    ]);
  });

  it('runs step i+1 in a later batch than step i', () => {
    const changes = [change(0, [1, 2, 3], [4, 5, 6]), change(1, [1, 2, 3], [1, 5, 6])];
    const batches = planBatches(changes, rackOf, { oneReplicaAtATime: true });
    const where = (p: number, step: number) =>
      batches.findIndex((b) => b.moves.some((m) => m.partition === p && m.step === step));
    expect(where(0, 1)).toBeLessThan(where(0, 2));
    expect(where(0, 2)).toBeLessThan(where(0, 3));
    expect(where(1, 1)).toBeLessThan(where(1, 2));
  });

  it('leaves a single step when one-replica-at-a-time is off', () => {
    expect(stepsFor(change(0, [1, 2, 3], [4, 5, 6]), rackOf, false)).toHaveLength(1);
  });
});
