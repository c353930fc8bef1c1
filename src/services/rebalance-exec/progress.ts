/**
 * Progress of an execution (pure). The executor observes each move through
 * ListPartitionReassignments (is it ongoing, with which target) and Metadata (live replicas, ISR),
 * and the bytes copied so far through the new replicas' log sizes (DescribeLogDirs on the
 * destinations). This file turns those observations into a move status, the figures the live view
 * shows (per batch and overall: partitions done / in flight, bytes moved, rate, ETA) and a stall
 * verdict when nothing advanced for a while.
 */
import type { OngoingReassignment } from '../../probes/kafka-admin/port.js';
import type { ExecMove, ExecutionState } from './execution-state.js';

/** What the cluster says about one move. */
export type MoveObservation =
  | { kind: 'done' }
  | { kind: 'in-flight'; caughtUp: boolean }
  | { kind: 'not-started' }
  /** Kafka finished (no longer ongoing) but this broker's metadata still lists the old replicas. */
  | { kind: 'settling' }
  | { kind: 'diverged'; detail: string };

const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * Classifies one move: ongoing towards our target → in flight (caught up when every adding replica
 * is in the ISR); live replicas equal to the target → done; equal to the move's source and not
 * ongoing → not started (the request never reached Kafka, or Kafka reverted it); anything else →
 * diverged (someone else moved it).
 */
export function observeMove(
  move: Pick<ExecMove, 'from' | 'replicas' | 'adding'>,
  live: { replicas: number[]; isr: number[] } | undefined,
  ongoing: OngoingReassignment | undefined,
): MoveObservation {
  if (ongoing) {
    const target = ongoing.replicas.filter((b) => !ongoing.removingReplicas.includes(b));
    if (sameSet(target, move.replicas))
      return { kind: 'in-flight', caughtUp: move.adding.every((b) => live?.isr.includes(b) ?? false) };
    return {
      kind: 'diverged',
      detail: `a reassignment to [${target.join(',')}] is in progress, not ours to [${move.replicas.join(',')}]`,
    };
  }
  if (!live) return { kind: 'diverged', detail: 'the partition no longer exists' };
  if (same(live.replicas, move.replicas)) return { kind: 'done' };
  if (same(live.replicas, move.from)) return { kind: 'not-started' };
  // The same replica set in another order: the data is where we wanted it; verify fixes the order.
  if (sameSet(live.replicas, move.replicas) && move.adding.length > 0) return { kind: 'done' };
  // Seen on Kafka 3.9: ListPartitionReassignments (the controller) no longer lists a finished move
  // while a broker's metadata still shows the union of old and new replicas for a moment.
  if (
    move.replicas.every((b) => live.replicas.includes(b)) &&
    live.replicas.every((b) => move.replicas.includes(b) || move.from.includes(b))
  )
    return { kind: 'settling' };
  return {
    kind: 'diverged',
    detail: `now on [${live.replicas.join(',')}], expected [${move.from.join(',')}] or [${move.replicas.join(',')}]`,
  };
}

/** The figures of the live view. */
export interface ProgressFigures {
  batch: number;
  batches: number;
  partitionsTotal: number;
  partitionsDone: number;
  partitionsInFlight: number;
  /** Of the in-flight moves, those whose new replicas are all in the ISR. */
  partitionsCaughtUp: number;
  bytesTotal: number;
  /** Estimate: bytes of completed moves plus the new replicas' log sizes of in-flight ones. */
  bytesMoved: number;
  batchBytesTotal: number;
  batchBytesMoved: number;
  rateBytesPerSec: number | null;
  etaMs: number | null;
  /** The replication throttle of the execution (null: unthrottled). */
  throttleBytesPerSec?: number | null;
  /** The current batch's moves (at most CURRENT_SHOWN; in flight first), for the live view. */
  current?: MoveProgress[];
}

/** One move of the current batch as the live view shows it. */
export interface MoveProgress {
  partition: string;
  status: ExecMove['status'];
  bytes: number;
  moved: number;
  /** The new replicas are in the ISR (the move only waits for Kafka to finish it). */
  caughtUp: boolean;
}

/** Moves of the current batch listed in the figures: a 1,250-move batch would flood a terminal. */
export const CURRENT_SHOWN = 12;

const key = (m: { topic: string; partition: number }) => `${m.topic}-${m.partition}`;

/**
 * Figures for a state. `copied` holds, per in-flight move (`topic-partition`), the bytes its new
 * replicas hold so far (their log sizes, summed); `caughtUp` the in-flight moves whose new
 * replicas are in the ISR.
 */
