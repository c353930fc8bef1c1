import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../src/domain/snapshot.js';
import { checkPlan } from '../../src/rebalancer/invariants.js';
import type { PlanOptions } from '../../src/rebalancer/options.js';
import { applyReassignment, formatReassignment } from '../../src/rebalancer/plan.js';
import { planAndReport } from '../../src/rebalancer/report.js';
import { clusterFixturesDir } from '../peers/sandbox/shared-dir.js';

/**
 * Golden plans for the shared fixture clusters: the plan file and its figures are pinned, so any
 * change in what the planner does shows up as a reviewable diff. Regenerate deliberately with
 * `UPDATE_GOLDEN=1 npx vitest run test/rebalancer/golden.test.ts` and review the diff.
 */
const FIXTURES = clusterFixturesDir();
const GOLDEN = join(import.meta.dirname, '../fixtures/golden-plans');

const cases: {
  name: string;
  fixture: string;
  options: Partial<PlanOptions>;
  maxRatio: number;
  /** Whether the disk band is reachable once every moved partition must end rack-diverse. */
  diskBand?: false;
}[] = [
  // 28 moves on 6 brokers: the plan stops at the band's edge (1.0299) and moves 1.07 TB, less than
  // the 1.11 TB of a plan reaching 1.008; LB is taken at the achieved band, so the ratio reads 1.058.
  { name: 'small-6-brokers', fixture: 'small-6-brokers.json', options: {}, maxRatio: 1.06 },
  { name: 'drifted-12-brokers', fixture: 'drifted-12-brokers.json', options: {}, maxRatio: 1.15 },
  {
    name: 'scaleout-3-to-6-add-4-5-6',
    fixture: 'scaleout-3-to-6.json',
    options: { addBrokers: [{ id: 4 }, { id: 5 }, { id: 6 }] },
    maxRatio: 1.0 + 1e-9,
  },
  // Broker 5 leaves az2 with 3 brokers, and every partition the plan moves must keep (or gain)
  // an az2 replica to end rack-diverse: az2 cannot shed down to the band (1.057), and the report
  // says that rack diversity won. It repairs 942 partitions (1,632 were rack-short).
  {
    name: 'drifted-12-brokers-remove-5',
    fixture: 'drifted-12-brokers.json',
    options: { removeBrokers: [5] },
    maxRatio: 1.2,
    diskBand: false,
  },
];

describe.each(cases)('golden plan: $name', ({ name, fixture, options, maxRatio, diskBand }) => {
  const snap = readSnapshotFile(join(FIXTURES, fixture));
  const { report, plan } = planAndReport(snap, { plan: options, throttleBytesPerSec: 50e6 });
  const { batches, moves, ...pinned } = report;
  const planText = formatReassignment(plan);
  const figuresText = `${JSON.stringify(pinned, null, 1)}\n`;
  const planFile = join(GOLDEN, `${name}.plan.json`);
  const figuresFile = join(GOLDEN, `${name}.figures.json`);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(planFile, planText);
    writeFileSync(figuresFile, figuresText);
  }

  it('matches the pinned plan file', () => {
    expect(planText).toBe(readFileSync(planFile, 'utf8'));
  });

  it('matches the pinned figures', () => {
    expect(JSON.parse(figuresText)).toEqual(JSON.parse(readFileSync(figuresFile, 'utf8')));
  });

  it('re-planning the planned cluster (same options) moves nothing', () => {
    const again = planAndReport(applyReassignment(snap, plan), { plan: options });
    expect(again.plan.partitions).toEqual([]);
  });

  it('satisfies the hard constraints, reaches the disk band (or names the goal that won) and stays close to the lower bound', () => {
    expect(checkPlan(snap, plan, { ...options, maxUtilisation: 0.9 })).toEqual([]);
    if (diskBand === false) {
      expect(report.goals.disk).toBe(false);
      expect(report.goalReports.find((g) => g.goal === 'disk')?.conflict).toMatch(/rack diversity .*won/);
      expect(report.goalReports.find((g) => g.goal === 'rack diversity')?.met).toBe(true);
    } else {
      expect(report.goals.disk).toBe(true);
      expect(report.figures.utilisationSpread.after).toBeLessThanOrEqual(1.03 + 1e-12);
    }
    expect(report.figures.movedOverLowerBound).toBeGreaterThanOrEqual(1 - 1e-12);
    expect(report.figures.movedOverLowerBound).toBeLessThanOrEqual(maxRatio);
  });
});
