import { describe, expect, it } from 'vitest';
import { type ClusterSnapshot, readSnapshotFile } from '../../src/domain/snapshot.js';
import { checkPlan } from '../../src/rebalancer/invariants.js';
import { applyReassignment, toReassignment } from '../../src/rebalancer/plan.js';
import { planRebalance } from '../../src/rebalancer/planner.js';
import { clusterFixturesDir } from '../peers/sandbox/shared-dir.js';

const FIXTURES = clusterFixturesDir();
const drifted = readSnapshotFile(`${FIXTURES}/drifted-12-brokers.json`);
const small = readSnapshotFile(`${FIXTURES}/small-6-brokers.json`);
const scaleout = readSnapshotFile(`${FIXTURES}/scaleout-3-to-6.json`);

const bytesOn = (s: ClusterSnapshot, id: number) =>
  s.partitions.reduce((t, p) => t + (p.replicas.includes(id) ? p.sizeBytes : 0), 0);
const util = (s: ClusterSnapshot, id: number) =>
  bytesOn(s, id) / s.brokers.find((b) => b.id === id)!.capacityBytes!;

describe('remove-broker', () => {
  it.each([[5], [1], [12]])('drains broker %i completely, within the hard constraints', (id) => {
    const r = planRebalance(drifted, { removeBrokers: [id] });
    const after = applyReassignment(drifted, toReassignment(r.changes));
    expect(after.partitions.filter((p) => p.replicas.includes(id))).toEqual([]);
    expect(
      checkPlan(drifted, toReassignment(r.changes), { removeBrokers: [id], maxUtilisation: 0.9 }),
    ).toEqual([]);
    expect(r.brokers.find((b) => b.id === id)).toMatchObject({
      status: 'removed',
      bytesAfter: 0,
      replicasAfter: 0,
      leadersAfter: 0,
    });
  });

  it('refuses, naming the partition, when rack diversity makes a drain impossible', () => {
    // Three brokers in three racks, RF 3: broker 3's replicas have nowhere to go.
    const snap: ClusterSnapshot = {
      version: 1,
      cluster: 'tight',
      capturedAt: '2026-11-22T00:00:00Z',
      brokers: [1, 2, 3].map((id) => ({ id, rack: `r${id}` })),
      partitions: [{ topic: 't', partition: 0, replicas: [1, 2, 3], leader: 1, sizeBytes: 5 }],
    };
    expect(() => planRebalance(snap, { removeBrokers: [3] })).toThrow(
      expect.objectContaining({
        code: 'PLAN_INFEASIBLE',
        exitCode: 65,
        message: expect.stringContaining('cannot drain broker 3: no remaining broker can take t-0'),
      }),
    );
  });

  it('is a usage error for a broker the snapshot does not have', () => {
    expect(() => planRebalance(drifted, { removeBrokers: [99] })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('no broker 99') }),
    );
  });
});

describe('light mode', () => {
  // Before: broker 5 is at 80.0 % and broker 4 at 76.8 % of capacity; the next is broker 3 at 68.3 %.
  it.each([
    { threshold: 0.75, hot: [4, 5] },
    { threshold: 0.79, hot: [5] },
    { threshold: 0.81, hot: [] as number[] },
  ])(
    'threshold $threshold: only brokers $hot shed; nobody else loses bytes; receivers stay below it',
    ({ threshold, hot }) => {
      const r = planRebalance(drifted, { light: true, lightThreshold: threshold });
      const after = applyReassignment(drifted, toReassignment(r.changes));
      for (const c of r.changes) for (const b of c.removing) expect(hot).toContain(b);
      for (const b of drifted.brokers) {
        if (hot.includes(b.id)) expect(bytesOn(after, b.id)).toBeLessThan(bytesOn(drifted, b.id));
        else {
          expect(bytesOn(after, b.id)).toBeGreaterThanOrEqual(bytesOn(drifted, b.id));
          expect(util(after, b.id)).toBeLessThanOrEqual(threshold);
        }
      }
      expect(r.figures.leaderOnlyChanges).toBe(0);
      if (hot.length === 0) expect(r.changes).toEqual([]);
    },
  );

  it('hot brokers end within the band (max/mean ≤ 1.03)', () => {
    const r = planRebalance(drifted, { light: true, lightThreshold: 0.75 });
    for (const id of [4, 5])
      expect(r.brokers.find((b) => b.id === id)!.utilisationAfter).toBeLessThanOrEqual(
        1.03 * r.meanUtilisation + 1e-12,
      );
  });

  it('needs capacities', () => {
    const bare = { ...small, brokers: small.brokers.map(({ capacityBytes: _c, ...b }) => b) };
    expect(() => planRebalance(bare, { light: true })).toThrow(/--light needs broker capacities/);
  });
});

