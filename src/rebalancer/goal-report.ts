import type { GoalSpend } from './explain.js';
import { spread } from './figures.js';
import type { Throughput } from './goals/throughput.js';
import { type Model, movedReplicas } from './model.js';
import type { PlanOptions } from './options.js';
import { rackTarget } from './racks.js';

/** One goal of the plan: its target, the figure before and after, and what it cost. */
export interface GoalReport {
  goal: 'disk' | 'replica count' | 'leaders' | 'rack diversity' | 'throughput';
  /** The target, e.g. "max/mean ≤ 1.03". */
  target: string;
  before: number;
  after: number;
  met: boolean;
  /** Replica moves (or reorders, for leaders) credited to the goal, and their bytes. */
  moves: number;
  bytes: number;
  /** When the goal is not met: which goal won the conflict, and by how much it was missed. */
  conflict?: string;
}

/**
 * Partitions spanning fewer racks than min(replicas, racks): before the plan, now, and among the
 * partitions the plan moves.
 */
export function rackViolations(m: Model): { before: number; after: number; movedAfter: number } {
  let before = 0;
  let after = 0;
  let movedAfter = 0;
  for (let p = 0; p < m.nP; p++) {
    const t = rackTarget(m, p);
    if (m.rack0[p]! < t) before++;
    if (m.rackNow[p]! < t) {
      after++;
      if (movedReplicas(m, p) > 0) movedAfter++;
    }
  }
  return { before, after, movedAfter };
}

/** Builds the per-goal report (docs/design.md §3 figures per goal, plus the spend of each goal). */
export function goalReports(
  m: Model,
  o: PlanOptions,
  met: { disk: boolean; replicaCounts: boolean; leaders: boolean; throughput?: boolean },
  spend: Record<string, GoalSpend>,
  tp?: Throughput,
): GoalReport[] {
  const all = () => true;
  const kept = (b: number) => m.removed[b] === 0;
  const ones = new Float64Array(m.nB).fill(1);
  const racks = rackViolations(m);
  const s = (g: string) => spend[g] ?? { moves: 0, bytes: 0 };
  const miss = (after: number, band: number) =>
    after > band
      ? `missed by ${((after / band - 1) * 100).toFixed(1)}%`
      : 'max/mean is within the band, but a broker stays below its lower edge';
  // In add-broker mode bytes go only to the added brokers: old brokers cannot even out between
  // themselves, whatever the other goals allow.
  const fill = o.addBrokers.length > 0 ? 'add-broker mode (bytes go only to the added brokers) and ' : '';
  const disk = { before: spread(m.load0, m.cap, all), after: spread(m.load, m.cap, kept) };
  const count = { before: spread(m.count0, m.cap, all), after: spread(m.count, m.cap, kept) };
  const lead = { before: spread(m.leaders0, ones, all), after: spread(m.leaders, ones, kept) };
  const out: GoalReport[] = [
    {
      goal: 'disk',
      target: o.brokerType === 'express' ? 'none: MSK Express manages storage' : `max/mean ≤ ${o.maxSpread}`,
      ...disk,
      met: met.disk,
      ...spendOf(s('disk'), s('drain')),
      ...(met.disk
        ? {}
        : { conflict: `${fill}rack diversity and capacity limits won: ${miss(disk.after, o.maxSpread)}` }),
    },
    {
      goal: 'replica count',
      target: `max/mean ≤ ${o.countSpread} (per unit of capacity)`,
      ...count,
      met: met.replicaCounts,
      ...spendOf(s('replica count')),
      ...(met.replicaCounts
        ? {}
        : {
            conflict: `${fill}disk won (a count move may not push disk out of its band): ${miss(count.after, o.countSpread)}`,
          }),
    },
    {
      goal: 'leaders',
      target: `max/mean ≤ ${o.leaderSpread} (whole partitions per broker)`,
      ...lead,
      met: met.leaders,
      moves: s('leader order').moves,
      bytes: 0,
      ...(met.leaders
        ? {}
        : {
            conflict: `replica placement won (leaders move only among a partition's replicas): ${miss(lead.after, o.leaderSpread)}`,
          }),
    },
    rackReport(o, racks, s('rack repair')),
  ];
  if (tp) out.push(throughputReport(m, o, tp, met.throughput === true, s('throughput')));
  return out;
}

/** MSK Express: estimated bytes in + out per broker (CloudWatch), max/mean before and after. */
function throughputReport(
  m: Model,
  o: PlanOptions,
  tp: Throughput,
  met: boolean,
  spent: GoalSpend,
): GoalReport {
  const kept = (b: number) => m.removed[b] === 0;
  const after = spread(tp.now, m.cap, kept);
  return {
    goal: 'throughput',
    target: `max/mean ≤ ${o.maxSpread} (bytes in + out per second, CloudWatch)`,
    before: spread(tp.before, m.cap, () => true),
    after,
    met,
    ...spendOf(spent),
    ...(met
      ? {}
      : {
          conflict: `replica counts and rack diversity won (a throughput move may not push counts out of their band): ${
            after > o.maxSpread
              ? `missed by ${((after / o.maxSpread - 1) * 100).toFixed(1)}%`
              : 'a broker stays below the band'
          }`,
        }),
  };
}

function spendOf(...xs: GoalSpend[]): { moves: number; bytes: number } {
  return { moves: xs.reduce((a, x) => a + x.moves, 0), bytes: xs.reduce((a, x) => a + x.bytes, 0) };
}

/** Rack diversity: partitions spanning fewer racks than min(replicas, racks), and the repair's cost. */
function rackReport(o: PlanOptions, racks: ReturnType<typeof rackViolations>, spent: GoalSpend): GoalReport {
  return {
    goal: 'rack diversity',
    target: o.repairRacks
      ? 'every partition spans min(replicas, racks)'
      : 'every moved partition spans min(replicas, racks)',
    before: racks.before,
    after: racks.after,
    met: o.repairRacks ? racks.after === 0 : racks.movedAfter === 0,
    ...spendOf(spent),
    ...(racks.after > 0 && o.repairRacks
      ? {
          conflict: `${racks.after} partition(s) have no broker with room in a missing rack (capacity won)`,
        }
      : racks.movedAfter > 0 && !o.repairRacks
        ? {
            conflict: `capacity won: ${racks.movedAfter} moved partition(s) stay rack-short, no broker in a missing rack has room`,
          }
        : {}),
  };
}
