import type { Model } from '../model.js';
import type { PlanOptions } from '../options.js';

/**
 * Target bands, per broker, for the three goals. A broker is balanced when its value lies in
 * [lower, upper]; the penalty of a broker is how far outside its band it is. Every move the
 * planner makes must strictly lower the penalty of its goal without raising the penalty of a
 * higher-priority goal; that rule (a function of the current state only) is what makes the planner
 * terminate and makes re-planning its own result a no-op.
 */
export interface Band {
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Disk band: mean utilisation μ = Σ load / Σ capacity over remaining brokers; [(2−s)μ, sμ]·cap.
 * MSK Express brokers have no disk to balance (MSK manages storage): the band is unbounded, so
 * no byte moves for disk and the other goals are never held back by it.
 */
export function diskBand(m: Model, o: PlanOptions): Band & { meanUtil: number } {
  let load = 0;
  let cap = 0;
  for (let b = 0; b < m.nB; b++) {
    load += m.load[b]!;
    if (m.removed[b] === 0) cap += m.cap[b]!;
  }
  const mu = cap > 0 ? load / cap : 0;
  const lower = new Float64Array(m.nB);
  const upper = new Float64Array(m.nB);
  const express = o.brokerType === 'express';
  for (let b = 0; b < m.nB; b++) {
    if (m.removed[b] === 1) continue;
    if (express) {
      upper[b] = Number.POSITIVE_INFINITY;
      continue;
    }
    upper[b] = o.maxSpread * mu * m.cap[b]!;
    lower[b] = o.light ? 0 : Math.max(0, (2 - o.maxSpread) * mu * m.cap[b]!);
  }
  return { lower, upper, meanUtil: mu };
}

/** Replica-count band: each broker's share of replicas follows its share of capacity. */
export function countBand(m: Model, o: PlanOptions): Band {
  let total = 0;
  let cap = 0;
  for (let b = 0; b < m.nB; b++) {
    total += m.count[b]!;
    if (m.removed[b] === 0) cap += m.cap[b]!;
  }
  return intBand(m, (b) => (total * m.cap[b]!) / cap, o.countSpread);
}

/** Leader band: preferred leaders spread evenly over the remaining brokers. */
export function leaderBand(m: Model, o: PlanOptions): Band {
  let total = 0;
  let n = 0;
  for (let b = 0; b < m.nB; b++) {
    total += m.leaders[b]!;
    if (m.removed[b] === 0) n++;
  }
  return intBand(m, () => total / n, o.leaderSpread);
}

function intBand(m: Model, target: (b: number) => number, spread: number): Band {
  const lower = new Float64Array(m.nB);
  const upper = new Float64Array(m.nB);
  for (let b = 0; b < m.nB; b++) {
    if (m.removed[b] === 1) continue;
    const t = target(b);
    // Whole replicas: the widest integer band inside [t(2−s), ts], widened only as far as
    // [⌊t⌋, ⌈t⌉] when the band holds no integer (few partitions per broker).
    upper[b] = Math.max(Math.ceil(t - 1e-9), Math.floor(t * spread + 1e-9));
    lower[b] = Math.max(0, Math.min(Math.floor(t + 1e-9), Math.ceil(t * (2 - spread) - 1e-9)));
  }
  return { lower, upper };
}

/** How far value v of broker b lies outside the band. */
export function penalty(band: Band, b: number, v: number): number {
  const u = band.upper[b]!;
  const l = band.lower[b]!;
  return v > u ? v - u : v < l ? l - v : 0;
}

/** Change of the band penalty when dv moves from broker a to broker b. */
export function transferDelta(band: Band, a: number, va: number, b: number, vb: number, dv: number): number {
  return penalty(band, a, va - dv) - penalty(band, a, va) + penalty(band, b, vb + dv) - penalty(band, b, vb);
}
