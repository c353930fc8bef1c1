import { usageError } from '../core/errors.js';
import { scheduleChains } from './batch-schedule.js';
import type { BatchingOptions, BatchMove } from './batch-types.js';

export type { BatchingOptions, BatchMove } from './batch-types.js';

import type { PartitionChange } from './planner.js';
import type { BrokerTraffic } from './throttle.js';

/**
 * Cruise Control's executor caps: 5 moves per broker, 1,250 in the cluster. Large-first by default:
 * longest work first is the classic makespan heuristic (LPT); small-first leaves the largest moves
 * for a long, poorly parallel tail (3.5x longer on the 48+12-broker scale-out benchmark).
 */
export const DEFAULT_BATCHING: BatchingOptions = {
  maxPerBroker: 5,
  maxInCluster: 1250,
  oneReplicaAtATime: false,
  order: 'large-first',
};

/**
 * A group of reassignments submitted together; the next batch starts when this one is done.
 * `replicas` batches copy data; `leaders` batches only reorder replicas (no data moves) and come
 * last, as Cruise Control runs leadership movements after replica movements.
 */
export interface Batch extends BrokerTraffic {
  index: number;
  kind: 'replicas' | 'leaders';
  moves: BatchMove[];
  bytes: number;
}

/** Validates batching options (usage errors name the flag). */
export function resolveBatching(partial: Partial<BatchingOptions> = {}): BatchingOptions {
  const o = {
    ...DEFAULT_BATCHING,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  };
  if (!(Number.isInteger(o.maxPerBroker) && o.maxPerBroker >= 1)) {
    throw usageError(`--max-moves-per-broker must be a positive integer, got ${o.maxPerBroker}`);
  }
  if (!(Number.isInteger(o.maxInCluster) && o.maxInCluster >= 1)) {
    throw usageError(`--max-moves-in-cluster must be a positive integer, got ${o.maxInCluster}`);
  }
  if (o.order !== 'small-first' && o.order !== 'large-first')
    throw usageError(`--order must be small-first or large-first`);
  return o;
}

/**
 * Cuts a plan into ordered batches: moves interleaved round-robin across destination brokers (so
 * every broker works from the start), ordered small- or large-first within each broker, packed
 * under the per-broker and cluster caps; follow-up steps of a split partition go first in the
 * next batch so partitions finish rather than linger half-moved.
 */
export function planBatches(
  changes: PartitionChange[],
  rackOf: (broker: number) => string | undefined,
  partial: Partial<BatchingOptions> = {},
): Batch[] {
  const o = resolveBatching(partial);
  const chains: BatchMove[][] = [];
  const leaderOnly: BatchMove[] = [];
  for (const c of changes) {
    const steps = stepsFor(c, rackOf, o.oneReplicaAtATime);
    if (c.adding.length === 0) leaderOnly.push(...steps);
    else chains.push(steps);
  }
  const batches: Batch[] = scheduleChains(chains, o).map((moves, i) => batchOf(i, 'replicas', moves));
  for (let i = 0; i < leaderOnly.length; i += o.maxInCluster) {
    batches.push(batchOf(batches.length, 'leaders', leaderOnly.slice(i, i + o.maxInCluster)));
  }
  return batches;
}

function batchOf(index: number, kind: Batch['kind'], moves: BatchMove[]): Batch {
  const inbound: Record<number, number> = {};
  const outbound: Record<number, number> = {};
  let bytes = 0;
  for (const mv of moves) {
    bytes += mv.bytes;
    // New replicas fetch from the partition leader: charge the current preferred leader.
    const src = mv.from[0]!;
    for (const b of mv.adding) {
      inbound[b] = (inbound[b] ?? 0) + mv.sizeBytes;
      outbound[src] = (outbound[src] ?? 0) + mv.sizeBytes;
    }
  }
  return { index, kind, moves, bytes, inbound, outbound };
}

/**
 * The steps of one partition change. With one-replica-at-a-time, a change of k replicas becomes k
 * steps, each replacing one old replica by one new one in place (so the replication factor never
 * changes), choosing an order in which no intermediate list has fewer distinct racks than the
 * current one; the last step sets the exact target order. If no such order exists (or k > 6),
 * the change stays one step.
 */
export function stepsFor(
  c: PartitionChange,
  rackOf: (b: number) => string | undefined,
  oneAtATime: boolean,
): BatchMove[] {
  const k = c.adding.length;
  const single = (): BatchMove[] => [move(c, c.current, c.target, 1, 1)];
  if (!oneAtATime || k <= 1 || k > 6) return single();
  const floor = racks(c.current, rackOf);
  for (const perm of permutations(c.adding)) {
    const lists: number[][] = [];
    let cur = c.current;
    let ok = true;
    for (let i = 0; i < k && ok; i++) {
      cur = cur.map((b) => (b === c.removing[i] ? perm[i]! : b));
      ok = racks(cur, rackOf) >= floor;
      lists.push(cur);
    }
    if (!ok) continue;
    lists[k - 1] = c.target;
    const out: BatchMove[] = [];
    let prev = c.current;
    for (let i = 0; i < k; i++) {
      out.push(move(c, prev, lists[i]!, i + 1, k));
      prev = lists[i]!;
    }
    return out;
  }
  return single();
}

function move(
  c: PartitionChange,
  from: number[],
  replicas: number[],
  step: number,
  steps: number,
): BatchMove {
  const adding = replicas.filter((b) => !from.includes(b));
  return {
    topic: c.topic,
    partition: c.partition,
    from,
    replicas,
    adding,
    removing: from.filter((b) => !replicas.includes(b)),
    sizeBytes: c.sizeBytes,
    bytes: c.sizeBytes * adding.length,
    step,
    steps,
  };
}

/** Distinct racks of a replica list (brokers without a rack do not count). */
export function racks(replicas: number[], rackOf: (b: number) => string | undefined): number {
  const s = new Set<string>();
  for (const b of replicas) {
    const r = rackOf(b);
    if (r !== undefined) s.add(r);
  }
  return s.size;
}

function* permutations(xs: number[]): Generator<number[]> {
  if (xs.length <= 1) {
    yield xs.slice();
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) yield [xs[i]!, ...p];
  }
}
