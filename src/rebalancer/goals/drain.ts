import { canMove, fitsCapacity } from '../constraints.js';
import { applyMove, slotOf } from '../model.js';
import { rackCount, rackTarget } from '../racks.js';
import type { GoalContext } from './types.js';

function capOf(m: { nB: number; cap: Float64Array; removed: Uint8Array }): number {
  let c = 0;
  for (let b = 0; b < m.nB; b++) if (m.removed[b] === 0) c += m.cap[b]!;
  return c;
}

/**
 * How much a destination's replica count weighs against its utilisation (both relative to their
 * targets). On the decommission distribution: 1 gives counts 1.109 at moved/LB 1.022, 0.25 gives
 * 1.153 at 1.0001.
 */
const COUNT_WEIGHT = 1;

/** A replica on a removed broker that no remaining broker can take. */
export interface Undrainable {
  partition: number;
  broker: number;
}

/**
 * Remove-broker mode: every replica on a removed broker must move. Largest replicas first, each to
 * the eligible broker with the lowest utilisation after receiving it (water-filling), preferring
 * the allowed destinations (the added brokers when some are being added). Returns the replicas
 * that no broker can take without breaking a hard constraint.
 */
export function drainRemoved(ctx: GoalContext): Undrainable[] {
  const { m, idx } = ctx;
  const work: { p: number; b: number }[] = [];
  for (let b = 0; b < m.nB; b++) {
    if (m.removed[b] === 1) for (const p of idx.all(b)) work.push({ p, b });
  }
  work.sort((x, y) => m.size[y.p]! - m.size[x.p]! || m.tie[x.p]! - m.tie[y.p]! || x.p - y.p || x.b - y.b);
  const failed: Undrainable[] = [];
  // Utilisation relative to the mean, plus replicas relative to the broker's share: the small
  // replicas that come last would otherwise all land on the one least utilised broker.
  const mu = Math.max(1e-12, ctx.disk.upper.reduce((s, u, b) => s + (m.removed[b] ? 0 : u), 0) / capOf(m));
  const c = ctx.counts;
  const countShare = (d: number) =>
    c ? (m.count[d]! + 1) / Math.max(1, (c.lower[d]! + c.upper[d]!) / 2) : 0;
  for (const { p, b } of work) {
    if (slotOf(m, p, b) < 0) continue;
    const x = m.size[p]!;
    // A destination that adds a rack the partition misses comes first: the drain then repairs it
    // for free (the copy is made anyway).
    const short = m.rackNow[p]! < rackTarget(m, p);
    const pick = (preferred: boolean) => {
      let best = -1;
      let bestUtil = Number.POSITIVE_INFINITY;
      for (let d = 0; d < m.nB; d++) {
        if (preferred && ctx.destAllowed[d] === 0) continue;
        if (!canMove(m, p, b, d) || !fitsCapacity(m, d, x)) continue;
        const adds = short && rackCount(m, p, b, d) > m.rackNow[p]! ? 0 : 1;
        const u = adds * 1e6 + (m.load[d]! + x) / m.cap[d]! / mu + COUNT_WEIGHT * countShare(d);
        if (u < bestUtil) {
          bestUtil = u;
          best = d;
        }
      }
      return best;
    };
    let d = pick(true);
    if (d < 0) d = pick(false);
    if (d < 0) {
      failed.push({ partition: p, broker: b });
      continue;
    }
    applyMove(m, p, b, d);
    idx.onMove(p, d);
  }
  return failed;
}
