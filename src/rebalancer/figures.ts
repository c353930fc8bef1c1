import { type LowerBound, lowerBound, movedOverLowerBound } from './lower-bound.js';
import { isChanged, type Model } from './model.js';

/** A figure before and after the plan. */
export interface BeforeAfter {
  before: number;
  after: number;
}

/**
 * The plan figures of docs/design.md §3 that come from the assignment itself (duration and batches are
 * added by the caller once the plan is batched).
 */
export interface AssignmentFigures {
  partitionsChanged: number;
  /** Replicas placed on a broker that did not hold them (each copies the partition's bytes). */
  replicaMoves: number;
  /** Partitions whose replica set is unchanged but whose order (preferred leader) changes. */
  leaderOnlyChanges: number;
  movedBytes: number;
  lowerBoundBytes: number;
  /** movedBytes / lowerBoundBytes (1.0 = optimal; null when LB is 0 but bytes moved). */
  movedOverLowerBound: number | null;
  /** max / mean of utilisation (used / capacity); the mean is Σ used / Σ capacity. */
  utilisationSpread: BeforeAfter;
  /** max / mean of replicas per unit of capacity. */
  replicaCountSpread: BeforeAfter;
  /** max / mean of preferred leaders per broker. */
  leaderSpread: BeforeAfter;
  /** The achieved utilisation band used by the lower bound. */
  lowerBound: LowerBound;
}

/** Per-broker figures for the report's table. */
export interface BrokerFigures {
  id: number;
  rack: string | null;
  capacityBytes: number | null;
  status: 'kept' | 'added' | 'removed';
  bytesBefore: number;
  bytesAfter: number;
  utilisationBefore: number;
  utilisationAfter: number;
  replicasBefore: number;
  replicasAfter: number;
  leadersBefore: number;
  leadersAfter: number;
}

/**
 * Spread = max over brokers of value/weight, divided by Σ value / Σ weight. 1.0 is perfectly even;
 * an empty cluster counts as even.
 */
export function spread(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  include: (b: number) => boolean,
): number {
  let sum = 0;
  let wsum = 0;
  let max = 0;
  for (let b = 0; b < values.length; b++) {
    if (!include(b)) continue;
    const v = values[b]!;
    const w = weights[b]!;
    sum += v;
    wsum += w;
    if (v / w > max) max = v / w;
  }
  if (sum <= 0 || wsum <= 0) return 1;
  return max / (sum / wsum);
}

/** Computes the assignment figures of a planned model against its snapshot. */
export function assignmentFigures(m: Model): AssignmentFigures {
  let changed = 0;
  let moves = 0;
  let leaderOnly = 0;
  let bytes = 0;
  for (let p = 0; p < m.nP; p++) {
    if (!isChanged(m, p)) continue;
    changed++;
    let added = 0;
    for (let i = m.off[p]!; i < m.off[p + 1]!; i++) {
      let was = false;
      for (let j = m.off[p]!; j < m.off[p + 1]!; j++) if (m.orig[j] === m.rep[i]) was = true;
      if (!was) added++;
    }
    if (added === 0) leaderOnly++;
    moves += added;
    bytes += added * m.size[p]!;
  }
  const all = () => true;
  const kept = (b: number) => m.removed[b] === 0;
  const ones = new Float64Array(m.nB).fill(1);
  const lb = lowerBound({ loadBefore: m.load0, loadAfter: m.load, capacity: m.cap, removed: m.removed });
  return {
    partitionsChanged: changed,
    replicaMoves: moves,
    leaderOnlyChanges: leaderOnly,
    movedBytes: bytes,
    lowerBoundBytes: lb.bytes,
    movedOverLowerBound: movedOverLowerBound(bytes, lb.bytes),
    utilisationSpread: { before: spread(m.load0, m.cap, all), after: spread(m.load, m.cap, kept) },
    replicaCountSpread: { before: spread(m.count0, m.cap, all), after: spread(m.count, m.cap, kept) },
    leaderSpread: { before: spread(m.leaders0, ones, all), after: spread(m.leaders, ones, kept) },
    lowerBound: lb,
  };
}

/** Per-broker before/after figures. */
export function brokerFigures(m: Model): BrokerFigures[] {
  const out: BrokerFigures[] = [];
  for (let b = 0; b < m.nB; b++) {
    const r = m.rack[b]!;
    out.push({
      id: m.brokerId[b]!,
      rack: r >= 0 ? m.rackNames[r]! : null,
      capacityBytes: Number.isFinite(m.limit[b]!) ? m.cap[b]! : null,
      status: m.removed[b] ? 'removed' : m.added[b] ? 'added' : 'kept',
      bytesBefore: m.load0[b]!,
      bytesAfter: m.load[b]!,
      utilisationBefore: m.load0[b]! / m.cap[b]!,
      utilisationAfter: m.load[b]! / m.cap[b]!,
      replicasBefore: m.count0[b]!,
      replicasAfter: m.count[b]!,
      leadersBefore: m.leaders0[b]!,
      leadersAfter: m.leaders[b]!,
    });
  }
  return out.sort((x, y) => x.id - y.id);
}
