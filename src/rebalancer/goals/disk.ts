import { canMove, fitsCapacity, leavesRackShort } from '../constraints.js';
import { transferDelta } from './band.js';
import { moveCost, moveReplica, rackedDest } from './rack-aware-move.js';
import type { GoalContext, PassResult } from './types.js';

export type { GoalContext, PassResult } from './types.js';

/** Candidates examined around the target size per (source, destination) pair... */
const K = 8;
/** ...and when that finds nothing for any destination (rack constraints often exclude most). */
const K_DEEP = 512;
/**
 * Passes over the counterparts of a broker to fix: candidate depth, whether a move may leave a
 * rack-short partition short, whether only counterparts outside the band on the other side are
 * tried, and whether a replica larger than the gap may be taken. Bytes go from excess straight to
 * deficit when any rack-keeping replica allows it (bytes parked on a broker inside the band are
 * moved twice in effect), then to any broker; a replica larger than the gap (every byte above it
 * overshoots) only when nothing within the gap fits at any depth (2.8M replicas: moved/LB 1.056
 * → 1.000); a move that leaves a moved partition rack-short (the rack repair must then fix it)
 * comes last.
 */
const PASSES: [number, boolean, boolean, boolean][] = [
  [K, false, true, false],
  [K_DEEP, false, true, false],
  [K, false, false, false],
  [K_DEEP, false, false, false],
  [K, false, true, true],
  [K, false, false, true],
  [K_DEEP, false, false, true],
  [K, true, false, true],
];
/** Extra candidates examined to find a partition the plan does not change yet. */
const UNTOUCHED_EXTRA = 64;
/** Destinations tried per swap attempt. */
const SWAP_DESTS = 8;

/**
 * Disk goal: brings every broker's bytes into the band [(2−s)μ·cap, sμ·cap]. Sheds from the most
 * over-utilised broker to the least utilised one that can take the replica whose size best fits
 * min(excess, room) (largest ≤ the gap by binary search, else the smallest above it), then fills
 * brokers still below the band the same way, then tries swaps for brokers no single move can fix.
 * A move is made only when it strictly lowers the total distance to the band: no byte moves
 * between brokers that are already in the band. `fill` and `swaps` are off in light mode.
 */
export function balanceDisk(ctx: GoalContext, fill: boolean, swaps = fill): PassResult {
  const { m, disk } = ctx;
  const stuck = new Uint8Array(m.nB);
  let moves = 0;
  let progress = false;
  const safety = 4 * m.nP + 1000;
  while (moves < safety) {
    const a = worst(m.nB, (b) =>
      stuck[b] || !ctx.srcAllowed[b] ? -1 : (m.load[b]! - disk.upper[b]! - ctx.eps) / m.cap[b]!,
    );
    if (a >= 0) {
      if (shedFrom(ctx, a)) {
        moves++;
        progress = true;
      } else stuck[a] = 1;
      continue;
    }
    const u = fill
      ? worst(m.nB, (b) =>
          stuck[b] || !ctx.destAllowed[b] ? -1 : (disk.lower[b]! - m.load[b]! - ctx.eps) / m.cap[b]!,
        )
      : -1;
    if (u >= 0) {
      if (fillTo(ctx, u)) {
        moves++;
        progress = true;
      } else stuck[u] = 1;
      continue;
    }
    if (!progress) {
      // A swap takes a replica from the receiver too: not in light mode, where only hot brokers give.
      if (!swaps) break;
      let swapped = false;
      for (let b = 0; b < m.nB && !swapped; b++) {
        if (stuck[b] && ctx.srcAllowed[b] && m.load[b]! > disk.upper[b]! + ctx.eps) swapped = trySwap(ctx, b);
      }
      if (!swapped) break;
      moves += 2;
    }
    stuck.fill(0);
    progress = false;
  }
  return { moves };
}

/** Index of the broker with the largest positive score, or -1 (ties: lowest index). */
export function worst(n: number, score: (b: number) => number): number {
  let best = -1;
  let bestScore = 0;
  for (let b = 0; b < n; b++) {
    const s = score(b);
    if (s > bestScore) {
      bestScore = s;
      best = b;
    }
  }
  return best;
}

