import { type Model, slotOf } from './model.js';
import { rackCount, rackTarget } from './racks.js';

/**
 * The hard constraints as seen by a single move (invariants.ts checks whole plans): the partition
 * may change (topic filter; replicas on removed brokers always may), the destination is not
 * removed and not already a replica (no broker twice in a partition), and racks: a move never
 * lowers a partition's distinct racks (so a rack repair is never undone). Draining a removed
 * broker only has to keep the snapshot's racks (its rack may leave with it).
 */
export function canMove(m: Model, p: number, from: number, to: number): boolean {
  if (to === from || m.removed[to] === 1) return false;
  if (m.movable[p] === 0 && m.removed[from] === 0) return false;
  if (slotOf(m, p, to) >= 0) return false;
  const r0 = m.rack0[p]!;
  if (r0 === 0) return true;
  const after = rackCount(m, p, from, to);
  if (m.removed[from] === 1) return after >= r0;
  return after >= Math.max(r0, m.rackNow[p]!);
}

/** Capacity: a move never takes a broker above maxUtilisation × capacity. */
export function fitsCapacity(m: Model, to: number, bytes: number): boolean {
  return m.load[to]! + bytes <= m.limit[to]!;
}

/**
 * Whether moving p's replica from `from` to `to` leaves p short of racks (fewer than
 * min(replicas, racks)) although the plan now moves it. Balance goals avoid such moves (a partition
 * the plan moves anyway should end rack-diverse at no extra copy) and, once the rack repair has
 * run, refuse them (GoalContext.rackStrict).
 */
export function leavesRackShort(m: Model, p: number, from: number, to: number): boolean {
  const target = rackTarget(m, p);
  return m.rackNow[p]! < target && rackCount(m, p, from, to) < target;
}
