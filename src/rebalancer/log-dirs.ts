/**
 * Intra-broker (JBOD) balance, run after the inter-broker plan in the same plan (pure: no I/O, no
 * clock, no randomness). For every broker with two or more online log dirs and a known dir for
 * each replica it keeps:
 *
 *   1. replicas the plan brings to the broker are placed first, largest first, each in the dir
 *      with the lowest utilisation after taking it: they are copied anyway, so placing them costs
 *      no extra byte;
 *   2. then, while a dir is outside the band [(2 − s)·μ, s·μ] (μ = the broker's bytes / capacity),
 *      a replica moves from the most to the least utilised dir, sized to the gap (largest ≤ gap,
 *      else the smallest above it), replicas placed in step 1 before replicas already there, and
 *      only when the band penalty (bytes outside the band) strictly drops — so nothing moves
 *      between dirs already in the band, and the loop ends.
 *
 * Dir capacity is `totalBytes` when every online dir of the broker reports it, else the dirs
 * count as equal. Offline dirs (`error`) take nothing; a broker with a replica of unknown dir is
 * left alone and named in the warnings.
 */
import type { ClusterSnapshot } from '../domain/snapshot.js';
import {
  type BrokerDirs,
  brokerDirs,
  type DirReplica,
  dirsReport,
  type LogDirReport,
} from './log-dirs-model.js';

export type { DirFigures, LogDirReport } from './log-dirs-model.js';

/** A change of the inter-broker plan, as far as dirs care. */
export interface TargetChange {
  topic: string;
  partition: number;
  target: number[];
}

/** One replica's dir decision: a new replica's placement (`from: null`) or a move between dirs. */
export interface DirMove {
  topic: string;
  partition: number;
  broker: number;
  /** The dir it is in now; null for a replica the plan brings to the broker. */
  from: string | null;
  to: string;
  /** Bytes copied between dirs (0 for a placement: the inter-broker move copies it anyway). */
  bytes: number;
  reason: string;
}

/** The dir part of a plan. */
export interface LogDirPlan {
  /** Per partition (snapshot index), its target replicas' log dirs ("any" where Kafka may pick). */
  logDirs: Map<number, string[]>;
  /** Per partition (snapshot index), its current replicas' dirs (for the rollback plan). */
  rollbackDirs: Map<number, string[]>;
  moves: DirMove[];
  report: LogDirReport;
}

/** What the dir pass may do, from the plan's options. */
export interface DirOptions {
  /** The band s (e.g. 1.03). */
  band: number;
  /** No dir pass at all (Express: MSK manages storage). */
  off?: boolean;
  /** Only place new replicas; move none already on a broker (`--light`: nothing else moves). */
  placeOnly?: boolean;
  /** Only replicas of these topics may move between dirs (`--topics`). */
  topics?: readonly string[];
}

/** Balances each JBOD broker's dirs after the inter-broker changes. */
export function planLogDirs(
  snap: ClusterSnapshot,
  changes: readonly TargetChange[],
  o: DirOptions,
): LogDirPlan {
  const band = o.band;
  const { brokers, warnings } = o.off ? { brokers: [], warnings: [] } : brokerDirs(snap, changes);
  const topics = o.topics ? new Set(o.topics) : undefined;
  const moves: DirMove[] = [];
  for (const bd of brokers) {
    // Replicas already on the broker that may not move stay out of the candidate lists.
    for (const r of bd.replicas)
      if (r.orig >= 0 && (o.placeOnly || (topics && !topics.has(snap.partitions[r.p]!.topic))))
        r.fixed = true;
    placeNew(bd);
    balance(bd, band);
    for (const r of bd.replicas) {
      if (r.dir === r.orig) continue;
      const p = snap.partitions[r.p]!;
      const from = r.orig < 0 ? null : bd.paths[r.orig]!;
      const to = bd.paths[r.dir]!;
      moves.push({
        topic: p.topic,
        partition: p.partition,
        broker: bd.id,
        from,
        to,
        bytes: from === null ? 0 : r.size,
        reason:
          from === null ? `log dir: new replica on ${bd.id} → ${to}` : `log dir on ${bd.id}: ${from} → ${to}`,
      });
    }
  }
  const { logDirs, rollbackDirs } = planDirs(snap, changes, moves);
  return { logDirs, rollbackDirs, moves, report: dirsReport(brokers, band, moves, warnings) };
}

/** Step 1: new replicas, largest first, each to the dir with the lowest utilisation after it. */
function placeNew(bd: BrokerDirs): void {
  const fresh = bd.replicas.filter((r) => r.orig < 0).sort((a, b) => b.size - a.size || a.p - b.p);
  for (const r of fresh) {
    let best = -1;
    for (let d = 0; d < bd.paths.length; d++) {
      if (!bd.online[d]) continue;
      if (best < 0 || (bd.load[d]! + r.size) / bd.w[d]! < (bd.load[best]! + r.size) / bd.w[best]!) best = d;
    }
    r.dir = best;
    bd.load[best]! += r.size;
  }
}

/** Bytes outside the band of dir d at load x. */
function pen(bd: BrokerDirs, d: number, x: number, mu: number, s: number): number {
  const hi = s * mu * bd.w[d]!;
  const lo = (2 - s) * mu * bd.w[d]!;
  return x > hi ? x - hi : x < lo ? lo - x : 0;
}

