import { type Model, rackCount, slotOf } from './model.js';

/**
 * The hard constraints as seen by a single move (invariants.ts checks whole plans): the partition
 * may change (topic filter; replicas on removed brokers always may), the destination is not
 * removed and not already a replica (no broker twice in a partition), and the partition keeps at
 * least as many distinct racks as it had in the snapshot.
 */
export function canMove(m: Model, p: number, from: number, to: number): boolean {
  if (to === from || m.removed[to] === 1) return false;
  if (m.movable[p] === 0 && m.removed[from] === 0) return false;
  if (slotOf(m, p, to) >= 0) return false;
  const r0 = m.rack0[p]!;
  return r0 === 0 || rackCount(m, p, from, to) >= r0;
}

/** Capacity: a move never takes a broker above maxUtilisation × capacity. */
export function fitsCapacity(m: Model, to: number, bytes: number): boolean {
  return m.load[to]! + bytes <= m.limit[to]!;
}
