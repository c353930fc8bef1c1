import { fitsCapacity } from '../constraints.js';
import { applyMove, GOAL, inOrig, type Model, movedReplicas } from '../model.js';
import { rackCount, rackTarget } from '../racks.js';
import type { GoalContext } from './types.js';

/** What a rack-repair pass did. */
export interface RackRepairResult {
  /** Replica moves made to add a missing rack. */
  moves: number;
  /** Partitions still spanning fewer racks than they could (no broker in a missing rack fits). */
  unfixable: number;
}

/**
 * Rack repair: a partition spanning fewer racks than min(replicas, racks) gets, for each missing
 * rack, one replica moved from a rack it has twice (or from a broker without a rack) to a broker
 * of a missing rack. That is the least movement that can fix it: one replica per missing rack.
 * The replica leaves the most utilised of the duplicated brokers and goes to the least utilised
 * broker of the missing racks (the disk goal then evens out what is left). `all` repairs every
 * partition (--repair-racks); otherwise only partitions the plan already moves.
 *
 * A replica the plan already copies is re-targeted first (its copy goes to the missing rack
 * instead): no extra bytes, and the report credits the copy to the goal that made it
 * (explain.ts), so `rack repair` is charged only for the copies it adds.
 */
export function repairRacks(ctx: GoalContext, all: boolean): RackRepairResult {
  const { m } = ctx;
  const work: number[] = [];
  for (let p = 0; p < m.nP; p++) {
    if (m.rackNow[p]! >= rackTarget(m, p)) continue;
    if (all ? m.movable[p] === 1 : movedReplicas(m, p) > 0) work.push(p);
  }
  // Largest first (they are the hardest to place); ties by the seeded key: independent of order.
  work.sort((x, y) => m.size[y]! - m.size[x]! || m.tie[x]! - m.tie[y]! || x - y);
  let moves = 0;
  let unfixable = 0;
  for (const p of work) {
    const r = repairPartition(ctx, p);
    moves += r.moves;
    unfixable += r.unfixable;
  }
  return { moves, unfixable };
}

/**
 * Repairs one partition (one replica per missing rack), credited to the rack-repair goal. Balance
 * goals call it right after a move that leaves a partition rack-short (their last resort), so a
 * partition the plan moves always ends rack-diverse when some broker has room.
 */
export function repairPartition(ctx: GoalContext, p: number): RackRepairResult {
  const { m } = ctx;
  const goal = m.goal;
  m.goal = GOAL.rackRepair;
  let moves = 0;
  let unfixable = 0;
  while (m.rackNow[p]! < rackTarget(m, p)) {
    const step = bestRepair(ctx, p);
    if (!step) {
      unfixable = 1;
      break;
    }
    applyMove(m, p, step.from, step.to);
    ctx.idx.onMove(p, step.to);
    moves++;
  }
  m.goal = goal;
  return { moves, unfixable };
}

/** The source (a duplicated-rack or rackless replica) and destination (a missing rack) of one repair. */
function bestRepair(ctx: GoalContext, p: number): { from: number; to: number } | undefined {
  const { m } = ctx;
  const util = (b: number) => m.load[b]! / m.cap[b]!;
  // A replica the plan already moves in is re-targeted first: one copy either way, no extra bytes.
  let from = -1;
  let fromNew = false;
  for (let i = m.off[p]!; i < m.off[p + 1]!; i++) {
    const b = m.rep[i]!;
    if (!redundant(m, p, b)) continue;
    const isNew = !inOrig(m, p, b);
    // Light mode: only hot brokers give bytes; outside --topics only a drained copy may move (a
    // re-target gives nothing back and changes nothing the plan did not already change).
    if (!isNew && (ctx.srcAllowed[b] === 0 || m.movable[p] === 0)) continue;
    if (from < 0 || (isNew && !fromNew) || (isNew === fromNew && util(b) > util(from))) {
      from = b;
      fromNew = isNew;
    }
  }
  if (from < 0) return undefined;
  const now = m.rackNow[p]!;
  let to = -1;
  let toPreferred = false;
  for (let d = 0; d < m.nB; d++) {
    if (m.removed[d] === 1 || m.rack[d]! < 0 || !fitsCapacity(m, d, m.size[p]!)) continue;
    if (m.load[d]! + m.size[p]! > ctx.ceiling[d]!) continue;
    if (rackCount(m, p, from, d) <= now) continue;
    const preferred = ctx.destAllowed[d] === 1;
    const better =
      to < 0 ||
      (preferred && !toPreferred) ||
      (preferred === toPreferred &&
        (m.load[d]! + m.size[p]!) / m.cap[d]! < (m.load[to]! + m.size[p]!) / m.cap[to]!);
    if (better) {
      to = d;
      toPreferred = preferred;
    }
  }
  return to < 0 ? undefined : { from, to };
}

/** Whether moving p's replica off broker b loses no rack: b has no rack or shares it with another. */
function redundant(m: Model, p: number, b: number): boolean {
  const r = m.rack[b]!;
  if (r < 0) return true;
  for (let i = m.off[p]!; i < m.off[p + 1]!; i++) {
    const c = m.rep[i]!;
    if (c !== b && m.rack[c] === r) return true;
  }
  return false;
}
