/**
 * Rack figures of a plan, computed from the snapshot and the plan file only (independent of the
 * planner, so the bench measures old and new planners alike). A partition is rack-duplicated when
 * it has fewer distinct racks than it could: min(replicas, racks among the remaining brokers).
 */
import type { ClusterSnapshot } from '../src/domain/snapshot.js';
import type { Reassignment } from '../src/rebalancer/plan.js';

/** Rack-duplicated partitions before and after, and how many moved partitions stay duplicated. */
export interface RackFigures {
  before: number;
  after: number;
  movedStillViolating: number;
}

/** Counts rack-duplicated partitions before and after the plan. */
export function rackFigures(snap: ClusterSnapshot, plan: Reassignment, removed: number[]): RackFigures {
  const rack = new Map<number, string>();
  for (const b of snap.brokers) if (typeof b.rack === 'string' && b.rack) rack.set(b.id, b.rack);
  const gone = new Set(removed);
  const racks = new Set([...rack].filter(([id]) => !gone.has(id)).map(([, r]) => r)).size;
  if (racks === 0) return { before: 0, after: 0, movedStillViolating: 0 };
  const target = new Map<string, number[]>();
  for (const p of plan.partitions) target.set(`${p.topic}\u0000${p.partition}`, p.replicas);
  const dup = (rs: number[]) => new Set(rs.map((b) => rack.get(b))).size < Math.min(rs.length, racks);
  let before = 0;
  let after = 0;
  let moved = 0;
  for (const p of snap.partitions) {
    const t = target.get(`${p.topic}\u0000${p.partition}`);
    if (dup(p.replicas)) before++;
    const final = t ?? p.replicas;
    if (dup(final)) {
      after++;
      if (t?.some((b) => !p.replicas.includes(b))) moved++;
    }
  }
  return { before, after, movedStillViolating: moved };
}
