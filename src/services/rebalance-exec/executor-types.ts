/**
 * The executor's vocabulary, shared by executor.ts and throttle-io.ts: the events it emits, its
 * dependencies and timing knobs, the cancel signal and a time bound for admin calls.
 */
import type { Clock } from '../../core/clock.js';
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { ConfigChange, KafkaAdminPort } from '../../probes/kafka-admin/port.js';
import type { Phase, StateStore } from './execution-state.js';
import type { ProgressFigures } from './progress.js';

/** What the executor reports while it runs (rendered live on a TTY, or as JSON lines). */
export type ExecEvent =
  | { type: 'phase'; from: Phase; to: Phase; batch: number; note?: string }
  | { type: 'throttles-set'; batch: number; changes: ConfigChange[]; logDirs?: true }
  | { type: 'submitted'; batch: number; moves: number; bytes: number }
  | { type: 'progress'; figures: ProgressFigures }
  | { type: 'stall'; batch: number; stalledMs: number; partitions: string[]; brokers: number[] }
  | { type: 'stall-over'; batch: number }
  | { type: 'batch-done'; batch: number }
  | { type: 'throttles-cleared'; changes: number }
  | { type: 'reverted'; partitions: string[] }
  | { type: 'election'; elected: number; notNeeded: number; failed: string[] }
  | { type: 'log-dirs'; inPlace: number; moving: number; total: number; futureBytes: number }
  | { type: 'warning'; message: string };

/** The executor's I/O and controls. */
export interface ExecutorDeps {
  admin: KafkaAdminPort;
  store: StateStore;
  clock: Clock;
  emit?: (e: ExecEvent) => void;
  /** Polled between observations: a `rebalance cancel` from another process. */
  cancelRequested?: () => boolean;
  /**
   * Run before every batch starts (not only at the start of the execution): throws to refuse,
   * e.g. MSK intelligent rebalancing turned ACTIVE meanwhile (services/rebalance.ts).
   */
  beforeBatch?: () => Promise<void>;
}

/** Timing knobs (defaults suit real clusters; tests shorten them). */
export interface ExecutorTuning {
  pollMs: number;
  /** No bytes copied and no move completed for this long → a stall event. */
  stallMs: number;
  /** Bound on one observation's admin calls: a SIGSTOPped broker must not hang the executor. */
  observeTimeoutMs: number;
  /** Consecutive failed observations before the execution is marked failed. */
  maxFailedPolls: number;
}

export const DEFAULT_TUNING: ExecutorTuning = {
  pollMs: 2_000,
  stallMs: 60_000,
  observeTimeoutMs: 15_000,
  maxFailedPolls: 150,
};

/** Thrown inside the executor when a cancel request is seen; turns into the cancel path. */
export class Cancelled extends Error {}

/** A promise bounded in time: a hung broker (SIGSTOP) must not hang an observation. */
export function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new StreamctlError('TEMPFAIL', `no answer within ${ms} ms`, {
            exitCode: Sysexit.TEMPFAIL,
            transient: true,
          }),
        ),
      ms,
    );
    timer.unref?.();
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
