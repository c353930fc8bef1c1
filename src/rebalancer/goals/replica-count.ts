import { canMove, fitsCapacity } from '../constraints.js';
import { isChanged } from '../model.js';
import { type Band, transferDelta } from './band.js';
import { exchangeCounts } from './count-exchange.js';
import { ordered, worst } from './disk.js';
import { moveCost, moveReplica } from './rack-aware-move.js';
import type { GoalContext, PassResult } from './types.js';

/** Candidates examined per (source, destination) pair: the smallest live replicas. */
const K = 8;

/**
 * Replica-count goal: brings each broker's replica count into its band by moving the smallest
 * replicas from brokers above the band to brokers below it. A move must lower the count penalty
 * and must not raise the disk penalty (disk balance comes first), so it moves the fewest bytes
 * that can do the job.
 */
export function balanceCounts(ctx: GoalContext, band: Band): PassResult {
  const { m } = ctx;
  const stuck = new Uint8Array(m.nB);
  let moves = 0;
  let progress = false;
  const ratio = (b: number) => m.count[b]! / Math.max(1e-9, band.upper[b]! + band.lower[b]!);
  for (let guard = 0; guard < 4 * m.nP + 1000; guard++) {
    const a = worst(m.nB, (b) => (stuck[b] || !ctx.srcAllowed[b] ? -1 : m.count[b]! - band.upper[b]!));
    if (a >= 0) {
      const dests = ordered(
        m.nB,
        (b) => b !== a && ctx.destAllowed[b] === 1 && m.count[b]! < band.upper[b]!,
        ratio,
      );
      if (dests.some((b) => tryCountMove(ctx, band, a, b)) || exchangeCounts(ctx, band, a, dests)) {
        moves++;
        progress = true;
      } else stuck[a] = 1;
      continue;
    }
    const u = worst(m.nB, (b) => (stuck[b] || !ctx.destAllowed[b] ? -1 : band.lower[b]! - m.count[b]!));
    if (u >= 0) {
      const srcs = ordered(
        m.nB,
        (b) => b !== u && ctx.srcAllowed[b] === 1 && m.count[b]! > band.lower[b]!,
        (b) => -ratio(b),
      );
      if (srcs.some((a) => tryCountMove(ctx, band, a, u))) {
        moves++;
        progress = true;
      } else stuck[u] = 1;
      continue;
    }
    if (!progress) break;
    stuck.fill(0);
    progress = false;
  }
  return { moves };
}

function tryCountMove(ctx: GoalContext, band: Band, a: number, b: number): boolean {
  const { m, idx } = ctx;
  if (transferDelta(band, a, m.count[a]!, b, m.count[b]!, 1) >= 0) return false;
  // The smallest replica that fits, preferring a partition the plan does not change yet and one
  // that does not stay rack-short.
  let fallback = -1;
  let fallbackCost = Number.POSITIVE_INFINITY;
  for (const p of idx.above(a, -1, K)) {
    const x = m.size[p]!;
    if (!canMove(m, p, a, b) || !fitsCapacity(m, b, x) || m.load[b]! + x > ctx.ceiling[b]!) continue;
    if (transferDelta(ctx.disk, a, m.load[a]!, b, m.load[b]!, x) > 0) continue;
    const cost = moveCost(ctx, p, a, b) + (isChanged(m, p) ? 1 : 0);
    if (cost < fallbackCost) {
      fallback = p;
      fallbackCost = cost;
      if (cost === 0) break;
    }
  }
  if (fallback < 0) return false;
  moveReplica(ctx, fallback, a, b);
  return true;
}
