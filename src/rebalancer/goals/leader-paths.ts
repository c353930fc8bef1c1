import { applyLead, type Model } from '../model.js';
import type { Band } from './band.js';

/**
 * Leadership by augmenting paths, for what the greedy reorder leaves: a broker above its leader
 * band hands one leadership along a chain a → b1 → … → bk, where each step makes the next broker
 * the preferred leader of a partition the previous one leads (both hold a replica). Only the two
 * ends change their counts, so a broker whose every partition is shared with full brokers still
 * gets relief. Breadth-first, so the chain (the number of reordered partitions) is the shortest.
 * Zero bytes move. Returns the number of reorders.
 */
export function leaderPaths(m: Model, band: Band, holdsOf: (b: number) => Iterable<number>): number {
  const out = { n: 0 };
  // Partitions led per broker; entries go stale as leadership shifts (checked on read).
  // In seeded-key order, so that the chains found do not depend on the snapshot's order.
  const led: number[][] = Array.from({ length: m.nB }, () => []);
  const order = Array.from({ length: m.nP }, (_, p) => p).sort(
    (x, y) => m.tie[x]! - m.tie[y]! || m.size[x]! - m.size[y]! || m.pNum[x]! - m.pNum[y]! || x - y,
  );
  for (const p of order) if (m.off[p + 1]! > m.off[p]!) led[m.rep[m.off[p]!]!]!.push(p);
  const leadsOf = (b: number) => led[b]!;
  const stuck = new Uint8Array(m.nB);
  for (let guard = 0; guard < m.nP; guard++) {
    const over = mostOutside(m, band, 1, stuck);
    if (over >= 0) {
      if (!augment(m, [over], (b) => m.leaders[b]! < band.upper[b]!, leadsOf, out)) stuck[over] = 1;
      continue;
    }
    const under = mostOutside(m, band, -1, stuck);
    if (under < 0) break;
    // Pull: find a chain from some broker above its lower bound down to `under`.
    if (!pull(m, under, band, holdsOf, leadsOf, out)) stuck[under] = 1;
  }
  return out.n;
}

/** The broker furthest above (dir 1) or below (dir −1) its band, or −1. */
function mostOutside(m: Model, band: Band, dir: 1 | -1, stuck: Uint8Array): number {
  let best = -1;
  let bestBy = 0;
  for (let b = 0; b < m.nB; b++) {
    if (m.removed[b] === 1 || stuck[b] === 1) continue;
    const by = dir === 1 ? m.leaders[b]! - band.upper[b]! : band.lower[b]! - m.leaders[b]!;
    if (by > bestBy) {
      bestBy = by;
      best = b;
    }
  }
  return best;
}

/**
 * BFS from the `roots` over "leads a partition also held by" until a sink; shifts leadership along
 * the path found (its root loses one leadership, the sink gains one).
 */
function augment(
  m: Model,
  roots: number[],
  isSink: (b: number) => boolean,
  leadsOf: (b: number) => number[],
  out: { n: number },
): boolean {
  const via = new Int32Array(m.nB).fill(-1);
  const prev = new Int32Array(m.nB).fill(-1);
  const seen = new Uint8Array(m.nB);
  for (const r of roots) seen[r] = 1;
  const queue = roots.slice();
  for (let qi = 0; qi < queue.length; qi++) {
    const a = queue[qi]!;
    for (const p of leadsOf(a)) {
      if (m.rep[m.off[p]!] !== a || m.movable[p] === 0) continue;
      for (let i = m.off[p]! + 1; i < m.off[p + 1]!; i++) {
        const b = m.rep[i]!;
        if (seen[b] || m.removed[b] === 1) continue;
        seen[b] = 1;
        via[b] = p;
        prev[b] = a;
        if (isSink(b)) {
          shift(m, b, via, prev, leadsOf, out);
          return true;
        }
        queue.push(b);
      }
    }
  }
  return false;
}

/**
 * Backwards BFS from an under-led broker: the leaders of partitions it follows, then theirs,
 * until one can spare a leadership (above its lower bound); each hands one down the chain.
 */
function pull(
  m: Model,
  dst: number,
  band: Band,
  holdsOf: (b: number) => Iterable<number>,
  leadsOf: (b: number) => number[],
  out: { n: number },
): boolean {
  const via = new Int32Array(m.nB).fill(-1);
  const next = new Int32Array(m.nB).fill(-1);
  const seen = new Uint8Array(m.nB);
  seen[dst] = 1;
  const queue = [dst];
  for (let qi = 0; qi < queue.length; qi++) {
    const x = queue[qi]!;
    for (const p of holdsOf(x)) {
      const c = m.rep[m.off[p]!]!;
      if (c === x || seen[c] || m.removed[c] === 1 || m.movable[p] === 0) continue;
      seen[c] = 1;
      via[c] = p;
      next[c] = x;
      if (m.leaders[c]! <= band.lower[c]!) {
        queue.push(c);
        continue;
      }
      for (let b = c; b !== dst; b = next[b]!) {
        const q = via[b]!;
        const to = next[b]!;
        let slot = -1;
        for (let i = m.off[q]! + 1; i < m.off[q + 1]!; i++) if (m.rep[i] === to) slot = i;
        applyLead(m, q, slot);
        leadsOf(to).push(q);
        out.n++;
      }
      return true;
    }
  }
  return false;
}

/** Makes each broker on the path the preferred leader of the partition that links it. */
function shift(
  m: Model,
  end: number,
  via: Int32Array,
  prev: Int32Array,
  leadsOf: (b: number) => number[],
  out: { n: number },
): void {
  for (let b = end; prev[b]! >= 0; b = prev[b]!) {
    const p = via[b]!;
    let slot = -1;
    for (let i = m.off[p]! + 1; i < m.off[p + 1]!; i++) if (m.rep[i] === b) slot = i;
    applyLead(m, p, slot);
    leadsOf(b).push(p);
    out.n++;
  }
}