/** Step 2: moves from the most to the least utilised dirs while the band penalty drops. */
function balance(bd: BrokerDirs, s: number): void {
  const online = [...bd.paths.keys()].filter((d) => bd.online[d]);
  const total = online.reduce((t, d) => t + bd.load[d]!, 0);
  const mu = total / online.reduce((t, d) => t + bd.w[d]!, 0);
  const util = (d: number) => bd.load[d]! / bd.w[d]!;
  // Each accepted move lowers the penalty by at least half a byte: the loop is finite; the cap
  // is a safety net.
  for (let guard = 0; guard < 4 * bd.replicas.length + 16; guard++) {
    const byUtil = [...online].sort((a, b) => util(b) - util(a) || a - b);
    let moved = false;
    for (const a of byUtil) {
      for (const b of [...byUtil].reverse()) {
        if (util(b) >= util(a)) break;
        const r = pick(bd, a, b, mu, s);
        if (!r) continue;
        relist(bd, r, a, b);
        bd.load[a]! -= r.size;
        bd.load[b]! += r.size;
        r.dir = b;
        if (r.orig >= 0 && r.dir !== r.orig) bd.displaced.add(r);
        else bd.displaced.delete(r);
        moved = true;
        break;
      }
      if (moved) break;
    }
    if (!moved) return;
  }
}

/** The replica of dir a to move to b that lowers the band penalty, or undefined. */
function pick(bd: BrokerDirs, a: number, b: number, mu: number, s: number): DirReplica | undefined {
  const before = pen(bd, a, bd.load[a]!, mu, s) + pen(bd, b, bd.load[b]!, mu, s);
  if (before <= 0.5) return undefined;
  const gap = Math.min(bd.load[a]! - mu * bd.w[a]!, mu * bd.w[b]! - bd.load[b]!);
  if (gap <= 0) return undefined;
  const gain = (r: DirReplica) =>
    before - pen(bd, a, bd.load[a]! - r.size, mu, s) - pen(bd, b, bd.load[b]! + r.size, mu, s);
  // Replicas placed in step 1 move for free; replicas already in the dir cost their size.
  for (const free of [true, false]) {
    const list = sortedIn(bd, a, free);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.size <= gap) lo = mid + 1;
      else hi = mid;
    }
    // Prefer a replica going back to where it was (no copy at all): few have left home.
    if (!free)
      for (const r of bd.displaced) if (r.dir === a && r.orig === b && !r.fixed && gain(r) > 0.5) return r;
    for (const r of [list[lo - 1], list[lo]]) if (r && gain(r) > 0.5) return r;
  }
  return undefined;
}

/** Dir d's replicas (placed in step 1, or not), by (size, partition); kept in step with moves. */
function sortedIn(bd: BrokerDirs, d: number, free: boolean): DirReplica[] {
  const key = 2 * d + (free ? 1 : 0);
  let list = bd.sorted.get(key);
  if (!list) {
    list = bd.replicas
      .filter((r) => r.dir === d && r.orig < 0 === free && r.size > 0 && !r.fixed)
      .sort((x, y) => x.size - y.size || x.p - y.p);
    bd.sorted.set(key, list);
  }
  return list;
}

/** Where r sits (or would sit) in a list sorted by (size, partition). */
function slot(list: readonly DirReplica[], r: DirReplica): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const x = list[mid]!;
    if (x.size < r.size || (x.size === r.size && x.p < r.p)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Moves r from dir a's sorted list to dir b's. */
function relist(bd: BrokerDirs, r: DirReplica, a: number, b: number): void {
  if (r.size <= 0) return;
  const from = sortedIn(bd, a, r.orig < 0);
  const to = sortedIn(bd, b, r.orig < 0);
  from.splice(slot(from, r), 1);
  to.splice(slot(to, r), 0, r);
}

/** The plan's log_dirs entries (and the rollback's) for the partitions with a dir decision. */
function planDirs(
  snap: ClusterSnapshot,
  changes: readonly TargetChange[],
  moves: readonly DirMove[],
): { logDirs: Map<number, string[]>; rollbackDirs: Map<number, string[]> } {
  const index = new Map<string, number>();
  snap.partitions.forEach((p, i) => {
    index.set(`${p.topic}\u0000${p.partition}`, i);
  });
  const targets = new Map<number, number[]>();
  for (const c of changes) targets.set(index.get(`${c.topic}\u0000${c.partition}`)!, c.target);
  const logDirs = new Map<number, string[]>();
  const rollbackDirs = new Map<number, string[]>();
  for (const m of moves) {
    const i = index.get(`${m.topic}\u0000${m.partition}`)!;
    const p = snap.partitions[i]!;
    const target = targets.get(i) ?? p.replicas;
    const dirs = logDirs.get(i) ?? target.map(() => 'any');
    dirs[target.indexOf(m.broker)] = m.to;
    logDirs.set(i, dirs);
    if (m.from !== null) {
      const back = rollbackDirs.get(i) ?? p.replicas.map(() => 'any');
      back[p.replicas.indexOf(m.broker)] = m.from;
      rollbackDirs.set(i, back);
    }
  }
  return { logDirs, rollbackDirs };
}
