import type { ClusterSnapshot } from '../domain/snapshot.js';
import { type Batch, type BatchingOptions, planBatches, resolveBatching } from './batching.js';
import type { AssignmentFigures, BrokerFigures } from './figures.js';
import type { GoalReport } from './goal-report.js';
import { type LogDirReport, planLogDirs } from './log-dirs.js';
import { withLogDirs } from './log-dirs-plan.js';
import type { PlanOptions } from './options.js';
import { type Reassignment, toReassignment, toRollback } from './plan.js';
import { type GoalStatus, planRebalance } from './planner.js';
import { type BrokerTraffic, batchDurationMs, throttleWarnings } from './throttle.js';

/** All plan figures of docs/design.md §3. */
export interface PlanFigures extends Omit<AssignmentFigures, 'lowerBound'> {
  /** The achieved utilisation band the lower bound is computed for. */
  achievedBand: { minUtilisation: number; maxUtilisation: number };
  meanUtilisation: number;
  /** Sum of batch durations at the throttle (batches one after the other); null without a throttle. */
  estimatedDurationMs: number | null;
  /**
   * The busiest broker's total bytes in or out / throttle: no schedule can be faster; an executor
   * that starts moves as slots free approaches it. Null without a throttle.
   */
  minimumDurationMs: number | null;
  throttleBytesPerSec: number | null;
  batches: number;
}

/** A batch without its moves, for tables and --json. */
export interface BatchSummary {
  index: number;
  kind: Batch['kind'];
  moves: number;
  bytes: number;
  estimatedMs: number | null;
}

/** Everything a plan produces; written as the sidecar report next to the plan file. */
export interface PlanReport {
  cluster: string;
  capturedAt: string;
  figures: PlanFigures;
  goals: GoalStatus;
  /** Per goal: target, before, after, met, moves and bytes spent, and the conflict it lost. */
  goalReports: GoalReport[];
  warnings: string[];
  options: PlanOptions & { batching: BatchingOptions };
  brokers: BrokerFigures[];
  batchSummary: BatchSummary[];
  /** Every partition the plan changes, with the reason for each new replica, leader or log dir. */
  moves: ExplainedMove[];
  /** Intra-broker (JBOD) balance: dir utilisation before/after, dir moves and their bytes. */
  logDirs: LogDirReport;
  /** The batches for the executor, in order. */
  batches: Batch[];
}

/** A changed partition and why it changes ("disk: 4 → 11", "rack repair: 2 → 9", "leader order: 4 → 7"). */
export interface ExplainedMove {
  topic: string;
  partition: number;
  from: number[];
  to: number[];
  reasons: string[];
}

/** The report plus the two reassignment files it describes. */
export interface PlannedRebalance {
  report: PlanReport;
  plan: Reassignment;
  rollback: Reassignment;
}

/** What to plan and how to batch and time it. */
export interface PlanRequest {
  plan?: Partial<PlanOptions>;
  batching?: Partial<BatchingOptions>;
  /** Replication throttle, bytes per second. */
  throttleBytesPerSec?: number;
  /** Produce rate into the moving partitions, bytes per second (for the catch-up warning). */
  produceBytesPerSec?: number;
}

/**
 * Plans, batches and times a rebalance of a snapshot (pure). The executor consumes `plan` (or
 * `report.batches` in order); `rollback` is the current assignment of the same partitions.
 */
export function planAndReport(snapshot: ClusterSnapshot, req: PlanRequest = {}): PlannedRebalance {
  const r = planRebalance(snapshot, req.plan);
  const batching = resolveBatching(req.batching);
  const racks = new Map<number, string | undefined>();
  for (const b of r.brokers) racks.set(b.id, b.rack ?? undefined);
  const batches = planBatches(r.changes, (b) => racks.get(b), batching);
  const rate = req.throttleBytesPerSec;
  const batchSummary = batches.map((b) => ({
    index: b.index,
    kind: b.kind,
    moves: b.moves.length,
    bytes: b.bytes,
    estimatedMs: rate ? batchDurationMs(b, rate) : null,
  }));
  const { lowerBound, ...fig } = r.figures;
  const figures: PlanFigures = {
    ...fig,
    achievedBand: { minUtilisation: lowerBound.minUtilAfter, maxUtilisation: lowerBound.maxUtilAfter },
    meanUtilisation: r.meanUtilisation,
    estimatedDurationMs: rate ? batchSummary.reduce((s, b) => s + (b.estimatedMs ?? 0), 0) : null,
    minimumDurationMs: rate ? batchDurationMs(totalTraffic(batches), rate) : null,
    throttleBytesPerSec: rate ?? null,
    batches: batches.length,
  };
  // JBOD: each broker's dirs balanced after the inter-broker plan, in the same plan.
  // Express has no disk to balance (MSK manages storage); --light moves nothing but hot brokers'.
  const dirs = planLogDirs(snapshot, r.changes, {
    band: r.options.dirSpread,
    off: r.options.brokerType === 'express',
    placeOnly: r.options.light,
    ...(r.options.topics ? { topics: r.options.topics } : {}),
  });
  const files = withLogDirs(
    snapshot,
    toReassignment(r.changes),
    toRollback(r.changes),
    r.changes.map((c) => ({
      topic: c.topic,
      partition: c.partition,
      from: c.current,
      to: c.target,
      reasons: c.reasons ?? [],
    })),
    dirs,
  );
  return {
    report: {
      cluster: snapshot.cluster,
      capturedAt: snapshot.capturedAt,
      figures,
      goals: r.goals,
      goalReports: r.goalReports,
      warnings: [...r.warnings, ...dirs.report.warnings, ...throttleWarnings(rate, req.produceBytesPerSec)],
      options: { ...r.options, batching },
      brokers: r.brokers,
      batchSummary,
      moves: files.moves,
      logDirs: dirs.report,
      batches,
    },
    plan: files.plan,
    rollback: files.rollback,
  };
}

/** Per-broker bytes in and out over the whole plan. */
function totalTraffic(batches: BrokerTraffic[]): BrokerTraffic {
  const inbound: Record<number, number> = {};
  const outbound: Record<number, number> = {};
  for (const b of batches) {
    for (const [k, v] of Object.entries(b.inbound)) inbound[Number(k)] = (inbound[Number(k)] ?? 0) + v;
    for (const [k, v] of Object.entries(b.outbound)) outbound[Number(k)] = (outbound[Number(k)] ?? 0) + v;
  }
  return { inbound, outbound };
}