/** Brokers ordered by a key (ascending), ties by index, filtered. */
export function ordered(n: number, keep: (b: number) => boolean, key: (b: number) => number): number[] {
  const out: number[] = [];
  for (let b = 0; b < n; b++) if (keep(b)) out.push(b);
  return out.sort((x, y) => key(x) - key(y) || x - y);
}

function room(ctx: GoalContext, b: number): number {
  const { m } = ctx;
  return Math.min(ctx.disk.upper[b]!, ctx.ceiling[b]!, m.limit[b]!) - m.load[b]!;
}

function shedFrom(ctx: GoalContext, a: number): boolean {
  const { m } = ctx;
  const excess = m.load[a]! - ctx.disk.upper[a]!;
  const util = (b: number) => m.load[b]! / m.cap[b]!;
  const dests = ordered(m.nB, (b) => b !== a && ctx.destAllowed[b] === 1 && room(ctx, b) > ctx.eps, util);
  const needy = (b: number) => m.load[b]! < ctx.disk.lower[b]!;
  for (const [k, short, onlyNeedy, over] of PASSES) {
    for (const b of dests) {
      if (onlyNeedy && !needy(b)) continue;
      if (tryPair(ctx, a, b, Math.min(excess, room(ctx, b)), k, short, over)) return true;
    }
  }
  return false;
}

function fillTo(ctx: GoalContext, b: number): boolean {
  const { m, disk } = ctx;
  const deficit = disk.lower[b]! - m.load[b]!;
  const r = room(ctx, b);
  if (r <= ctx.eps) return false;
  const util = (x: number) => -m.load[x]! / m.cap[x]!;
  const srcs = ordered(
    m.nB,
    (x) => x !== b && ctx.srcAllowed[x] === 1 && m.load[x]! - disk.lower[x]! > ctx.eps,
    util,
  );
  const needy = (a: number) => m.load[a]! > disk.upper[a]!;
  for (const [k, short, onlyNeedy, over] of PASSES) {
    for (const a of srcs) {
      if (onlyNeedy && !needy(a)) continue;
      if (tryPair(ctx, a, b, Math.min(deficit, r, m.load[a]! - disk.lower[a]!), k, short, over)) return true;
    }
  }
  return false;
}

/** Moves one replica from a to b whose size best fits the gap t, if that lowers the disk penalty. */
function tryPair(
  ctx: GoalContext,
  a: number,
  b: number,
  gap: number,
  k: number,
  short: boolean,
  over = true,
): boolean {
  // The count-keeping size first, and only among replicas within the gap; then the gap itself.
  const hint = sizeHint(ctx, a, b);
  if (hint < gap && tryPairAt(ctx, a, b, hint, gap, k, short)) return true;
  return tryPairAt(ctx, a, b, gap, over ? Number.POSITIVE_INFINITY : gap, k, short);
}

/** tryPair for target size t: the largest replica ≤ t, else the smallest above t up to `max`. */
function tryPairAt(
  ctx: GoalContext,
  a: number,
  b: number,
  t: number,
  max: number,
  k: number,
  short: boolean,
): boolean {
  const { m, idx } = ctx;
  const ok = (p: number) =>
    m.size[p]! <= max &&
    canMove(m, p, a, b) &&
    (short || !leavesRackShort(m, p, a, b)) &&
    fitsCapacity(m, b, m.size[p]!) &&
    m.load[b]! + m.size[p]! <= ctx.ceiling[b]! &&
    transferDelta(ctx.disk, a, m.load[a]!, b, m.load[b]!, m.size[p]!) < -ctx.eps;
  // Prefer the partition with the fewest replicas already moved by the plan (ideally none), so
  // partitions change by one replica each, and one that ends rack-diverse; among equals, the
  // largest that fits the gap.
  const cost = (p: number) => moveCost(ctx, p, a, b);
  let best = -1;
  let bestMoved = Number.POSITIVE_INFINITY;
  const near = idx.below(a, t, k);
  for (const p of near) {
    if (!ok(p)) continue;
    const moved = cost(p);
    if (moved === 0) return commit(ctx, p, a, rackedDest(ctx, p, a, b));
    if (moved < bestMoved) {
      best = p;
      bestMoved = moved;
    }
  }
  if (best >= 0) {
    // Equal sizes make every broker's best candidates the same partitions: look a little further
    // for a less-touched one that is still at least half as large.
    const wider = idx.below(a, t, k + UNTOUCHED_EXTRA);
    for (let i = near.length; i < wider.length && bestMoved > 0; i++) {
      const p = wider[i]!;
      if (m.size[p]! < m.size[best]! / 2) break;
      const moved = cost(p);
      if (moved < bestMoved && ok(p)) {
        best = p;
        bestMoved = moved;
      }
    }
    return commit(ctx, best, a, rackedDest(ctx, best, a, b));
  }
  // Above the gap every extra byte overshoots: the smallest that fits, whatever its racks.
  for (const p of idx.above(a, t, k)) if (ok(p)) return commit(ctx, p, a, rackedDest(ctx, p, a, b));
  return false;
}

