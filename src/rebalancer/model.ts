import type { ClusterSnapshot } from '../domain/snapshot.js';
import { brokerTable, partitionTable } from './model-build.js';
import { GOAL, type Model } from './model-types.js';
import type { PlanOptions } from './options.js';
import { rackCount } from './racks.js';

export type { GoalId, Model } from './model-types.js';
export { GOAL, GOAL_NAMES } from './model-types.js';

/** Builds the model from a snapshot and the options (added/removed brokers, topic filter). */
export function buildModel(snap: ClusterSnapshot, o: PlanOptions): Model {
  const br = brokerTable(snap, o);
  const pt = partitionTable(snap, o, br.brokerIndex);
  const nB = br.brokerId.length;
  const m: Model = {
    nB,
    nP: pt.size.length,
    ...br,
    ...pt,
    orig: pt.rep.slice(),
    rack0: new Uint8Array(pt.size.length),
    rackNow: new Uint8Array(pt.size.length),
    racksAvailable: new Set(Array.from(br.rack).filter((r, b) => r >= 0 && br.removed[b] === 0)).size,
    load: new Float64Array(nB),
    count: new Int32Array(nB),
    leaders: new Int32Array(nB),
    load0: new Float64Array(nB),
    count0: new Int32Array(nB),
    leaders0: new Int32Array(nB),
    goal: GOAL.disk,
    log: [],
  };
  for (let p = 0; p < m.nP; p++) m.rack0[p] = rackCount(m, p, -1, -1);
  m.rackNow.set(m.rack0);
  recomputeLoads(m);
  m.load0.set(m.load);
  m.count0.set(m.count);
  m.leaders0.set(m.leaders);
  return m;
}

/** Recomputes per-broker load, replica and leader counts from `rep`. */
export function recomputeLoads(m: Model): void {
  m.load.fill(0);
  m.count.fill(0);
  m.leaders.fill(0);
  for (let p = 0; p < m.nP; p++) {
    const s = m.size[p]!;
    const o0 = m.off[p]!;
    const o1 = m.off[p + 1]!;
    if (o1 > o0) m.leaders[m.rep[o0]!]!++;
    for (let i = o0; i < o1; i++) {
      const b = m.rep[i]!;
      m.load[b]! += s;
      m.count[b]!++;
    }
  }
}

/** The slot of broker b in partition p (offset into rep), or -1. */
export function slotOf(m: Model, p: number, b: number): number {
  for (let i = m.off[p]!, e = m.off[p + 1]!; i < e; i++) if (m.rep[i] === b) return i;
  return -1;
}

/** Whether broker b held a replica of p in the snapshot. */
export function inOrig(m: Model, p: number, b: number): boolean {
  for (let i = m.off[p]!, e = m.off[p + 1]!; i < e; i++) if (m.orig[i] === b) return true;
  return false;
}

/** Moves p's replica from broker `from` to `to` in place (same position: a leader stays first). */
export function applyMove(m: Model, p: number, from: number, to: number): void {
  const i = slotOf(m, p, from);
  m.rep[i] = to;
  const s = m.size[p]!;
  m.load[from]! -= s;
  m.load[to]! += s;
  m.count[from]!--;
  m.count[to]!++;
  if (m.rack0[p]! > 0) m.rackNow[p] = rackCount(m, p, -1, -1);
  if (i === m.off[p]) {
    m.leaders[from]!--;
    m.leaders[to]!++;
  }
  m.log.push(p, from, to, m.goal);
}

/** Makes the replica at `slot` p's preferred leader (swapping it with the first): no byte moves. */
export function applyLead(m: Model, p: number, slot: number): void {
  const o0 = m.off[p]!;
  const a = m.rep[o0]!;
  const b = m.rep[slot]!;
  m.rep[o0] = b;
  m.rep[slot] = a;
  m.leaders[a]!--;
  m.leaders[b]!++;
  m.log.push(p, a, b, GOAL.leaders);
}

/** Whether p's replica list differs from the snapshot (set or order). */
export function isChanged(m: Model, p: number): boolean {
  for (let i = m.off[p]!, e = m.off[p + 1]!; i < e; i++) if (m.rep[i] !== m.orig[i]) return true;
  return false;
}

/** Brokers that remain in the cluster after the plan. */
export function eligible(m: Model, b: number): boolean {
  return m.removed[b] === 0;
}

/** How many of p's current replicas are on brokers that did not hold p in the snapshot. */
export function movedReplicas(m: Model, p: number): number {
  let n = 0;
  for (let i = m.off[p]!, e = m.off[p + 1]!; i < e; i++) if (!inOrig(m, p, m.rep[i]!)) n++;
  return n;
}
