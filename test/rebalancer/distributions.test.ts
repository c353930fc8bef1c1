import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClusterSpec, DISTRIBUTIONS, generateCluster } from '../../bench/cluster-gen.js';
import { checkPlan } from '../../src/rebalancer/invariants.js';
import { applyReassignment, toReassignment } from '../../src/rebalancer/plan.js';
import { type PlannerResult, planRebalance } from '../../src/rebalancer/planner.js';

/**
 * The planner on the benchmark's distributions (uneven racks, RF 1–5, heterogeneous capacity, fat
 * partitions, giant topics, scale-out, decommission, many brokers with few partitions), shrunk to
 * a few hundred partitions with random seeds: the hard constraints hold on every plan, checked by
 * the independent oracle, with and without --repair-racks.
 */
const specArb: fc.Arbitrary<{ spec: ClusterSpec; repair: boolean; seed: number }> = fc.record({
  spec: fc
    .record({
      base: fc.constantFrom(...DISTRIBUTIONS),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      partitions: fc.integer({ min: 20, max: 400 }),
    })
    .map(({ base, seed, partitions }) => ({ ...base, seed, partitions, topics: Math.min(base.topics, 12) })),
  repair: fc.boolean(),
  seed: fc.integer({ min: 0, max: 100 }),
});

const RUNS = { numRuns: 120, seed: 20261207 };

/**
 * Plans, or returns undefined when a drain is refused as infeasible: shrunk to a few partitions,
 * a decommission can hold a partition larger than any remaining broker's room (the refusal names
 * it; that is the planner's contract, not a failure).
 */
function planOrRefused(
  snapshot: Parameters<typeof planRebalance>[0],
  options: Parameters<typeof planRebalance>[1] & {},
): PlannerResult | undefined {
  try {
    return planRebalance(snapshot, options);
  } catch (e) {
    if (options.removeBrokers?.length && (e as { code?: string }).code === 'PLAN_INFEASIBLE')
      return undefined;
    throw e;
  }
}

const racksOf = (rack: Map<number, string | undefined>, rs: number[]) =>
  new Set(rs.map((b) => rack.get(b)).filter((r) => r !== undefined)).size;

describe('planner invariants on the benchmark distributions', () => {
  it('RF kept, no duplicate broker, rack diversity never reduced, removed brokers empty', () => {
    fc.assert(
      fc.property(specArb, ({ spec, repair, seed }) => {
        const { snapshot, options } = generateCluster(spec);
        const r = planOrRefused(snapshot, { ...options, repairRacks: repair, seed });
        if (!r) return;
        const plan = toReassignment(r.changes);
        expect(checkPlan(snapshot, plan, { ...options, maxUtilisation: 0.9 })).toEqual([]);
        // The same facts stated directly, not only through the oracle.
        const after = applyReassignment(snapshot, plan);
        const rack = new Map(snapshot.brokers.map((b) => [b.id, b.rack as string | undefined]));
        const removed = new Set(options.removeBrokers ?? []);
        snapshot.partitions.forEach((p, i) => {
          const t = after.partitions[i]!.replicas;
          expect(t).toHaveLength(p.replicas.length);
          expect(new Set(t).size).toBe(t.length);
          expect(racksOf(rack, t)).toBeGreaterThanOrEqual(racksOf(rack, p.replicas));
          for (const b of t) expect(removed.has(b)).toBe(false);
        });
      }),
      RUNS,
    );
  });

  it('--repair-racks leaves no partition rack-short unless the report names it as capacity-bound', () => {
    fc.assert(
      fc.property(specArb, ({ spec, seed }) => {
        const { snapshot, options } = generateCluster(spec);
        const r = planOrRefused(snapshot, { ...options, repairRacks: true, seed });
        if (!r) return;
        const racks = r.goalReports.find((g) => g.goal === 'rack diversity')!;
        if (racks.after > 0) expect(racks.conflict).toMatch(/capacity won/);
        else expect(racks.met).toBe(true);
        expect(racks.after).toBeLessThanOrEqual(racks.before);
      }),
      { ...RUNS, numRuns: 60 },
    );
  });

  it('every new replica and every new preferred leader carries a reason', () => {
    fc.assert(
      fc.property(specArb, ({ spec, repair, seed }) => {
        const { snapshot, options } = generateCluster(spec);
        const r = planOrRefused(snapshot, { ...options, repairRacks: repair, seed });
        if (!r) return;
        for (const c of r.changes) {
          const reasons = c.reasons ?? [];
          expect(reasons.length).toBeGreaterThanOrEqual(c.adding.length);
          for (const x of reasons)
            expect(x).toMatch(/^(drain|rack repair|disk|replica count|leader order): \d+ → \d+$/);
          if (c.adding.length === 0) expect(reasons.some((x) => x.startsWith('leader order'))).toBe(true);
        }
        const spent = r.goalReports.filter((g) => g.goal !== 'leaders').reduce((s, g) => s + g.bytes, 0);
        expect(spent).toBeCloseTo(r.figures.movedBytes, -3);
      }),
      { ...RUNS, numRuns: 60 },
    );
  });

  it('re-planning the planned cluster moves nothing', () => {
    fc.assert(
      fc.property(specArb, ({ spec, seed }) => {
        const { snapshot } = generateCluster({ ...spec, emptyBrokers: 0, removeBrokers: 0 });
        const first = planRebalance(snapshot, { seed });
        const second = planRebalance(applyReassignment(snapshot, toReassignment(first.changes)), { seed });
        expect(second.changes).toEqual([]);
      }),
      { ...RUNS, numRuns: 60 },
    );
  });
});
