import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/rebalancer/invariants.js';
import { applyReassignment, toReassignment } from '../../src/rebalancer/plan.js';
import { planRebalance } from '../../src/rebalancer/planner.js';
import { snapshotArb } from './arbitraries.js';

const RUNS = { numRuns: 300, seed: 20261122 };

describe('planner properties on random clusters (3–20 brokers, racks or none, RF 1–3)', () => {
  it('every plan satisfies the hard constraints (checked by the independent oracle)', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer({ min: 0, max: 1000 }), (snap, seed) => {
        const r = planRebalance(snap, { seed });
        expect(checkPlan(snap, toReassignment(r.changes), { maxUtilisation: 0.9 })).toEqual([]);
      }),
      RUNS,
    );
  });

  it('moved bytes are never below the lower bound', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const f = planRebalance(snap).figures;
        expect(f.movedBytes).toBeGreaterThanOrEqual(f.lowerBoundBytes * (1 - 1e-12) - 1);
      }),
      RUNS,
    );
  });

  it('re-planning the planned cluster moves nothing', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const first = planRebalance(snap);
        const after = applyReassignment(snap, toReassignment(first.changes));
        const second = planRebalance(after);
        expect(second.changes).toEqual([]);
      }),
      RUNS,
    );
  });

  it('the same seed gives the same plan', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer({ min: 0, max: 1000 }), (snap, seed) => {
        expect(planRebalance(snap, { seed }).changes).toEqual(planRebalance(snap, { seed }).changes);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });

  it('the plan does not depend on the order of partitions in the snapshot', () => {
    const key = (c: { topic: string; partition: number }) => `${c.topic}-${c.partition}`;
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const reversed = { ...snap, partitions: [...snap.partitions].reverse() };
        const a = planRebalance(snap).changes.sort((x, y) => key(x).localeCompare(key(y)));
        const b = planRebalance(reversed).changes.sort((x, y) => key(x).localeCompare(key(y)));
        expect(b).toEqual(a);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });

  it('a topic filter is respected and the plan still satisfies every hard constraint', () => {
    fc.assert(
      fc.property(
        snapshotArb,
        fc.subarray(['t0', 't1', 't2', 't3', 't4'], { minLength: 1 }),
        (snap, topics) => {
          fc.pre(snap.partitions.some((p) => topics.includes(p.topic)));
          const r = planRebalance(snap, { topics });
          for (const c of r.changes) expect(topics).toContain(c.topic);
          expect(checkPlan(snap, toReassignment(r.changes), { topics, maxUtilisation: 0.9 })).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('light mode only takes bytes from brokers above the threshold', () => {
    fc.assert(
      fc.property(snapshotArb, fc.double({ min: 0.05, max: 0.5, noNaN: true }), (snap, threshold) => {
        fc.pre(snap.brokers.every((b) => b.capacityBytes !== undefined));
        const r = planRebalance(snap, { light: true, lightThreshold: threshold });
        const hot = new Set(r.brokers.filter((b) => b.utilisationBefore > threshold).map((b) => b.id));
        for (const c of r.changes) for (const b of c.removing) expect(hot.has(b)).toBe(true);
        for (const b of r.brokers)
          if (!hot.has(b.id)) expect(b.utilisationAfter).toBeLessThanOrEqual(threshold + 1e-12);
        expect(checkPlan(snap, toReassignment(r.changes), { maxUtilisation: 0.9 })).toEqual([]);
      }),
      RUNS,
    );
  });

  it('a removed broker ends empty, or the plan is refused as infeasible', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer({ min: 1, max: 20 }), (snap, pick) => {
        const id = snap.brokers[(pick - 1) % snap.brokers.length]!.id;
        try {
          const r = planRebalance(snap, { removeBrokers: [id] });
          const after = applyReassignment(snap, toReassignment(r.changes));
          expect(after.partitions.filter((p) => p.replicas.includes(id))).toEqual([]);
          expect(
            checkPlan(snap, toReassignment(r.changes), { removeBrokers: [id], maxUtilisation: 0.9 }),
          ).toEqual([]);
        } catch (e) {
          expect((e as { code?: string }).code).toBe('PLAN_INFEASIBLE');
        }
      }),
      RUNS,
    );
  });
});
