import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLogDirTargets } from '../../src/domain/reassignment-log-dirs.js';
import type { ClusterSnapshot } from '../../src/domain/snapshot.js';
import { applyReassignment } from '../../src/rebalancer/plan.js';
import { planAndReport } from '../../src/rebalancer/report.js';
import { snapshotArb } from './arbitraries.js';

const RUNS = { numRuns: 150, seed: 20261207 };

/** The random clusters of the planner's property tests, with 2–4 log dirs per broker and skewed replica dirs. */
const jbodArb: fc.Arbitrary<ClusterSnapshot> = fc
  .tuple(snapshotArb, fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 2 ** 30 }))
  .map(([s, n, seed]) => {
    const dirs = Array.from({ length: n }, (_, i) => `/data/d${i}`);
    let x = seed;
    const next = () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31;
    };
    return {
      ...s,
      brokers: s.brokers.map((b) => ({ ...b, logDirs: dirs.map((path) => ({ path })) })),
      // Skewed: the first dir takes about two thirds.
      partitions: s.partitions.map((p) => ({
        ...p,
        logDirs: p.replicas.map(() => (next() < 0.66 ? dirs[0]! : dirs[1 + Math.floor(next() * (n - 1))]!)),
      })),
    };
  });

describe('intra-broker balance: properties on random JBOD clusters', () => {
  it('names only dirs of the replica’s broker, keeps every broker’s bytes, and moves at least the lower bound', () => {
    fc.assert(
      fc.property(jbodArb, (s) => {
        const { plan, report } = planAndReport(s);
        const dirsOf = new Map(s.brokers.map((b) => [b.id, b.logDirs!.map((d) => d.path)]));
        expect(() => checkLogDirTargets(plan, (b) => dirsOf.get(b), 'plan', true)).not.toThrow();
        const r = report.logDirs;
        expect(r.movedBytes).toBeGreaterThanOrEqual(r.lowerBoundBytes);
        for (const b of report.brokers) {
          const after = r.dirs.filter((d) => d.broker === b.id).reduce((t, d) => t + d.bytesAfter, 0);
          expect(after).toBe(b.bytesAfter);
        }
      }),
      RUNS,
    );
  });

  it('with --topics, moves between dirs only replicas of those topics', () => {
    fc.assert(
      fc.property(jbodArb, (s) => {
        const only = s.partitions[0]!.topic;
        const { report } = planAndReport(s, { plan: { topics: [only] } });
        for (const m of report.moves)
          for (const r of m.reasons) if (r.startsWith('log dir on ')) expect(m.topic, r).toBe(only);
      }),
      RUNS,
    );
  });

  it('re-planning the planned cluster moves nothing between dirs', () => {
    fc.assert(
      fc.property(jbodArb, (s) => {
        const first = planAndReport(s);
        const again = planAndReport(applyReassignment(s, first.plan));
        if (again.report.figures.replicaMoves === 0) expect(again.report.logDirs.moves).toBe(0);
      }),
      RUNS,
    );
  });
});
