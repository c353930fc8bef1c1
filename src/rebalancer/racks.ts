/**
 * What the rack functions read of the planner's model (model.ts builds it and calls them, so this
 * file names the fields instead of importing the model: no import cycle).
 */
export interface RackModel {
  /** Replica offsets per partition (CSR): partition p's replicas are rep[off[p]] … rep[off[p+1]-1]. */
  off: ArrayLike<number>;
  rep: ArrayLike<number>;
  /** Rack index per broker, -1 without a rack. */
  rack: ArrayLike<number>;
  /** Racks spanned by each partition before the plan. */
  rack0: ArrayLike<number>;
  racksAvailable: number;
}

/**
 * Distinct racks among p's replicas, with broker `from` replaced by `to` (pass -1, -1 for the
 * current replicas). Brokers without a rack do not count.
 */
export function rackCount(m: RackModel, p: number, from: number, to: number): number {
  const o0 = m.off[p]!;
  const o1 = m.off[p + 1]!;
  let n = 0;
  for (let i = o0; i < o1; i++) {
    let b = m.rep[i]!;
    if (b === from) b = to;
    const r = m.rack[b]!;
    if (r < 0) continue;
    let dup = false;
    for (let j = o0; j < i; j++) {
      let c = m.rep[j]!;
      if (c === from) c = to;
      if (m.rack[c] === r) {
        dup = true;
        break;
      }
    }
    if (!dup) n++;
  }
  return n;
}

/**
 * The racks p should span: min(replicas, racks available); 0 when its replicas have no rack (no
 * rack constraint applies to it).
 */
export function rackTarget(m: RackModel, p: number): number {
  if (m.rack0[p] === 0) return 0;
  return Math.min(m.off[p + 1]! - m.off[p]!, m.racksAvailable);
}
