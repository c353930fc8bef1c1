/**
 * What `rebalance execute | status | cancel` return with --json: a summary of the execution state
 * (never the whole state file, which lists every move), and for --dry-run the exact batches and
 * the throttle configs each would set.
 */
import type { ConfigChange } from '../probes/kafka-admin/port.js';
import type { ExecutionState, Phase } from './rebalance-exec/execution-state.js';
import { emptyThrottleRecord, throttleNeeds, throttleSetPlan } from './rebalance-exec/throttle-apply.js';

/** The execution at a glance. */
export interface ExecutionSummary {
  cluster: string;
  planFile: string;
  stateFile: string;
  id: string;
  phase: Phase;
  ending?: string;
  error?: string;
  batches: number;
  batchesDone: number;
  currentBatch: number;
  partitions: number;
  movesDone: number;
  movesInFlight: number;
  movesPending: number;
  bytesTotal: number;
  bytesDone: number;
  throttleBytesPerSec: number | null;
  /** Throttles this execution still has set (should be empty when done or cancelled). */
  throttlesSet: { brokers: string[]; topics: string[] };
  alreadyInPlace: number;
  /** JBOD: replicas with a planned log dir, and how many DescribeLogDirs showed there. */
  logDirs?: { total: number; inPlace: number; targets: NonNullable<ExecutionState['logDirs']> };
  election?: ExecutionState['election'];
  warnings: string[];
  createdAt: string;
  updatedAt: string;
}

/** Summarises a state. */
export function summarize(s: ExecutionState, stateFile: string): ExecutionSummary {
  const moves = s.batches.flatMap((b) => b.moves);
  const count = (st: string) => moves.filter((m) => m.status === st).length;
  return {
    cluster: s.cluster,
    planFile: s.planFile,
    stateFile,
    id: s.id,
    phase: s.phase,
    ...(s.ending ? { ending: s.ending } : {}),
    ...(s.error ? { error: s.error } : {}),
    batches: s.batches.length,
    batchesDone: s.batches.filter((b) => b.status === 'done').length,
    currentBatch: s.currentBatch,
    partitions: new Set(moves.map((m) => `${m.topic}-${m.partition}`)).size,
    movesDone: count('done'),
    movesInFlight: count('in-flight'),
    movesPending: count('pending'),
    bytesTotal: moves.reduce((t, m) => t + m.bytes, 0),
    bytesDone: moves.filter((m) => m.status === 'done').reduce((t, m) => t + m.bytes, 0),
    throttleBytesPerSec: s.throttles.rateBytesPerSec,
    throttlesSet: { brokers: Object.keys(s.throttles.brokers), topics: Object.keys(s.throttles.topics) },
    alreadyInPlace: s.alreadyInPlace.length,
    ...(s.logDirs?.length
      ? {
          logDirs: {
            total: s.logDirs.length,
            inPlace: s.logDirs.filter((t) => t.inPlace).length,
            targets: s.logDirs,
          },
        }
      : {}),
    ...(s.election ? { election: s.election } : {}),
    warnings: s.warnings,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** One batch as --dry-run shows it. */
export interface DryRunBatch {
  index: number;
  kind: 'replicas' | 'leaders';
  bytes: number;
  moves: Array<{
    topic: string;
    partition: number;
    from: number[];
    to: number[];
    step: number;
    steps: number;
    bytes: number;
  }>;
  /** The IncrementalAlterConfigs changes this batch would send before its moves. */
  throttleConfigs: ConfigChange[];
}

/**
 * The batches still to run and their throttle configs, as the executor would send them on a
 * cluster with no throttles of its own (existing operator throttles are left out at run time).
 */
export function dryRunBatches(s: ExecutionState): DryRunBatch[] {
  let record = emptyThrottleRecord(s.throttles.rateBytesPerSec);
  return s.batches
    .filter((b) => b.status !== 'done')
    .map((b) => {
      const pending = b.moves.filter((m) => m.status !== 'done');
      const planned =
        b.kind === 'replicas'
          ? throttleSetPlan(record, throttleNeeds(pending), [], [])
          : { record, changes: [] };
      record = { ...planned.record, topics: {} };
      return {
        index: b.index,
        kind: b.kind,
        bytes: b.bytes,
        moves: pending.map((m) => ({
          topic: m.topic,
          partition: m.partition,
          from: m.from,
          to: m.replicas,
          step: m.step,
          steps: m.steps,
          bytes: m.bytes,
        })),
        throttleConfigs: planned.changes,
      };
    });
}