describe('topics filter', () => {
  it('changes only partitions of the listed topics', () => {
    const topics = ['topic-000', 'topic-003', 'topic-007'];
    const r = planRebalance(drifted, { topics });
    expect(r.changes.length).toBeGreaterThan(0);
    for (const c of r.changes) expect(topics).toContain(c.topic);
  });

  it('is a usage error when no listed topic exists', () => {
    expect(() => planRebalance(drifted, { topics: ['nope'] })).toThrow(/none of nope is in the snapshot/);
  });
});

describe('add-broker', () => {
  it('fills the empty brokers 4, 5, 6 of the scale-out snapshot; bytes go only to them', () => {
    const r = planRebalance(scaleout, { addBrokers: [{ id: 4 }, { id: 5 }, { id: 6 }] });
    for (const c of r.changes) for (const b of c.adding) expect([4, 5, 6]).toContain(b);
    expect(r.figures.utilisationSpread.after).toBeLessThanOrEqual(1.03);
    expect(r.figures.movedOverLowerBound).toBeCloseTo(1, 9);
    expect(r.goals).toEqual({ disk: true, replicaCounts: true, leaders: true });
  });

  it('fills brokers not yet in the snapshot (mean capacity, rack from id:rack), keeping rack diversity', () => {
    const added = [
      { id: 7, rack: 'az1' },
      { id: 8, rack: 'az2' },
      { id: 9, rack: 'az3' },
    ];
    const r = planRebalance(small, { addBrokers: added });
    const news = r.brokers.filter((b) => b.status === 'added');
    expect(news.map((b) => [b.id, b.rack, b.capacityBytes])).toEqual(
      added.map((a) => [a.id, a.rack, small.brokers[0]!.capacityBytes]),
    );
    for (const b of news) expect(b.bytesAfter).toBeGreaterThan(0);
    for (const c of r.changes) for (const b of c.adding) expect([7, 8, 9]).toContain(b);
    expect(checkPlan(small, toReassignment(r.changes), { addBrokers: added, maxUtilisation: 0.9 })).toEqual(
      [],
    );
  });

  it('refuses a rack that contradicts the snapshot', () => {
    expect(() => planRebalance(scaleout, { addBrokers: [{ id: 4, rack: 'az2' }] })).toThrow(
      /puts broker 4 in rack az1/,
    );
  });
});

describe('leadership by reordering', () => {
  // Three brokers, every partition on all three (disk and replica counts perfectly even), but broker
  // 1 is the preferred leader of every partition.
  const snap: ClusterSnapshot = {
    version: 1,
    cluster: 'leaders',
    capturedAt: '2026-11-22T00:00:00Z',
    brokers: [1, 2, 3].map((id) => ({ id, capacityBytes: 1e6 })),
    partitions: Array.from({ length: 30 }, (_, i) => ({
      topic: 't',
      partition: i,
      replicas: [1, 2, 3],
      leader: 1,
      sizeBytes: 1000 + i,
    })),
  };

  it('balances leaders with leader-only changes: no byte moves', () => {
    const r = planRebalance(snap);
    expect(r.figures).toMatchObject({ movedBytes: 0, replicaMoves: 0 });
    expect(r.figures.leaderOnlyChanges).toBe(r.changes.length);
    // 30 leaders on 3 brokers: 10 each is the mean; the band allows up to ceil(10 × 1.1) = 11.
    expect(r.figures.leaderSpread.before).toBe(3);
    expect(r.figures.leaderSpread.after).toBeLessThanOrEqual(1.1);
    expect(r.goals.leaders).toBe(true);
  });
});

