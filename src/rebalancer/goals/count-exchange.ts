import { canMove, fitsCapacity, leavesRackShort } from '../constraints.js';
import { applyMove } from '../model.js';
import { type Band, transferDelta } from './band.js';
import type { GoalContext } from './types.js';

/** The smallest replicas of the over-counted broker considered for one exchange. */
const SMALL = 8;
/** Destinations tried per exchange. */
const DESTS = 12;

/**
 * Replica-count exchange, for a broker with too many replicas whose disk sits at its band's
 * edge (a single count move would push it out of the disk band): it gives its k smallest
 * replicas to broker b and takes back one replica of b about as large as the k together.
 * Counts move by k − 1 and disk by almost nothing. Accepted only when the count penalty drops
 * and the disk penalty does not rise. Costs about twice the exchanged bytes, credited to the
 * count goal. Never leaves a partition it moves rack-short. Returns whether an exchange was made.
 */
export function exchangeCounts(ctx: GoalContext, band: Band, a: number, dests: number[]): boolean {
  const { m, idx } = ctx;
  for (const b of dests.slice(0, DESTS)) {
    const ok = (p: number, from: number, to: number) =>
      canMove(m, p, from, to) && !leavesRackShort(m, p, from, to);
    const smalls = idx.above(a, -1, SMALL * 2).filter((p) => ok(p, a, b));
    let sum = 0;
    for (let k = 0; k < Math.min(SMALL, smalls.length); k++) {
      sum += m.size[smalls[k]!]!;
      if (k < 1) continue;
      const give = smalls.slice(0, k + 1);
      if (transferDelta(band, a, m.count[a]!, b, m.count[b]!, k) >= 0) break;
      for (const big of idx.below(b, sum, 4)) {
        if (give.includes(big) || !ok(big, b, a)) continue;
        if (!settles(ctx, a, b, sum, m.size[big]!)) continue;
        for (const p of give) {
          applyMove(m, p, a, b);
          idx.onMove(p, b);
        }
        applyMove(m, big, b, a);
        idx.onMove(big, a);
        return true;
      }
    }
  }
  return false;
}

/** Whether a giving `out` bytes to b and taking `back` keeps both within capacity and disk penalty. */
function settles(ctx: GoalContext, a: number, b: number, out: number, back: number): boolean {
  const { m } = ctx;
  const net = out - back;
  if (net > 0 && (!fitsCapacity(m, b, net) || m.load[b]! + net > ctx.ceiling[b]!)) return false;
  if (net < 0 && (!fitsCapacity(m, a, -net) || m.load[a]! - net > ctx.ceiling[a]!)) return false;
  const before = pen(ctx, a, m.load[a]!) + pen(ctx, b, m.load[b]!);
  const after = pen(ctx, a, m.load[a]! - net) + pen(ctx, b, m.load[b]! + net);
  return after <= before + ctx.eps;
}

function pen(ctx: GoalContext, b: number, v: number): number {
  const u = ctx.disk.upper[b]!;
  const l = ctx.disk.lower[b]!;
  return v > u ? v - u : v < l ? l - v : 0;
}
