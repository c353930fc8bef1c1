import { canMove, fitsCapacity, leavesRackShort } from '../constraints.js';
import { type Model, slotOf } from '../model.js';
import { type Band, penalty, transferDelta } from './band.js';
import { moveReplica } from './rack-aware-move.js';
import type { BrokerTraffic } from './traffic.js';
import type { GoalContext, Throughput } from './types.js';

export type { BrokerTraffic } from './traffic.js';
export type { Throughput } from './types.js';

/**
 * MSK Express goal: bytes in + out per second per broker (CloudWatch BytesInPerSec and
 * BytesOutPerSec, read by the I/O stage and passed in as data), within the band around the mean.
 * Express has no disk to balance, and throughput is what limits its brokers.
 *
 * CloudWatch gives per-broker totals only, so each replica carries an estimate: the broker's
 * traffic shared over its replicas by size (bytes on disk follow bytes written under time-based
 * retention), or evenly when the broker reports no sizes; a partition's estimate is the mean over
 * the brokers that held it. Moving a replica moves its estimate.
 */

/** Builds the estimates; undefined when no broker of the model has traffic figures. */
export function throughputOf(m: Model, traffic: BrokerTraffic[], spread: number): Throughput | undefined {
  const rate = new Float64Array(m.nB).fill(Number.NaN);
  for (const t of traffic) {
    const b = m.brokerIndex.get(t.id);
    if (b !== undefined) rate[b] = Math.max(0, t.bytesInPerSec) + Math.max(0, t.bytesOutPerSec);
  }
  if (rate.every((r) => Number.isNaN(r))) return undefined;
  const weight = new Float64Array(m.nP);
  for (let p = 0; p < m.nP; p++) {
    let sum = 0;
    let n = 0;
    for (let i = m.off[p]!; i < m.off[p + 1]!; i++) {
      const b = m.orig[i]!;
      if (Number.isNaN(rate[b]!)) continue;
      sum += m.load0[b]! > 0 ? (rate[b]! * m.size[p]!) / m.load0[b]! : rate[b]! / Math.max(1, m.count0[b]!);
      n++;
    }
    weight[p] = n ? sum / n : 0;
  }
  const now = new Float64Array(m.nB);
  for (let p = 0; p < m.nP; p++)
    for (let i = m.off[p]!; i < m.off[p + 1]!; i++) now[m.rep[i]!]! += weight[p]!;
  return { weight, now, before: now.slice(), band: band(m, now, spread) };
}

function band(m: Model, now: Float64Array, spread: number): Band {
  let total = 0;
  let cap = 0;
  for (let b = 0; b < m.nB; b++) {
    total += now[b]!;
    if (m.removed[b] === 0) cap += m.cap[b]!;
  }
  const lower = new Float64Array(m.nB);
  const upper = new Float64Array(m.nB);
  for (let b = 0; b < m.nB; b++) {
    if (m.removed[b] === 1) continue;
    const t = (total * m.cap[b]!) / cap;
    upper[b] = spread * t;
    lower[b] = (2 - spread) * t;
  }
  return { lower, upper };
}

/**
 * Brings each broker's estimated bytes in + out into the band: the busiest broker gives the
 * replica that best closes the gap to the least busy broker that can take it, never raising the
 * replica-count penalty (partitions per broker come first on Express) and never leaving a moved
 * partition rack-short. Returns the moves made.
 */
export function balanceThroughput(ctx: GoalContext, tp: Throughput, counts: Band): number {
  const { m } = ctx;
  let moves = 0;
  const stuck = new Uint8Array(m.nB);
  for (let guard = 0; guard < 4 * m.nP + 1000; guard++) {
    let a = -1;
    let worst = 0;
    for (let b = 0; b < m.nB; b++) {
      const over = stuck[b] || !ctx.srcAllowed[b] ? 0 : tp.now[b]! - tp.band.upper[b]!;
      if (over > worst) {
        worst = over;
        a = b;
      }
    }
    if (a < 0) break;
    const dests: number[] = [];
    for (let b = 0; b < m.nB; b++) if (b !== a && ctx.destAllowed[b] === 1) dests.push(b);
    dests.sort((x, y) => tp.now[x]! - tp.now[y]! || x - y);
    if (dests.some((b) => shed(ctx, tp, counts, a, b))) moves++;
    else stuck[a] = 1;
  }
  return moves;
}