describe('disk band boundaries (max/mean ≤ 1.03 and min/mean ≥ 0.97)', () => {
  // Two brokers, capacity 1000, RF 1; broker 1 holds a big and a small partition, broker 2 one.
  const snap = (big: number, small: number, other: number): ClusterSnapshot => ({
    version: 1,
    cluster: 'band',
    capturedAt: '2026-11-22T00:00:00Z',
    brokers: [1, 2].map((id) => ({ id, capacityBytes: 1000 })),
    partitions: [
      { topic: 't', partition: 0, replicas: [1], leader: 1, sizeBytes: big },
      { topic: 't', partition: 1, replicas: [1], leader: 1, sizeBytes: small },
      { topic: 't', partition: 2, replicas: [2], leader: 2, sizeBytes: other },
    ],
  });

  it.each([
    { name: 'at the band edge (515 / 485)', loads: [499, 16, 485], moves: 0 },
    { name: 'one byte over (516 / 484)', loads: [500, 16, 484], moves: 1 },
  ])('$name → $moves move(s)', ({ loads, moves }) => {
    const r = planRebalance(snap(loads[0]!, loads[1]!, loads[2]!));
    expect(r.figures.replicaMoves).toBe(moves);
  });

  it('--max-spread widens the band', () => {
    expect(planRebalance(snap(500, 16, 484), { maxSpread: 1.04 }).changes).toEqual([]);
  });
});

describe('broker types', () => {
  const snap = (): ClusterSnapshot => ({
    version: 1,
    cluster: 'express',
    capturedAt: '2026-12-07T00:00:00Z',
    brokers: [1, 2, 3, 4].map((id) => ({ id, rack: `r${id % 2}`, capacityBytes: 1e12 })),
    // Broker 1 holds one huge partition and many of the others: disk is skewed, counts are skewed.
    partitions: Array.from({ length: 40 }, (_, i) => ({
      topic: 't',
      partition: i,
      replicas: i < 24 ? [1, 2] : [3, 4],
      leader: i < 24 ? 1 : 3,
      sizeBytes: i === 0 ? 4e11 : 1e9,
    })),
  });

  it('express: no byte moves for disk; partitions per broker and leaders are balanced', () => {
    const r = planRebalance(snap(), { brokerType: 'express' });
    expect(r.goalReports.find((g) => g.goal === 'disk')!.target).toMatch(/MSK Express manages storage/);
    expect(r.goals.replicaCounts).toBe(true);
    expect(r.goals.leaders).toBe(true);
    expect(r.goalReports.find((g) => g.goal === 'disk')!.bytes).toBe(0);
  });

  it("the snapshot's brokerType is used, and a bad one is refused naming the field", () => {
    expect(planRebalance({ ...snap(), brokerType: 'express' } as ClusterSnapshot).options.brokerType).toBe(
      'express',
    );
    expect(() => planRebalance({ ...snap(), brokerType: 'dedicated' } as ClusterSnapshot)).toThrow(
      /brokerType is "dedicated"; expected one of self-managed, standard, express, serverless/,
    );
  });
});

describe('leaders by chains', () => {
  it('fixes leadership that no single reorder can (every co-replica of the over-led broker is full)', () => {
    // Broker 1 leads 4, broker 2 leads 2, broker 3 leads 0; the target is 2 each. Broker 1 shares
    // partitions only with broker 2 (already at 2): only the chain 1 → 2 → 3 helps.
    const part = (i: number, replicas: number[]) => ({
      topic: 't',
      partition: i,
      replicas,
      leader: replicas[0]!,
      sizeBytes: 0,
    });
    const snap: ClusterSnapshot = {
      version: 1,
      cluster: 'chains',
      capturedAt: '2026-12-07T00:00:00Z',
      brokers: [{ id: 1 }, { id: 2 }, { id: 3 }],
      partitions: [
        part(0, [1, 2]),
        part(1, [1, 2]),
        part(2, [1, 2]),
        part(3, [1, 2]),
        part(4, [2, 3]),
        part(5, [2, 3]),
      ],
    };
    const r = planRebalance(snap, { countSpread: 1.99 });
    expect(r.brokers.map((b) => b.leadersAfter)).toEqual([2, 2, 2]);
    expect(r.figures.replicaMoves).toBe(0);
    for (const c of r.changes) {
      expect([...c.target].sort()).toEqual([...c.current].sort());
      expect(c.reasons).toEqual([`leader order: ${c.current[0]} → ${c.target[0]}`]);
    }
  });
});
