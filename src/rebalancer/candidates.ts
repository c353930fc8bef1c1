import { type Model, inOrig, slotOf } from './model.js';

/**
 * Per-broker replica lists sorted by (size, seeded tie), for "the replica whose size best fits
 * the gap" by binary search. Built once in O(replicas) from one global sort of partitions. A list
 * entry is live while its partition still has a replica on that broker (checked against `rep`,
 * so moves need no deletion); replicas moved onto a broker go to its small sorted inbox.
 */
export class ReplicaIndex {
  private readonly lists: Int32Array[];
  private readonly inbox: number[][];

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
    this.inbox = Array.from({ length: m.nB }, () => []);
  }

  /** Records that p's replica moved onto broker `to` (so it can be found there again). */
  onMove(p: number, to: number): void {
    if (inOrig(this.m, p, to)) return;
    const box = this.inbox[to]!;
    if (box.includes(p)) return;
    let lo = 0;
    let hi = box.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.less(box[mid]!, p)) lo = mid + 1;
      else hi = mid;
    }
    box.splice(lo, 0, p);
  }

  /** Up to k live partitions on broker b with size ≤ t, largest first. */
  below(b: number, t: number, k: number): number[] {
    const a = this.walkDown(this.lists[b]!, b, t, k);
    const box = this.inbox[b]!;
    if (box.length === 0) return a;
    return this.merge(a, this.walkDown(box, b, t, k), k, false);
  }

  /** Up to k live partitions on broker b with size > t, smallest first. */
  above(b: number, t: number, k: number): number[] {
    const a = this.walkUp(this.lists[b]!, b, t, k);
    const box = this.inbox[b]!;
    if (box.length === 0) return a;
    return this.merge(a, this.walkUp(box, b, t, k), k, true);
  }

  /** Every live partition on broker b (snapshot replicas first, then moved-in ones). */
  *all(b: number): Generator<number> {
    for (const p of this.lists[b]!) if (slotOf(this.m, p, b) >= 0) yield p;
    for (const p of [...this.inbox[b]!]) if (slotOf(this.m, p, b) >= 0) yield p;
  }

  private less(p: number, q: number): boolean {
    const { size, tie } = this.m;
    return size[p]! < size[q]! || (size[p] === size[q] && (tie[p]! < tie[q]! || (tie[p] === tie[q] && p < q)));
  }

  private walkDown(list: ArrayLike<number>, b: number, t: number, k: number): number[] {
    const size = this.m.size;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (size[list[mid]!]! <= t) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo - 1, skipped = 0; i >= 0 && out.length < k && skipped < DEAD_SKIP; i--) {
      const p = list[i]!;
      if (slotOf(this.m, p, b) >= 0) out.push(p);
      else skipped++;
    }
    return out;
  }

  private walkUp(list: ArrayLike<number>, b: number, t: number, k: number): number[] {
    const size = this.m.size;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (size[list[mid]!]! <= t) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo, skipped = 0; i < list.length && out.length < k && skipped < DEAD_SKIP; i++) {
      const p = list[i]!;
      if (slotOf(this.m, p, b) >= 0) out.push(p);
      else skipped++;
    }
    return out;
  }

  private merge(a: number[], c: number[], k: number, ascending: boolean): number[] {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (out.length < k && (i < a.length || j < c.length)) {
      const takeA = j >= c.length || (i < a.length && this.less(a[i]!, c[j]!) === ascending);
      out.push(takeA ? a[i++]! : c[j++]!);
    }
    return out;
  }
}

/** How many moved-away entries a walk may step over before giving up (bounds pathological scans). */
const DEAD_SKIP = 50_000;
