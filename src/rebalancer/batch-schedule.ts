import type { BatchingOptions, BatchMove } from './batch-types.js';

/** Queued moves a destination looks at per round before giving way to the next broker. */
const SCAN_LIMIT = 256;

/** The scheduler's fixed inputs, built once from the chains of steps. */
interface Schedule {
  o: BatchingOptions;
  /** First steps of every chain, in size order (the queue the destinations draw from). */
  queue: BatchMove[];
  /** Per destination broker (dense index): its queue positions in order, and a read head. */
  dests: { d: number; list: number[]; head: number }[];
  /** Per move: the dense brokers it occupies (destinations, sources, the leader serving it). */
  involved: Map<BatchMove, number[]>;
  /** Step i+1 of a split partition, unlocked once step i is placed. */
  nextOf: Map<BatchMove, BatchMove>;
  brokers: number;
}

/**
 * Cuts chains of steps (one chain per partition; one step unless one-replica-at-a-time) into
 * sequential batches under the per-broker and per-cluster caps: follow-up steps of split
 * partitions first, then round-robin over destination brokers (one move per broker per round,
 * each broker's moves in size order) until no broker can take another. Step i+1 of a chain always
 * lands in a later batch than step i. Returns the moves of each batch, in order.
 */
export function scheduleChains(chains: BatchMove[][], o: BatchingOptions): BatchMove[][] {
  const s = prepare(chains, o);
  const placed = new Uint8Array(s.queue.length);
  // A move refused in a batch stays refused for the rest of it (brokers only get busier).
  const refusedIn = new Int32Array(s.queue.length).fill(-1);
  const out: BatchMove[][] = [];
  let remaining = s.queue.length;
  let priority: BatchMove[] = [];
  while (remaining > 0 || priority.length > 0) {
    const batch = fill(s, out.length, priority, placed, refusedIn);
    if (batch.moves.length === 0) throw new Error('batching made no progress'); // cannot happen: caps ≥ 1
    remaining -= batch.placedFromQueue;
    out.push(batch.moves);
    priority = batch.next;
  }
  return out;
}

function prepare(chains: BatchMove[][], o: BatchingOptions): Schedule {
  const nextOf = new Map<BatchMove, BatchMove>();
  for (const ch of chains) for (let i = 0; i + 1 < ch.length; i++) nextOf.set(ch[i]!, ch[i + 1]!);
  // Dense broker indexes; per move the brokers it occupies (destinations and sources).
  const dense = new Map<number, number>();
  const idOf = (b: number) => {
    let i = dense.get(b);
    if (i === undefined) {
      i = dense.size;
      dense.set(b, i);
    }
    return i;
  };
  const involved = new Map<BatchMove, number[]>();
  for (const ch of chains)
    for (const mv of ch)
      involved.set(mv, [...new Set([...mv.adding, ...mv.removing, mv.from[0]!])].map(idOf));
  // First steps in size order, then one list per destination broker, brokers in id order.
  const sign = o.order === 'small-first' ? 1 : -1;
  const queue = chains
    .map((ch) => ch[0]!)
    .sort(
      (x, y) =>
        sign * (x.sizeBytes - y.sizeBytes) || x.topic.localeCompare(y.topic) || x.partition - y.partition,
    );
  const byDest = new Map<number, number[]>();
  queue.forEach((mv, i) => {
    for (const d of mv.adding) {
      const l = byDest.get(d) ?? [];
      l.push(i);
      byDest.set(d, l);
    }
  });
  const dests = [...byDest.keys()]
    .sort((a, b) => a - b)
    .map((d) => ({ d: idOf(d), list: byDest.get(d)!, head: 0 }));
  return { o, queue, dests, involved, nextOf, brokers: dense.size };
}

/** One batch: the waiting follow-up steps first, then the destinations' queues round-robin. */
function fill(
  s: Schedule,
  batchNo: number,
  priority: BatchMove[],
  placed: Uint8Array,
  refusedIn: Int32Array,
): { moves: BatchMove[]; next: BatchMove[]; placedFromQueue: number } {
  const { o } = s;
  const busy = new Int32Array(s.brokers);
  const moves: BatchMove[] = [];
  const unlocked: BatchMove[] = [];
  let placedFromQueue = 0;
  const tryPlace = (mv: BatchMove): boolean => {
    const inv = s.involved.get(mv)!;
    if (moves.length >= o.maxInCluster || inv.some((b) => busy[b]! >= o.maxPerBroker)) return false;
    for (const b of inv) busy[b]!++;
    moves.push(mv);
    const next = s.nextOf.get(mv);
    if (next) unlocked.push(next);
    return true;
  };
  const tryQueued = (i: number): boolean => {
    if (placed[i] === 1 || refusedIn[i] === batchNo) return false;
    if (!tryPlace(s.queue[i]!)) {
      refusedIn[i] = batchNo;
      return false;
    }
    placed[i] = 1;
    placedFromQueue++;
    return true;
  };
  // Follow-up steps of split partitions first, so partitions finish rather than linger.
  const waiting = priority.filter((mv) => !tryPlace(mv));
  for (let progress = true; progress && moves.length < o.maxInCluster; ) {
    progress = false;
    for (const q of s.dests) {
      if (busy[q.d]! >= o.maxPerBroker || moves.length >= o.maxInCluster) continue;
      while (q.head < q.list.length && placed[q.list[q.head]!] === 1) q.head++;
      for (let j = q.head; j < q.list.length && j < q.head + SCAN_LIMIT; j++) {
        if (tryQueued(q.list[j]!)) {
          progress = true;
          break;
        }
      }
    }
  }
  return { moves, next: [...waiting, ...unlocked], placedFromQueue };
}
