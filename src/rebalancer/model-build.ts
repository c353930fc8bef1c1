import { usageError } from '../core/errors.js';
import type { ClusterSnapshot } from '../domain/snapshot.js';
import type { Model } from './model-types.js';
import type { PlanOptions } from './options.js';
import { hashString, mix32 } from './prng.js';

/**
 * The two halves of model.ts#buildModel: the broker table (snapshot brokers plus added ones, their
 * racks, capacities and limits, removed/added flags) and the partition table (replicas in CSR
 * form, sizes, topic ids, the topic filter, seeded tie-break keys).
 */

/** The broker fields of the model. */
export type BrokerTable = Pick<
  Model,
  | 'brokerId'
  | 'brokerIndex'
  | 'rack'
  | 'rackNames'
  | 'cap'
  | 'limit'
  | 'capacityKnown'
  | 'removed'
  | 'added'
  | 'inSnapshot'
>;

/** The partition fields of the model (before the per-broker figures are computed). */
export type PartitionTable = Pick<
  Model,
  'topics' | 'pTopic' | 'pNum' | 'size' | 'off' | 'rep' | 'movable' | 'tie'
>;

/** Brokers of the snapshot then the added ones; a rack contradicting the snapshot is refused. */
export function brokerTable(snap: ClusterSnapshot, o: PlanOptions): BrokerTable {
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
  if (o.removeBrokers.length >= ids.length) throw usageError('--remove-broker would remove every broker');
  const known = caps.filter((c): c is number => c !== undefined);
  return {
    brokerId: Int32Array.from(ids),
    brokerIndex,
    ...capacities(caps, inSnap, known, o.maxUtilisation),
    ...rackIndexes(racks),
    capacityKnown: known.length === snap.brokers.length,
    removed: flags(ids.length, o.removeBrokers, brokerIndex),
    added: flags(
      ids.length,
      o.addBrokers.map((a) => a.id),
      brokerIndex,
    ),
    inSnapshot: Uint8Array.from(inSnap),
  };
}

function capacities(
  caps: (number | undefined)[],
  inSnap: number[],
  known: number[],
  maxUtilisation: number,
): { cap: Float64Array; limit: Float64Array } {
  const meanCap = known.length ? known.reduce((s, c) => s + c, 0) / known.length : 1;
  const cap = new Float64Array(caps.length);
  const limit = new Float64Array(caps.length);
  for (let b = 0; b < caps.length; b++) {
    const c = caps[b];
    // A new broker's capacity is assumed to be the mean capacity: it counts as known.
    const isNew = inSnap[b] === 0;
    cap[b] = c ?? meanCap;
    limit[b] =
      c !== undefined || (isNew && known.length) ? cap[b]! * maxUtilisation : Number.POSITIVE_INFINITY;
  }
  return { cap, limit };
}

function rackIndexes(racks: (string | undefined)[]): { rack: Int32Array; rackNames: string[] } {
  const rackNames: string[] = [];
  const rackIdx = new Map<string, number>();
  const rack = new Int32Array(racks.length);
  racks.forEach((r, b) => {
    if (r === undefined) {
      rack[b] = -1;
      return;
    }
    let ri = rackIdx.get(r);
    if (ri === undefined) {
      ri = rackNames.length;
      rackIdx.set(r, ri);
      rackNames.push(r);
    }
    rack[b] = ri;
  });
  return { rack, rackNames };
}

function flags(n: number, ids: number[], index: Map<number, number>): Uint8Array {
  const out = new Uint8Array(n);
  for (const id of ids) out[index.get(id)!] = 1;
  return out;
}

/** Partitions in CSR form; the topic filter must name at least one topic of the snapshot. */
export function partitionTable(
  snap: ClusterSnapshot,
  o: PlanOptions,
  brokerIndex: Map<number, number>,
): PartitionTable {
  const parts = snap.partitions;
  const nP = parts.length;
  const off = new Int32Array(nP + 1);
  for (let p = 0; p < nP; p++) off[p + 1] = off[p]! + parts[p]!.replicas.length;
  const t: PartitionTable = {
    topics: [],
    pTopic: new Int32Array(nP),
    pNum: new Int32Array(nP),
    size: new Float64Array(nP),
    off,
    rep: new Int32Array(off[nP]!),
    movable: new Uint8Array(nP),
    tie: new Uint32Array(nP),
  };
  const topicIdx = new Map<string, number>();
  const topicHash: number[] = [];
  const allowed = o.topics ? new Set(o.topics) : undefined;
  for (let p = 0; p < nP; p++) {
    const sp = parts[p]!;
    let ti = topicIdx.get(sp.topic);
    if (ti === undefined) {
      ti = t.topics.length;
      topicIdx.set(sp.topic, ti);
      t.topics.push(sp.topic);
      topicHash.push(hashString(sp.topic));
    }
    t.pTopic[p] = ti;
    t.pNum[p] = sp.partition;
    t.size[p] = sp.sizeBytes;
    t.movable[p] = allowed === undefined || allowed.has(sp.topic) ? 1 : 0;
    // Keyed on the topic's name and the partition number: independent of the snapshot's order.
    t.tie[p] = mix32(mix32(sp.partition, topicHash[ti]!), o.seed);
    const o0 = off[p]!;
    for (let j = 0; j < sp.replicas.length; j++) t.rep[o0 + j] = brokerIndex.get(sp.replicas[j]!)!;
  }
  if (allowed && ![...allowed].some((x) => topicIdx.has(x))) {
    throw usageError(`--topics: none of ${[...allowed].join(', ')} is in the snapshot`);
  }
  return t;
}