/**
 * The replica size that keeps replica counts on course: a receiver short of replicas wants
 * (bytes it still needs) / (replicas it still needs), a giver with too many replicas gives
 * (bytes it must shed) / (replicas it must shed). Filling an empty broker with the largest
 * replicas that fit would meet the disk band with a fraction of its replica share, a conflict
 * the count goal could then only fix by moving more bytes. Infinity when counts do not care.
 */
function sizeHint(ctx: GoalContext, a: number, b: number): number {
  const c = ctx.counts;
  if (!c) return Number.POSITIVE_INFINITY;
  const { m, disk } = ctx;
  let hint = Number.POSITIVE_INFINITY;
  const mid = (x: number) => (c.lower[x]! + c.upper[x]!) / 2;
  const needCount = mid(b) - m.count[b]!;
  const needBytes = (disk.lower[b]! + disk.upper[b]!) / 2 - m.load[b]!;
  if (m.count[b]! < c.lower[b]! && needCount >= 1 && needBytes > 0)
    hint = Math.min(hint, needBytes / needCount);
  const extraCount = m.count[a]! - mid(a);
  const extraBytes = m.load[a]! - (disk.lower[a]! + disk.upper[a]!) / 2;
  if (m.count[a]! > c.upper[a]! && extraCount >= 1 && extraBytes > 0)
    hint = Math.min(hint, extraBytes / extraCount);

  return hint;
}

function commit(ctx: GoalContext, p: number, a: number, b: number): true {
  moveReplica(ctx, p, a, b);
  return true;
}

/**
 * Swaps a replica x on over-loaded broker a with a smaller replica y on b, so that the net
 * x − y fits b's room: used only when no single move helps (e.g. every replica that fits would
 * break rack diversity, or every replica on a is larger than any room).
 */
function trySwap(ctx: GoalContext, a: number): boolean {
  const { m, idx } = ctx;
  const excess = m.load[a]! - ctx.disk.upper[a]!;
  const util = (b: number) => m.load[b]! / m.cap[b]!;
  const dests = ordered(m.nB, (b) => b !== a && ctx.destAllowed[b] === 1 && room(ctx, b) > ctx.eps, util);
  for (const b of dests.slice(0, SWAP_DESTS)) {
    const t = Math.min(excess, room(ctx, b));
    const xs = [...idx.below(a, Number.POSITIVE_INFINITY, K), ...idx.above(a, t, K)];
    for (const px of xs) {
      const x = m.size[px]!;
      if (!canMove(m, px, a, b) || leavesRackShort(m, px, a, b)) continue;
      for (const py of idx.above(b, x - t - 1, K)) {
        const y = m.size[py]!;
        if (y >= x) break;
        if (py === px || !canMove(m, py, b, a) || !fitsCapacity(m, b, x - y)) continue;
        if (leavesRackShort(m, py, b, a)) continue;
        if (m.load[b]! + x - y > ctx.ceiling[b]!) continue;
        if (transferDelta(ctx.disk, a, m.load[a]!, b, m.load[b]!, x - y) >= -ctx.eps) continue;
        commit(ctx, px, a, b);
        commit(ctx, py, b, a);
        return true;
      }
    }
  }
  return false;
}
