import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../src/domain/snapshot.js';
import { checkPlan } from '../../src/rebalancer/invariants.js';
import type { PlanOptions } from '../../src/rebalancer/options.js';
import { toReassignment } from '../../src/rebalancer/plan.js';
import { type PlannerResult, planRebalance } from '../../src/rebalancer/planner.js';
import { snapshotArb } from './arbitraries.js';

const RUNS = { numRuns: 300, seed: 20261207 };
const MAX_UTIL = 0.9;

/**
 * Rack figures of a finished plan, computed here from the snapshot and the changes only (not
 * from the planner's model): racks per partition before and after, and the moved partitions that
 * stay short of racks although some remaining broker in a missing rack had room for a copy.
 */
function rackAudit(snap: ClusterSnapshot, r: PlannerResult, removed: number[] = []) {
  const rack = new Map(snap.brokers.map((b) => [b.id, b.rack]));
  const cap = new Map(snap.brokers.map((b) => [b.id, b.capacityBytes]));
  const gone = new Set(removed);
  const remaining = snap.brokers.filter((b) => !gone.has(b.id));
  const racks = new Set(remaining.map((b) => b.rack).filter((x) => x !== undefined)).size;
  const target = new Map(r.changes.map((c) => [`${c.topic}-${c.partition}`, c.target]));
  const load = new Map<number, number>();
  const finals = snap.partitions.map((p) => {
    const to = target.get(`${p.topic}-${p.partition}`) ?? p.replicas;
    for (const b of to) load.set(b, (load.get(b) ?? 0) + p.sizeBytes);
    return { p, to };
  });
  const racksOf = (rs: number[]) => new Set(rs.map((b) => rack.get(b)).filter((x) => x !== undefined));
  let reduced = 0;
  let movedShortFixable = 0;
  let short = 0;
  let missing = 0;
  for (const { p, to } of finals) {
    if (racksOf(to).size < racksOf(p.replicas).size) reduced++;
    if (racks === 0 || racksOf(p.replicas).size === 0) continue;
    const want = Math.min(p.replicas.length, racks);
    missing += Math.max(0, want - racksOf(p.replicas).size) * p.sizeBytes;
    const have = racksOf(to);
    if (have.size >= want) continue;
    short++;
    if (!to.some((b) => !p.replicas.includes(b))) continue;
    const room = remaining.some((d) => {
      if (d.rack === undefined || have.has(d.rack) || to.includes(d.id)) return false;
      const c = cap.get(d.id);
      return c === undefined || (load.get(d.id) ?? 0) + p.sizeBytes <= MAX_UTIL * c;
    });
    if (room) movedShortFixable++;
  }
  return { reduced, movedShortFixable, short, missingBytes: missing };
}

const rackReport = (r: PlannerResult) => r.goalReports.find((g) => g.goal === 'rack diversity')!;