export function progressFigures(
  s: ExecutionState,
  copied: ReadonlyMap<string, number>,
  caughtUp: ReadonlySet<string>,
  rateBytesPerSec: number | null,
): ProgressFigures {
  let bytesTotal = 0;
  let bytesMoved = 0;
  let done = 0;
  let inFlight = 0;
  let cu = 0;
  const moved = (m: ExecMove) =>
    m.status === 'done' ? m.bytes : m.status === 'in-flight' ? Math.min(m.bytes, copied.get(key(m)) ?? 0) : 0;
  // A partition split into steps counts once: done when its last step is done.
  const partitions = new Map<string, { done: boolean; inFlight: boolean }>();
  for (const b of s.batches) {
    for (const m of b.moves) {
      bytesTotal += m.bytes;
      bytesMoved += moved(m);
      const p = partitions.get(key(m)) ?? { done: true, inFlight: false };
      p.done &&= m.status === 'done';
      p.inFlight ||= m.status === 'in-flight';
      partitions.set(key(m), p);
      if (m.status === 'in-flight' && caughtUp.has(key(m))) cu++;
    }
  }
  for (const p of partitions.values()) {
    if (p.done) done++;
    else if (p.inFlight) inFlight++;
  }
  const cur = s.batches[s.currentBatch];
  const batchBytesTotal = cur ? cur.bytes : 0;
  const batchBytesMoved = cur ? cur.moves.reduce((t, m) => t + moved(m), 0) : 0;
  const remaining = Math.max(0, bytesTotal - bytesMoved);
  const etaMs =
    remaining === 0
      ? 0
      : rateBytesPerSec && rateBytesPerSec > 0
        ? (remaining / rateBytesPerSec) * 1000
        : null;
  const rank = { 'in-flight': 0, pending: 1, done: 2 } as const;
  const current = (cur?.moves ?? [])
    .map((m) => ({
      partition: key(m),
      status: m.status,
      bytes: m.bytes,
      moved: moved(m),
      caughtUp: m.status === 'in-flight' && caughtUp.has(key(m)),
    }))
    .sort((x, y) => rank[x.status] - rank[y.status] || y.bytes - x.bytes)
    .slice(0, CURRENT_SHOWN);
  return {
    throttleBytesPerSec: s.throttles.rateBytesPerSec,
    current,
    batch: Math.min(s.currentBatch + 1, s.batches.length),
    batches: s.batches.length,
    partitionsTotal: partitions.size,
    partitionsDone: done,
    partitionsInFlight: inFlight,
    partitionsCaughtUp: cu,
    bytesTotal,
    bytesMoved,
    batchBytesTotal,
    batchBytesMoved,
    rateBytesPerSec,
    etaMs,
  };
}

/**
 * Observed copy rate and stall detection over samples of (time, bytes moved, moves completed).
 * The rate is measured over a sliding window; a stall is declared when neither bytes nor
 * completions advanced for `stallMs`.
 */
export class ProgressTracker {
  private samples: Array<{ t: number; bytes: number }> = [];
  private lastAdvance: number | undefined;
  private lastBytes = -1;
  private lastDone = -1;

  constructor(
    private readonly windowMs = 30_000,
    readonly stallMs = 60_000,
  ) {}

  /** Starts the stall clock (before the first sample, in case no observation ever succeeds). */
  begin(t: number): void {
    this.lastAdvance ??= t;
  }

  /** Records a sample; returns the rate (bytes/s) over the window, null until two samples exist. */
  record(t: number, bytesMoved: number, movesDone: number): number | null {
    if (
      this.lastAdvance === undefined ||
      (this.lastBytes >= 0 && (bytesMoved > this.lastBytes || movesDone > this.lastDone))
    )
      this.lastAdvance = t;
    this.lastBytes = Math.max(this.lastBytes, bytesMoved);
    this.lastDone = Math.max(this.lastDone, movesDone);
    this.samples.push({ t, bytes: bytesMoved });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    if (this.samples.length < 2 || t <= first.t) return null;
    return Math.max(0, ((bytesMoved - first.bytes) / (t - first.t)) * 1000);
  }

  /** How long nothing has advanced (0 when something did at the last sample). */
  stalledFor(t: number): number {
    return this.lastAdvance === undefined ? 0 : t - this.lastAdvance;
  }

  /** Whether the execution counts as stalled at `t` (threshold inclusive). */
  isStalled(t: number): boolean {
    return this.stalledFor(t) >= this.stallMs;
  }
}
