import type { ClusterSnapshot } from '../domain/snapshot.js';

/** Per-broker load derived from a snapshot: what `kafka disk --json` and `kafka partitions --json` list. */
export interface BrokerLoad {
  id: number;
  rack?: string;
  /** Replicas hosted (leaders + followers). */
  partitions: number;
  leaders: number;
  /** Sum of the sizes of the replicas it hosts. */
  usedBytes: number;
  capacityBytes?: number;
  /** usedBytes / capacityBytes × 100, when capacity is known. */
  usedPercent?: number;
}

/**
 * Counts replicas, leaders and bytes per broker in one pass over the partitions (O(replicas),
 * fine for millions). Leaders are counted from `leader`; an offline partition (-1) has none.
 */
export function brokerLoads(snapshot: ClusterSnapshot): BrokerLoad[] {
  const byId = new Map<number, BrokerLoad>();
  for (const b of snapshot.brokers) {
    const load: BrokerLoad = { id: b.id, partitions: 0, leaders: 0, usedBytes: 0 };
    if (typeof b.rack === 'string') load.rack = b.rack;
    if (typeof b.capacityBytes === 'number') load.capacityBytes = b.capacityBytes;
    byId.set(b.id, load);
  }
  for (const p of snapshot.partitions) {
    for (const r of p.replicas) {
      const l = byId.get(r);
      if (!l) continue;
      l.partitions++;
      l.usedBytes += p.sizeBytes;
    }
    const leader = byId.get(p.leader);
    if (leader) leader.leaders++;
  }
  const out = [...byId.values()].sort((a, b) => a.id - b.id);
  for (const l of out) if (l.capacityBytes) l.usedPercent = (l.usedBytes / l.capacityBytes) * 100;
  return out;
}
