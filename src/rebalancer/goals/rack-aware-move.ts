import { canMove, fitsCapacity, leavesRackShort } from '../constraints.js';
import { applyMove, movedReplicas } from '../model.js';
import { rackCount, rackTarget } from '../racks.js';
import { transferDelta } from './band.js';
import { repairPartition } from './rack-repair.js';
import type { GoalContext } from './types.js';

/**
 * How balance goals keep the partitions they move rack-diverse: what a candidate costs when it
 * would stay rack-short, the move itself (repairing such a partition on the spot), and the free
 * repair of picking another receiver in a missing rack.
 */

/** A move leaving a rack-short partition short counts as this many already-moved replicas. */
const RACK_SHORT_COST = 4;

/**
 * What choosing p for a move from a to b costs the plan beyond its bytes: replicas of p the plan
 * already moves (partitions should change by one replica each), plus RACK_SHORT_COST when the
 * partition would stay rack-short (the move is then followed by its repair: another copy).
 */
export function moveCost(ctx: GoalContext, p: number, a: number, b: number): number {
  return movedReplicas(ctx.m, p) + (leavesRackShort(ctx.m, p, a, b) ? RACK_SHORT_COST : 0);
}

/**
 * Applies a balance move; one that leaves the partition rack-short (a last resort: every pass
 * looks for rack-keeping moves first) is followed by the partition's repair, so a partition the
 * plan moves ends rack-diverse whenever a broker in a missing rack has room.
 */
export function moveReplica(ctx: GoalContext, p: number, a: number, b: number): void {
  const short = leavesRackShort(ctx.m, p, a, b);
  applyMove(ctx.m, p, a, b);
  ctx.idx.onMove(p, b);
  if (short) repairPartition(ctx, p);
}

/**
 * The same move to another receiver when that one adds a rack the partition misses and b does
 * not: same bytes, and the partition ends rack-diverse for free. The other receiver must take the
 * replica as well as b (allowed, fits, lowers the disk penalty at least as much); b is then
 * filled by a later move.
 */
export function rackedDest(ctx: GoalContext, p: number, a: number, b: number): number {
  const { m } = ctx;
  const now = m.rackNow[p]!;
  if (now >= rackTarget(m, p) || rackCount(m, p, a, b) > now) return b;
  const x = m.size[p]!;
  const gain = transferDelta(ctx.disk, a, m.load[a]!, b, m.load[b]!, x);
  let best = b;
  for (let d = 0; d < m.nB; d++) {
    if (d === b || ctx.destAllowed[d] === 0 || !canMove(m, p, a, d) || rackCount(m, p, a, d) <= now) continue;
    if (!fitsCapacity(m, d, x) || m.load[d]! + x > ctx.ceiling[d]!) continue;
    if (ctx.counts && m.count[d]! >= Math.min(ctx.counts.upper[d]!, m.count[b]! + 1)) continue;
    if (transferDelta(ctx.disk, a, m.load[a]!, d, m.load[d]!, x) > gain) continue;
    if (best === b || m.load[d]! / m.cap[d]! < m.load[best]! / m.cap[best]!) best = d;
  }
  return best;
}
