import { StreamctlError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import type { ClusterSnapshot } from '../domain/snapshot.js';
import { resolveBrokerType } from './broker-type.js';
import { ReplicaIndex } from './candidates.js';
import { explainPlan } from './explain.js';
import { type AssignmentFigures, assignmentFigures, type BrokerFigures, brokerFigures } from './figures.js';
import { type GoalReport, goalReports } from './goal-report.js';
import { type Band, countBand, diskBand, leaderBand, penalty } from './goals/band.js';
import { balanceDisk, type GoalContext } from './goals/disk.js';
import { drainRemoved } from './goals/drain.js';
import { balanceLeaders } from './goals/leaders.js';
import { repairRacks } from './goals/rack-repair.js';
import { balanceCounts } from './goals/replica-count.js';
import { balanceThroughput, throughputInBand, throughputOf } from './goals/throughput.js';
import { checkPlan } from './invariants.js';
import { buildModel, GOAL, isChanged, type Model } from './model.js';
import { type PlanOptions, resolvePlanOptions } from './options.js';
import { toReassignment } from './plan.js';

/** One partition the plan changes, with everything an executor or a batcher needs. */
export interface PartitionChange {
  topic: string;
  partition: number;
  /** Replicas in the snapshot (first = preferred leader). */
  current: number[];
  /** Replicas after the plan (first = preferred leader). */
  target: number[];
  /** Size of one replica. */
  sizeBytes: number;
  /** Why: one reason per new replica ("disk: 4 → 11") and for a new preferred leader. */
  reasons?: string[];
  /** Brokers that receive a copy (destinations). */
  adding: number[];
  /** Brokers that lose their copy (sources). */
  removing: number[];
}

/** Whether each goal ended inside its band. */
export interface GoalStatus {
  disk: boolean;
  replicaCounts: boolean;
  leaders: boolean;
  /** MSK Express with CloudWatch traffic: bytes in + out per broker within --band. */
  throughput?: boolean;
}

/** What the planner returns: the changes, their figures, and anything the operator should know. */
export interface PlannerResult {
  changes: PartitionChange[];
  figures: AssignmentFigures;
  brokers: BrokerFigures[];
  goals: GoalStatus;
  /** Per goal: before, after, met, bytes spent, and which goal won where two conflict. */
  goalReports: GoalReport[];
  meanUtilisation: number;
  options: PlanOptions;
  warnings: string[];
}

/**
 * Plans a rebalance (pure: no I/O, no clock, no Math.random). Order of work: drain removed
 * brokers; then, repeated until stable, the disk goal (the only one allowed to move bytes for
 * balance) and the replica-count goal (smallest replicas, never worsening disk); then leaders by
 * reordering replicas. Light mode runs only the disk goal from hot brokers.
 */
export function planRebalance(snapshot: ClusterSnapshot, partial: Partial<PlanOptions> = {}): PlannerResult {
  const resolved = resolvePlanOptions(partial);
  const o: PlanOptions = { ...resolved, brokerType: resolveBrokerType(snapshot, resolved.brokerType) };
  const m = buildModel(snapshot, o);
  const warnings: string[] = [];
  if (o.light && !m.capacityKnown) {
    throw new StreamctlError('USAGE', '--light needs broker capacities (capacityBytes) in the snapshot', {
      exitCode: Sysexit.USAGE,
      hint: 'Capture the snapshot with `streamctl kafka snapshot` (DescribeLogDirs gives total bytes), or drop --light.',
    });
  }
  const ctx = context(m, o);
  if (o.brokerType === 'express' && o.brokerTraffic?.length)
    ctx.throughput = throughputOf(m, o.brokerTraffic, o.maxSpread);
  const counts = countBand(m, o);
  // Disk moves (and the drain) pick replica sizes that keep counts on course (not in light mode).
  if (!o.light) ctx.counts = counts;
  m.goal = GOAL.drain;
  const failed = drainRemoved(ctx);
  if (failed.length) {
    const f = failed[0]!;
    throw new StreamctlError(
      'PLAN_INFEASIBLE',
      `cannot drain broker ${m.brokerId[f.broker]}: no remaining broker can take ${m.topics[m.pTopic[f.partition]!]}-${m.pNum[f.partition]} ` +
        `without breaking rack diversity or a capacity limit (${failed.length} replica(s) in this situation)`,
      {
        exitCode: Sysexit.DATAERR,
        hint: 'Remove fewer brokers at once, add brokers in the missing racks, or raise --max-utilisation.',
      },
    );
  }
  // --repair-racks fixes every partition up front; otherwise the drained partitions (moved
  // anyway) are repaired now, and the disk goal evens out both.
  m.goal = GOAL.rackRepair;
  repairRacks(ctx, o.repairRacks);
  balanceAndRepair(ctx, counts, o.light);
  const leaders = leaderBand(m, o);
  if (!o.light) balanceLeaders(ctx, leaders);

  const goals: GoalStatus = {
    disk: inBand(m, (b) => penalty(ctx.disk, b, m.load[b]!), ctx.eps, o.light ? ctx.srcAllowed : undefined),
    replicaCounts: inBand(m, (b) => penalty(counts, b, m.count[b]!), 0),
    leaders: inBand(m, (b) => penalty(leaders, b, m.leaders[b]!), 0),
    ...(ctx.throughput ? { throughput: throughputInBand(m, ctx.throughput) } : {}),
  };
  warnings.push(...goalWarnings(m, o, goals.disk));
  const explained = explainPlan(m);
  const changes = changesOf(m, explained.reasons);
  // Every plan is checked against the hard constraints by an independent oracle before it leaves.
  const violations = checkPlan(snapshot, toReassignment(changes), o);
  if (violations.length) {
    throw new StreamctlError(
      'INTERNAL',
      `the planner produced a plan that breaks a hard constraint: ${violations[0]!.kind}: ${violations[0]!.detail}`,
      {
        exitCode: Sysexit.SOFTWARE,
        hint: 'This is a bug in streamctl; please report it with the snapshot.',
      },
    );
  }
  return {
    changes,
    figures: assignmentFigures(m),
    brokers: brokerFigures(m),
    goals,
    goalReports: goalReports(m, o, goals, explained.spend, ctx.throughput),
    meanUtilisation: ctx.meanUtil,
    options: o,
    warnings,
  };
}

/**
 * The disk pass runs to its fixed point; count moves can unlock disk moves, so repeat both until
 * the count pass changes nothing (at most 4 rounds, a safety net).
 */
function balanceRounds(ctx: GoalContext, counts: Band, light: boolean): void {
  for (let round = 0; round < 4; round++) {
    ctx.m.goal = GOAL.disk;
    balanceDisk(ctx, !light);
    if (light) break;
    ctx.m.goal = GOAL.count;
    const countMoves = balanceCounts(ctx, counts).moves;
    ctx.m.goal = GOAL.throughput;
    const trafficMoves = ctx.throughput ? balanceThroughput(ctx, ctx.throughput, counts) : 0;
    if (countMoves + trafficMoves === 0) break;
  }
}

/**
 * A balance move that leaves a partition rack-short is repaired on the spot (goals/disk.ts
 * moveReplica), so only partitions that found no room then are left: repair them once more and
 * balance what that moved.
 */
function balanceAndRepair(ctx: GoalContext, counts: Band, light: boolean): void {
  balanceRounds(ctx, counts, light);
  ctx.m.goal = GOAL.rackRepair;
  if (repairRacks(ctx, false).moves > 0) balanceRounds(ctx, counts, light);
}

function context(m: Model, o: PlanOptions): GoalContext & { meanUtil: number } {
  const band = diskBand(m, o);
  const anyAdded = m.added.some((x) => x === 1);
  const destAllowed = new Uint8Array(m.nB);
  const srcAllowed = new Uint8Array(m.nB);
  const ceiling = new Float64Array(m.nB).fill(Number.POSITIVE_INFINITY);
  for (let b = 0; b < m.nB; b++) {
    destAllowed[b] = m.removed[b] === 0 && (!anyAdded || m.added[b] === 1) ? 1 : 0;
    srcAllowed[b] = m.removed[b] === 0 && (!o.light || m.load[b]! > o.lightThreshold * m.cap[b]!) ? 1 : 0;
    if (o.light) ceiling[b] = o.lightThreshold * m.cap[b]!;
  }
  // Half a byte: sizes are whole bytes and doubles hold per-broker sums exactly up to 9 PB, so a
  // broker one byte outside its band still counts, and float noise in the band edges never does.
  const eps = 0.5;
  return {
    m,
    idx: new ReplicaIndex(m),
    disk: band,
    destAllowed,
    srcAllowed,
    ceiling,
    eps,
    meanUtil: band.meanUtil,
  };
}

function inBand(m: Model, pen: (b: number) => number, eps: number, only?: Uint8Array): boolean {
  for (let b = 0; b < m.nB; b++) {
    if (m.removed[b] === 1 || (only && only[b] === 0)) continue;
    if (pen(b) > eps) return false;
  }
  return true;
}

function changesOf(m: Model, reasons: Map<number, string[]>): PartitionChange[] {
  const out: PartitionChange[] = [];
  for (let p = 0; p < m.nP; p++) {
    if (!isChanged(m, p)) continue;
    const current = Array.from(m.orig.subarray(m.off[p]!, m.off[p + 1]!), (b) => m.brokerId[b]!);
    const target = Array.from(m.rep.subarray(m.off[p]!, m.off[p + 1]!), (b) => m.brokerId[b]!);
    out.push({
      topic: m.topics[m.pTopic[p]!]!,
      partition: m.pNum[p]!,
      current,
      target,
      sizeBytes: m.size[p]!,
      reasons: reasons.get(p) ?? [],
      adding: target.filter((b) => !current.includes(b)),
      removing: current.filter((b) => !target.includes(b)),
    });
  }
  return out;
}

/** What the plan could not reach: the disk band, and brokers left above the utilisation limit. */
function goalWarnings(m: Model, o: PlanOptions, diskMet: boolean): string[] {
  const out: string[] = [];
  if (!diskMet)
    out.push(`disk utilisation could not be brought within max/mean ≤ ${o.maxSpread} under the constraints`);
  for (let b = 0; b < m.nB; b++)
    if (m.load[b]! > m.limit[b]!)
      out.push(`broker ${m.brokerId[b]} stays above ${Math.round(o.maxUtilisation * 100)}% of its capacity`);
  return out;
}
