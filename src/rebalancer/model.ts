import type { ClusterSnapshot } from '../domain/snapshot.js';
import { brokerTable, partitionTable } from './model-build.js';
import type { PlanOptions } from './options.js';
import { rackCount } from './racks.js';

/**
 * The planner's working model of a cluster: flat typed arrays so that 2.8M replicas on 215
 * brokers fit in tens of megabytes. Brokers and partitions are addressed by dense indexes;
 * broker ids and topic names appear only at the edges. Replicas of partition p live in
 * `rep[off[p] .. off[p+1])`, first = preferred leader; `orig` keeps the snapshot's assignment.
 */
export interface Model {
  nB: number;
  nP: number;
  brokerId: Int32Array;
  brokerIndex: Map<number, number>;
  /** Rack index per broker, -1 when the broker has no rack (no rack constraint applies to it). */
  rack: Int32Array;
  rackNames: string[];
  /** Capacity used for utilisation (mean of the known ones when absent; 1 when none is known). */
  cap: Float64Array;
  /** Bytes a move may never push a broker above (maxUtilisation × capacity; Infinity if unknown). */
  limit: Float64Array;
  /** Whether every broker has a capacity. */
  capacityKnown: boolean;
  removed: Uint8Array;
  /** Brokers being added (add-broker mode): the only destinations of byte moves. */
  added: Uint8Array;
  /** Whether the snapshot listed the broker (added ids may be new). */
  inSnapshot: Uint8Array;
  topics: string[];
  pTopic: Int32Array;
  pNum: Int32Array;
  size: Float64Array;
  off: Int32Array;
  rep: Int32Array;
  orig: Int32Array;
  /** Partitions the options allow to change. */
  movable: Uint8Array;
  /** Distinct racks per partition in the snapshot: never allowed to drop. */
  rack0: Uint8Array;
  /** Distinct racks per partition now (kept in step with `rep`): a move never lowers it. */
  rackNow: Uint8Array;
  /** Distinct racks among the brokers that remain (the most any partition can span). */
  racksAvailable: number;
  /** Seeded tie-break key per partition. */
  tie: Uint32Array;
  /** Current per-broker figures, kept in step with `rep`. */
  load: Float64Array;
  count: Int32Array;
  leaders: Int32Array;
  load0: Float64Array;
  count0: Int32Array;
  leaders0: Int32Array;
  /** The goal on whose behalf moves are being made (set by the planner before each pass). */
  goal: GoalId;
  /** Every move and reorder in order, flat: partition, from, to, goal (4 numbers each). */
  log: number[];
}

/** The goals, in the order a move's reason names them (indexes into GOAL_NAMES). */
export const GOAL_NAMES = [
  'drain',
  'rack repair',
  'disk',
  'replica count',
  'leader order',
  'throughput',
] as const;
/** A goal's index in GOAL_NAMES. */
export type GoalId = 0 | 1 | 2 | 3 | 4 | 5;
/** Goal ids by name. */
export const GOAL = { drain: 0, rackRepair: 1, disk: 2, count: 3, leaders: 4, throughput: 5 } as const;

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
