import { inOrig, type Model, slotOf } from './model.js';
import { mix32 } from './prng.js';

/**
 * Per-broker replica lists sorted by (size, seeded tie), for "the replica whose size best fits
 * the gap" by binary search. Built once in O(replicas) from one global sort of partitions. A list
 * entry is live while its partition still has a replica on that broker (checked against `rep`,
 * so moves need no deletion); replicas moved onto a broker go to its small sorted inbox.
 */
export class ReplicaIndex {
  private readonly lists: Int32Array[];
  /** Per broker: snapshot replicas dropped from its list by compaction (they had moved away). */
  private readonly gone: Set<number>[];
  private readonly inbox: number[][];
  private readonly inboxed: Set<number>[];
  /** Per broker: entries of its list below `low` / at or above `high` are all moved away. */
  private readonly low: Int32Array;
  /** Dead entries the last main-list walk stepped over. */
  private skipped = 0;
  private readonly high: Int32Array;

  constructor(private readonly m: Model) {
    const order = new Uint32Array(m.nP);
    for (let p = 0; p < m.nP; p++) order[p] = p;
    const { size, tie } = m;
    order.sort((a, b) => size[a]! - size[b]! || tie[a]! - tie[b]! || a - b);
    const fill = new Int32Array(m.nB);
    this.lists = [];
    for (let b = 0; b < m.nB; b++) this.lists.push(new Int32Array(m.count0[b]!));
    for (let k = 0; k < m.nP; k++) {
      const p = order[k]!;
      for (let i = m.off[p]!, e = m.off[p + 1]!; i < e; i++) {
        const b = m.orig[i]!;
        this.lists[b]![fill[b]!++] = p;
      }
    }
    // Equal sizes: order each broker's run by a per-broker key, so that brokers holding the same
    // partitions do not all offer the same ones first (their moves would pile onto few partitions).
    for (let b = 0; b < m.nB; b++) {
      const list = this.lists[b]!;
      for (let i = 0; i < list.length; ) {
        let j = i + 1;
        while (j < list.length && size[list[j]!] === size[list[i]!]) j++;
        if (j - i > 1) list.subarray(i, j).sort((x, y) => this.key(x, b) - this.key(y, b) || x - y);
        i = j;
      }
    }
    this.inbox = Array.from({ length: m.nB }, () => []);
    this.inboxed = Array.from({ length: m.nB }, () => new Set<number>());
    this.low = new Int32Array(m.nB);
    this.high = Int32Array.from(this.lists, (l) => l.length);
    this.gone = Array.from({ length: m.nB }, () => new Set<number>());
  }

  private key(p: number, b: number): number {
    return mix32(this.m.tie[p]!, b + 1);
  }

  /** Records that p's replica moved onto broker `to` (so it can be found there again). */
  onMove(p: number, to: number): void {
    if (inOrig(this.m, p, to) && !this.gone[to]!.delete(p)) {
      // A replica back on its snapshot broker: its entry is live again, forget the dead ranges.
      this.low[to] = 0;
      this.high[to] = this.lists[to]!.length;
      return;
    }
    const box = this.inbox[to]!;
    if (this.inboxed[to]!.has(p)) return;
    this.inboxed[to]!.add(p);
    let lo = 0;
    let hi = box.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.less(box[mid]!, p, to)) lo = mid + 1;
      else hi = mid;
    }
    box.splice(lo, 0, p);
  }

  /** Up to k live partitions on broker b with size ≤ t, largest first. */
  below(b: number, t: number, k: number): number[] {
    const a = this.walkDown(this.lists[b]!, b, t, k, true);
    this.compactIfDead(b);
    const box = this.inbox[b]!;
    if (box.length === 0) return a;
    return this.merge(a, this.walkDown(box, b, t, k), k, false, b);
  }

  /** Up to k live partitions on broker b with size > t, smallest first. */
  above(b: number, t: number, k: number): number[] {
    const a = this.walkUp(this.lists[b]!, b, t, k, true);
    this.compactIfDead(b);
    const box = this.inbox[b]!;
    if (box.length === 0) return a;
    return this.merge(a, this.walkUp(box, b, t, k), k, true, b);
  }

  /** Every live partition on broker b (snapshot replicas first, then moved-in ones). */
  *all(b: number): Generator<number> {
    for (const p of this.lists[b]!) if (slotOf(this.m, p, b) >= 0) yield p;
    for (const p of [...this.inbox[b]!]) if (slotOf(this.m, p, b) >= 0) yield p;
  }

  /**
   * Walks that start mid-list (sizes chosen to keep replica counts on course) step over moved-away
   * entries the end trimming never reaches: when a walk skipped many, drop every dead entry of
   * the list once (O(list), amortised over the skips it saves). Dropped partitions are
   * remembered, so a replica coming back to its snapshot broker goes to the inbox instead.
   */
  private compactIfDead(b: number): void {
    if (this.skipped < COMPACT_AFTER) return;
    this.skipped = 0;
    const list = this.lists[b]!;
    const live: number[] = [];
    for (const p of list) {
      if (slotOf(this.m, p, b) >= 0) live.push(p);
      else this.gone[b]!.add(p);
    }
    this.lists[b] = Int32Array.from(live);
    this.low[b] = 0;
    this.high[b] = live.length;
  }

  private less(p: number, q: number, b: number): boolean {
    const size = this.m.size;
    if (size[p] !== size[q]) return size[p]! < size[q]!;
    const kp = this.key(p, b);
    const kq = this.key(q, b);
    return kp < kq || (kp === kq && p < q);
  }

  private walkDown(list: ArrayLike<number>, b: number, t: number, k: number, main = false): number[] {
    const size = this.m.size;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (size[list[mid]!]! <= t) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    const top = main ? Math.min(lo, this.high[b]!) : lo;
    const floor = main ? this.low[b]! : 0;
    let skipped = 0;
    for (let i = top - 1; i >= floor && out.length < k && skipped < DEAD_SKIP; i--) {
      const p = list[i]!;
      if (slotOf(this.m, p, b) >= 0) out.push(p);
      else {
        skipped++;
        if (main && i === this.high[b]! - 1) this.high[b] = i;
      }
    }
    if (main) this.skipped = skipped;
    return out;
  }

  private walkUp(list: ArrayLike<number>, b: number, t: number, k: number, main = false): number[] {
    const size = this.m.size;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (size[list[mid]!]! <= t) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    const start = main ? Math.max(lo, this.low[b]!) : lo;
    const end = main ? this.high[b]! : list.length;
    let skipped = 0;
    for (let i = start; i < end && out.length < k && skipped < DEAD_SKIP; i++) {
      const p = list[i]!;
      if (slotOf(this.m, p, b) >= 0) out.push(p);
      else {
        skipped++;
        if (main && i === this.low[b]) this.low[b] = i + 1;
      }
    }
    if (main) this.skipped = skipped;
    return out;
  }

  private merge(a: number[], c: number[], k: number, ascending: boolean, b: number): number[] {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (out.length < k && (i < a.length || j < c.length)) {
      const takeA = j >= c.length || (i < a.length && this.less(a[i]!, c[j]!, b) === ascending);
      out.push(takeA ? a[i++]! : c[j++]!);
    }
    return out;
  }
}

/** How many moved-away entries a walk may step over before giving up (bounds pathological scans). */
const DEAD_SKIP = 50_000;
/** A walk that stepped over this many dead entries compacts its list. */
const COMPACT_AFTER = 256;
