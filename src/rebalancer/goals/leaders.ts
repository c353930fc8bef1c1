import { applyLead, isChanged } from '../model.js';
import { type Band, transferDelta } from './band.js';
import { leaderPaths } from './leader-paths.js';
import type { GoalContext } from './types.js';

/**
 * Leader goal, by reordering only: makes another replica of a partition its first (preferred
 * leader) replica. No byte moves. Partitions the plan already changes are reordered first, so
 * balancing leaders adds as few changed partitions as possible. A reorder must lower the leader
 * penalty. Returns the number of reorders.
 */
export function balanceLeaders(ctx: GoalContext, band: Band): number {
  const { m, idx } = ctx;
  let reorders = 0;
  for (let round = 0; round < 50; round++) {
    let changed = 0;
    const over: number[] = [];
    const under: number[] = [];
    for (let b = 0; b < m.nB; b++) {
      if (m.leaders[b]! > band.upper[b]!) over.push(b);
      else if (m.leaders[b]! < band.lower[b]! && m.removed[b] === 0) under.push(b);
    }
    over.sort((x, y) => m.leaders[y]! - m.leaders[x]! || x - y);
    for (const a of over) {
      const led: number[] = [];
      for (const p of idx.all(a)) if (m.rep[m.off[p]!] === a && m.movable[p] === 1) led.push(p);
      const first = led.filter((p) => isChanged(m, p));
      const rest = led.filter((p) => !isChanged(m, p));
      for (const p of [...first, ...rest]) {
        if (m.leaders[a]! <= band.upper[a]!) break;
        let best = -1;
        for (let i = m.off[p]! + 1; i < m.off[p + 1]!; i++) {
          const b = m.rep[i]!;
          if (m.removed[b] === 1) continue;
          if (best < 0 || m.leaders[b]! < m.leaders[m.rep[best]!]!) best = i;
        }
        if (best >= 0 && tryLead(ctx, band, p, best)) changed++;
      }
    }
    for (const b of under) {
      const cands: number[] = [];
      for (const p of idx.all(b)) if (m.rep[m.off[p]!] !== b && m.movable[p] === 1) cands.push(p);
      cands.sort((x, y) => Number(isChanged(m, y)) - Number(isChanged(m, x)));
      for (const p of cands) {
        if (m.leaders[b]! >= band.lower[b]!) break;
        let slot = -1;
        for (let i = m.off[p]! + 1; i < m.off[p + 1]!; i++) if (m.rep[i] === b) slot = i;
        if (slot >= 0 && tryLead(ctx, band, p, slot)) changed++;
      }
    }
    reorders += changed;
    if (changed === 0) break;
  }
  // What single reorders cannot fix (every co-replica of an over-led broker is full) needs chains.
  return reorders + leaderPaths(m, band, (b) => idx.all(b));
}

/** Makes the replica at `slot` the preferred leader of p if that lowers the leader penalty. */
function tryLead(ctx: GoalContext, band: Band, p: number, slot: number): boolean {
  const { m } = ctx;
  const o0 = m.off[p]!;
  const a = m.rep[o0]!;
  const b = m.rep[slot]!;
  if (transferDelta(band, a, m.leaders[a]!, b, m.leaders[b]!, 1) >= 0) return false;
  applyLead(m, p, slot);
  return true;
}
