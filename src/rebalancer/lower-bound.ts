/**
 * The lower bound on bytes a plan must move (docs/design.md §3). For the band of utilisation the plan
 * achieved, [minAfter, maxAfter] over the brokers that remain:
 *
 *   LB = max( Σ_b max(0, load_b − maxAfter·cap_b),  Σ_b max(0, minAfter·cap_b − load_b) )
 *
 * with loads before the plan, and a removed broker's whole load counted as excess. Any plan that
 * reaches that band must move at least LB bytes: each broker above maxAfter must send its excess
 * and each broker below minAfter must receive its deficit. Moved bytes / LB = 1.0 means no byte
 * moved that did not have to.
 */
export interface LowerBoundInput {
  /** Bytes per broker before the plan. */
  loadBefore: ArrayLike<number>;
  /** Bytes per broker after the plan. */
  loadAfter: ArrayLike<number>;
  /** Capacity per broker (the same figure the utilisation uses). */
  capacity: ArrayLike<number>;
  /** 1 for brokers being removed. */
  removed: ArrayLike<number>;
}

/** The lower bound (bytes), with its two sums and the achieved band. */
export interface LowerBound {
  bytes: number;
  excessBytes: number;
  deficitBytes: number;
  minUtilAfter: number;
  maxUtilAfter: number;
}

/** Computes LB for a plan's before and after loads. */
export function lowerBound(i: LowerBoundInput): LowerBound {
  let minU = Number.POSITIVE_INFINITY;
  let maxU = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < i.capacity.length; b++) {
    if (i.removed[b]) continue;
    const u = i.loadAfter[b]! / i.capacity[b]!;
    if (u < minU) minU = u;
    if (u > maxU) maxU = u;
  }
  if (!Number.isFinite(minU)) minU = maxU = 0;
  let excess = 0;
  let deficit = 0;
  for (let b = 0; b < i.capacity.length; b++) {
    const load = i.loadBefore[b]!;
    if (i.removed[b]) {
      excess += load;
      continue;
    }
    excess += Math.max(0, load - maxU * i.capacity[b]!);
    deficit += Math.max(0, minU * i.capacity[b]! - load);
  }
  return {
    bytes: Math.max(excess, deficit),
    excessBytes: excess,
    deficitBytes: deficit,
    minUtilAfter: minU,
    maxUtilAfter: maxU,
  };
}

/**
 * Moved bytes / LB: 1.0 is optimal. When LB is 0 the ratio is 1 if nothing moved and null
 * (undefined) otherwise.
 */
export function movedOverLowerBound(moved: number, lb: number): number | null {
  if (lb <= 0) return moved <= 0 ? 1 : null;
  return moved / lb;
}