describe('rack repair', () => {
  it.each<[string, Partial<PlanOptions>]>([
    ['a full rebalance', {}],
    ['a full rebalance with leader and count bands of their own', { leaderSpread: 1.05, countSpread: 1.2 }],
  ])(
    '%s: racks never reduced, and every moved partition ends rack-diverse when a broker has room',
    (_, o) => {
      fc.assert(
        fc.property(snapshotArb, fc.integer({ min: 0, max: 1000 }), (snap, seed) => {
          const r = planRebalance(snap, { ...o, seed });
          const audit = rackAudit(snap, r);
          expect(audit.reduced).toBe(0);
          expect(audit.movedShortFixable).toBe(0);
          if (audit.short === 0 || !r.changes.some((c) => c.adding.length)) return;
          expect(rackReport(r).met).toBe(true);
        }),
        RUNS,
      );
    },
  );

  it('after --remove-broker, the drained partitions end rack-diverse too (the copy is made anyway)', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer({ min: 1, max: 20 }), (snap, pick) => {
        const id = snap.brokers[(pick - 1) % snap.brokers.length]!.id;
        let r: PlannerResult;
        try {
          r = planRebalance(snap, { removeBrokers: [id] });
        } catch (e) {
          expect((e as { code?: string }).code).toBe('PLAN_INFEASIBLE');
          return;
        }
        const audit = rackAudit(snap, r, [id]);
        expect(audit.reduced).toBe(0);
        expect(audit.movedShortFixable).toBe(0);
      }),
      RUNS,
    );
  });

  it.each<[string, Partial<PlanOptions>, 'equal' | 'at most']>([
    // Bands so wide that no balance goal moves anything: what moves is the repair alone.
    ['alone', { maxSpread: 1.99, countSpread: 1.99, leaderSpread: 1.99 }, 'equal'],
    // Balance moves may carry a repaired replica on, or home again: never more than the repair.
    ['with the balance goals', {}, 'at most'],
  ])(
    '--repair-racks %s fixes every partition with one copy per missing rack, and reports those bytes',
    (_, o, cmp) => {
      fc.assert(
        fc.property(snapshotArb, (snap) => {
          const r = planRebalance(snap, { ...o, repairRacks: true });
          const audit = rackAudit(snap, r);
          expect(audit.reduced).toBe(0);
          expect(checkPlan(snap, toReassignment(r.changes), { maxUtilisation: MAX_UTIL })).toEqual([]);
          if (audit.short > 0) return; // capacity won somewhere: the report says so (next test)
          const report = rackReport(r);
          expect(report.after).toBe(0);
          expect(report.met).toBe(true);
          if (cmp === 'equal') expect(report.bytes).toBe(audit.missingBytes);
          else expect(report.bytes).toBeLessThanOrEqual(audit.missingBytes);
        }),
        RUNS,
      );
    },
  );

  it('--repair-racks on a cluster with no room in the missing rack reports what capacity left short', () => {
    const snap: ClusterSnapshot = {
      version: 1,
      cluster: 'full-rack',
      capturedAt: '2026-12-07T00:00:00Z',
      brokers: [
        { id: 1, rack: 'a', capacityBytes: 1000 },
        { id: 2, rack: 'a', capacityBytes: 1000 },
        { id: 3, rack: 'b', capacityBytes: 1000 },
      ],
      partitions: [
        { topic: 't', partition: 0, replicas: [1, 2], leader: 1, sizeBytes: 500 },
        { topic: 't', partition: 1, replicas: [3], leader: 3, sizeBytes: 880 },
      ],
    };
    const r = planRebalance(snap, { repairRacks: true });
    const report = rackReport(r);
    expect(report).toMatchObject({ before: 1, after: 1, met: false, bytes: 0 });
    expect(report.conflict).toContain('capacity won');
  });

  it('a rack-short partition moved for disk balance goes to the missing rack, at no extra copy', () => {
    // Broker 1 is full of t-0 copies short of rack c; brokers 3 (rack b) and 4 (rack c) are empty.
    const snap: ClusterSnapshot = {
      version: 1,
      cluster: 'short',
      capturedAt: '2026-12-07T00:00:00Z',
      brokers: [
        { id: 1, rack: 'a' },
        { id: 2, rack: 'b' },
        { id: 3, rack: 'b' },
        { id: 4, rack: 'c' },
      ],
      partitions: Array.from({ length: 8 }, (_, i) => ({
        topic: 't',
        partition: i,
        replicas: i % 2 ? [1, 2] : [2, 1],
        leader: i % 2 ? 1 : 2,
        sizeBytes: 100,
      })).concat([{ topic: 'u', partition: 0, replicas: [1, 2, 3], leader: 1, sizeBytes: 100 }]),
    };
    const r = planRebalance(snap);
    const moved = r.changes.filter((c) => c.adding.length > 0);
    expect(moved.length).toBeGreaterThan(0);
    const u = r.changes.find((c) => c.topic === 'u');
    if (u?.adding.length) expect(u.adding).toEqual([4]);
    const audit = rackAudit(snap, r);
    expect(audit.movedShortFixable).toBe(0);
    expect(rackReport(r).bytes).toBe(0);
  });
});
