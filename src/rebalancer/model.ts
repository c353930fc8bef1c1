import { usageError } from '../core/errors.js';
import type { ClusterSnapshot } from '../domain/snapshot.js';
import type { PlanOptions } from './options.js';
import { hashString, mix32 } from './prng.js';
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
  const brokerIndex = new Map<number, number>();
  const ids: number[] = [];
  const racks: (string | undefined)[] = [];
  const caps: (number | undefined)[] = [];
  const inSnap: number[] = [];
  for (const b of snap.brokers) {
    brokerIndex.set(b.id, ids.length);
    ids.push(b.id);
    racks.push(typeof b.rack === 'string' && b.rack !== '' ? b.rack : undefined);
    caps.push(typeof b.capacityBytes === 'number' && b.capacityBytes > 0 ? b.capacityBytes : undefined);
    inSnap.push(1);
  }
  for (const a of o.addBrokers) {
    const i = brokerIndex.get(a.id);
    if (i !== undefined) {
      if (a.rack !== undefined && racks[i] !== undefined && racks[i] !== a.rack) {
        throw usageError(
          `--add-broker ${a.id}:${a.rack}: the snapshot puts broker ${a.id} in rack ${racks[i]}`,
        );
      }
      if (a.rack !== undefined) racks[i] = a.rack;
      continue;
    }
    brokerIndex.set(a.id, ids.length);
    ids.push(a.id);
    racks.push(a.rack);
    caps.push(undefined);
    inSnap.push(0);
  }
  for (const r of o.removeBrokers) {
    if (!brokerIndex.has(r)) throw usageError(`--remove-broker ${r}: no broker ${r} in the snapshot`);
  }
  const nB = ids.length;
  if (o.removeBrokers.length >= nB) throw usageError('--remove-broker would remove every broker');

  const known = caps.filter((c): c is number => c !== undefined);
  const meanCap = known.length ? known.reduce((s, c) => s + c, 0) / known.length : 1;
  const cap = new Float64Array(nB);
  const limit = new Float64Array(nB);
  const rackNames: string[] = [];
  const rackIdx = new Map<string, number>();
  const rack = new Int32Array(nB);
  for (let b = 0; b < nB; b++) {
    const c = caps[b];
    // A new broker's capacity is assumed to be the mean capacity: it counts as known.
    const isNew = inSnap[b] === 0;
    cap[b] = c ?? meanCap;
    limit[b] =
      c !== undefined || (isNew && known.length) ? cap[b]! * o.maxUtilisation : Number.POSITIVE_INFINITY;
    const r = racks[b];
    if (r === undefined) rack[b] = -1;
    else {
      let ri = rackIdx.get(r);
      if (ri === undefined) {
        ri = rackNames.length;
        rackIdx.set(r, ri);
        rackNames.push(r);
      }
      rack[b] = ri;
    }
  }
  const removed = new Uint8Array(nB);
  for (const r of o.removeBrokers) removed[brokerIndex.get(r)!] = 1;
  const added = new Uint8Array(nB);
  for (const a of o.addBrokers) added[brokerIndex.get(a.id)!] = 1;

  const parts = snap.partitions;
  const nP = parts.length;
  const off = new Int32Array(nP + 1);
  for (let p = 0; p < nP; p++) off[p + 1] = off[p]! + parts[p]!.replicas.length;
  const rep = new Int32Array(off[nP]!);
  const pTopic = new Int32Array(nP);
  const pNum = new Int32Array(nP);
  const size = new Float64Array(nP);
  const movable = new Uint8Array(nP);
  const rack0 = new Uint8Array(nP);
  const tie = new Uint32Array(nP);
  const topics: string[] = [];
  const topicIdx = new Map<string, number>();
  const topicHash: number[] = [];
  const allowed = o.topics ? new Set(o.topics) : undefined;
  for (let p = 0; p < nP; p++) {
    const sp = parts[p]!;
    let t = topicIdx.get(sp.topic);
    if (t === undefined) {
      t = topics.length;
      topicIdx.set(sp.topic, t);
      topics.push(sp.topic);
      topicHash.push(hashString(sp.topic));
    }
    pTopic[p] = t;
    pNum[p] = sp.partition;
    size[p] = sp.sizeBytes;
    movable[p] = allowed === undefined || allowed.has(sp.topic) ? 1 : 0;
    // Keyed on the topic's name and the partition number: independent of the snapshot's order.
    tie[p] = mix32(mix32(sp.partition, topicHash[t]!), o.seed);
    const o0 = off[p]!;
    for (let j = 0; j < sp.replicas.length; j++) rep[o0 + j] = brokerIndex.get(sp.replicas[j]!)!;
  }
  if (allowed && ![...allowed].some((t) => topicIdx.has(t))) {
    throw usageError(`--topics: none of ${[...allowed].join(', ')} is in the snapshot`);
  }
  const m: Model = {
    nB,
    nP,
    brokerId: Int32Array.from(ids),
    brokerIndex,
    rack,
    rackNames,
    cap,
    limit,
    capacityKnown: known.length === snap.brokers.length,
    removed,
    added,
    inSnapshot: Uint8Array.from(inSnap),
    topics,
    pTopic,
    pNum,
    size,
    off,
    rep,
    orig: rep.slice(),
    movable,
    rack0,
    rackNow: new Uint8Array(nP),
    racksAvailable: new Set(Array.from(rack).filter((r, b) => r >= 0 && removed[b] === 0)).size,
    tie,
    load: new Float64Array(nB),
    count: new Int32Array(nB),
    leaders: new Int32Array(nB),
    load0: new Float64Array(nB),
    count0: new Int32Array(nB),
    leaders0: new Int32Array(nB),
    goal: GOAL.disk,
    log: [],
  };
  for (let p = 0; p < nP; p++) rack0[p] = rackCount(m, p, -1, -1);
  m.rackNow.set(rack0);
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
