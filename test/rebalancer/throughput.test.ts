import { describe, expect, it } from 'vitest';
import type { BrokerTraffic } from '../../src/rebalancer/goals/throughput.js';
import { checkPlan } from '../../src/rebalancer/invariants.js';
import { toReassignment } from '../../src/rebalancer/plan.js';
import { planRebalance } from '../../src/rebalancer/planner.js';
import { expressCluster } from './express-cluster.js';

const hot: BrokerTraffic[] = [1, 2, 3, 4, 5, 6].map((id) => ({
  id,
  bytesInPerSec: id <= 2 ? 60e6 : 10e6,
  bytesOutPerSec: id <= 2 ? 90e6 : 15e6,
}));

const report = (r: ReturnType<typeof planRebalance>, goal: string) =>
  r.goalReports.find((g) => g.goal === goal);

describe('MSK Express: the throughput goal (CloudWatch bytes in/out per broker)', () => {
  it('brings bytes in + out per broker into the band by exchanges that keep counts in band', () => {
    const snap = expressCluster();
    const r = planRebalance(snap, { brokerTraffic: hot });
    const tp = report(r, 'throughput')!;
    expect(tp.before).toBeGreaterThan(1.4);
    expect(tp).toMatchObject({ met: true, bytes: tp.moves * 1e9 });
    expect(tp.after).toBeLessThanOrEqual(1.03);
    expect(r.goals).toMatchObject({ replicaCounts: true, throughput: true });
    expect(checkPlan(snap, toReassignment(r.changes), { maxUtilisation: 0.9 })).toEqual([]);
    // Every byte copied is the throughput goal's: the busy brokers give their busiest replicas.
    for (const c of r.changes) {
      for (const x of c.reasons ?? []) expect(x).toMatch(/^(throughput|leader order): \d+ → \d+$/);
    }
    // Express has no disk goal: nothing is credited to it.
    expect(report(r, 'disk')).toMatchObject({ target: 'none: MSK Express manages storage', moves: 0 });
  });

  it('a band the counts cannot allow is reported as lost to them, with the miss', () => {
    const snap = expressCluster();
    const r = planRebalance(snap, { brokerTraffic: hot, maxSpread: 1.001 });
    const tp = report(r, 'throughput')!;
    if (!tp.met) expect(tp.conflict).toMatch(/replica counts and rack diversity won/);
  });

  it('is absent without traffic figures, and ignored on self-managed brokers', () => {
    const snap = expressCluster();
    expect(report(planRebalance(snap), 'throughput')).toBeUndefined();
    const selfManaged = planRebalance(snap, { brokerType: 'self-managed', brokerTraffic: hot });
    expect(report(selfManaged, 'throughput')).toBeUndefined();
  });

  it('brokers reporting no sizes share their traffic evenly over their replicas', () => {
    const snap = expressCluster();
    for (const p of snap.partitions) p.sizeBytes = 0;
    const r = planRebalance(snap, { brokerTraffic: hot });
    expect(report(r, 'throughput')!.after).toBeLessThan(report(r, 'throughput')!.before);
  });
});