function shed(ctx: GoalContext, tp: Throughput, counts: Band, a: number, b: number): boolean {
  const { m } = ctx;
  if (transferDelta(counts, a, m.count[a]!, b, m.count[b]!, 1) > 0) return exchange(ctx, tp, a, b);
  let best = -1;
  let bestDelta = -1e-9 * (tp.band.upper[a]! + 1);
  for (const p of ctx.idx.all(a)) {
    const w = tp.weight[p]!;
    if (w <= 0 || !canMove(m, p, a, b) || leavesRackShort(m, p, a, b)) continue;
    if (!fitsCapacity(m, b, m.size[p]!)) continue;
    const d = transferDelta(tp.band, a, tp.now[a]!, b, tp.now[b]!, w);
    // The largest drop in the penalty; among equal drops the fewest bytes copied.
    if (d < bestDelta || (d === bestDelta && best >= 0 && m.size[p]! < m.size[best]!)) {
      best = p;
      bestDelta = d;
    }
  }
  if (best < 0) return false;
  move(ctx, tp, best, a, b);
  return true;
}

/** Replicas of each side considered for an exchange (the busiest of a, the quietest of b). */
const EXCHANGE_SIDE = 16;

/**
 * When one more replica would push b (or leave a) outside its count band: exchange a busy
 * replica of a for a quiet one of b. Counts do not change; throughput moves by the difference.
 */
function exchange(ctx: GoalContext, tp: Throughput, a: number, b: number): boolean {
  const { m } = ctx;
  const ok = (p: number, from: number, to: number) =>
    canMove(m, p, from, to) && !leavesRackShort(m, p, from, to) && fitsCapacity(m, to, m.size[p]!);
  const byWeight = (x: number, y: number) => tp.weight[y]! - tp.weight[x]! || x - y;
  const busy = [...ctx.idx.all(a)].sort(byWeight).slice(0, EXCHANGE_SIDE);
  const quiet = [...ctx.idx.all(b)].sort(byWeight).reverse().slice(0, EXCHANGE_SIDE);
  for (const p of busy) {
    if (!ok(p, a, b)) continue;
    for (const q of quiet) {
      const dw = tp.weight[p]! - tp.weight[q]!;
      if (p === q || dw <= 0 || !ok(q, b, a)) continue;
      if (transferDelta(tp.band, a, tp.now[a]!, b, tp.now[b]!, dw) >= -1e-9 * (tp.band.upper[a]! + 1))
        continue;
      move(ctx, tp, p, a, b);
      move(ctx, tp, q, b, a);
      return true;
    }
  }
  return false;
}

/** Moves p's replica (and the repair it may need), keeping the per-broker sums in step. */
function move(ctx: GoalContext, tp: Throughput, p: number, a: number, b: number): void {
  const { m } = ctx;
  const w = tp.weight[p]!;
  const before = Array.from(m.rep.subarray(m.off[p]!, m.off[p + 1]!));
  moveReplica(ctx, p, a, b);
  for (const x of before) if (slotOf(m, p, x) < 0) tp.now[x]! -= w;
  for (let i = m.off[p]!; i < m.off[p + 1]!; i++) if (!before.includes(m.rep[i]!)) tp.now[m.rep[i]!]! += w;
}

/** Whether every remaining broker's estimate lies in the band (with a relative tolerance). */
export function throughputInBand(m: Model, tp: Throughput): boolean {
  for (let b = 0; b < m.nB; b++) {
    if (m.removed[b] === 1) continue;
    if (penalty(tp.band, b, tp.now[b]!) > 1e-9 * (tp.band.upper[b]! + 1)) return false;
  }
  return true;
}
