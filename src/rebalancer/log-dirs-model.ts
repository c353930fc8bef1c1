/**
 * The model of intra-broker balance (log-dirs.ts): per JBOD broker its dirs (capacity weight,
 * online), the replicas it holds after the inter-broker plan with their current and planned dir,
 * and the dir-level report (utilisation before and after, spread, bytes moved, lower bound).
 */
import type { ClusterSnapshot } from '../domain/snapshot.js';
import { sameVolume } from '../monitors/volumes.js';

/** A replica on a JBOD broker: partition index, size, original dir (−1: new) and planned dir. */
export interface DirReplica {
  p: number;
  size: number;
  orig: number;
  dir: number;
  /** May not move between dirs (another topic under `--topics`, or `--light`). */
  fixed?: boolean;
}

/** One JBOD broker's dirs and replicas. */
export interface BrokerDirs {
  id: number;
  paths: string[];
  online: boolean[];
  /** Capacity weights: totalBytes when every online dir reports it, else 1 each. */
  w: number[];
  /** Whether `w` are real byte capacities. */
  capacityKnown: boolean;
  loadBefore: number[];
  load: number[];
  replicas: DirReplica[];
  /** Sorted replica lists per (dir, placed-in-step-1), kept in step with moves. */
  sorted: Map<number, DirReplica[]>;
  /** Replicas this pass moved away from their original dir (candidates to go back at no cost). */
  displaced: Set<DirReplica>;
}

/** Dir-level utilisation before and after, for the report's table. */
export interface DirFigures {
  broker: number;
  path: string;
  online: boolean;
  capacityBytes: number | null;
  bytesBefore: number;
  bytesAfter: number;
  /** bytes / capacity; null when the dirs report no capacity. */
  utilisationBefore: number | null;
  utilisationAfter: number | null;
}

/** The dir part of the plan report. */
export interface LogDirReport {
  /** The band s: each dir within [(2 − s)·μ, s·μ] of its broker's mean utilisation μ. */
  band: number;
  /** Brokers balanced (two or more online dirs, every replica's dir known). */
  brokers: number;
  met: boolean;
  /** max over brokers of (fullest dir's utilisation / the broker's mean). */
  spread: { before: number; after: number };
  /** Replicas moved between dirs of a broker, and their bytes. */
  moves: number;
  movedBytes: number;
  /** Bytes that must leave their dir for any plan reaching the same fullest dir per broker. */
  lowerBoundBytes: number;
  /** New replicas given an explicit dir (no extra copy). */
  placements: number;
  dirs: DirFigures[];
  warnings: string[];
}

/** The JBOD brokers of a snapshot, with the replicas they hold after `changes`. */
export function brokerDirs(
  snap: ClusterSnapshot,
  changes: ReadonlyArray<{ topic: string; partition: number; target: number[] }>,
): { brokers: BrokerDirs[]; warnings: string[] } {
  const byId = new Map<number, BrokerDirs>();
  for (const b of snap.brokers) {
    const dirs = b.logDirs ?? [];
    const online = dirs.map((d) => d.error === undefined);
    if (online.filter(Boolean).length < 2) continue;
    const known = dirs.every((d, i) => !online[i] || (d.totalBytes ?? 0) > 0);
    byId.set(b.id, {
      id: b.id,
      paths: dirs.map((d) => d.path),
      online,
      w: dirs.map((d) => (known ? (d.totalBytes ?? 1) : 1)),
      capacityKnown: known,
      loadBefore: dirs.map(() => 0),
      load: dirs.map(() => 0),
      replicas: [],
      sorted: new Map(),
      displaced: new Set(),
    });
  }
  const unknown = new Set<number>();
  if (byId.size === 0) return { brokers: [], warnings: [] };
  if (!snap.partitions.some((p) => p.logDirs))
    return {
      brokers: [],
      warnings: [
        'the snapshot lists several log dirs per broker but not which dir holds each replica (partitions[].logDirs): log dirs not balanced; capture it again with `streamctl kafka snapshot`',
      ],
    };
  const targets = new Map<string, number[]>();
  for (const c of changes) targets.set(`${c.topic}\u0000${c.partition}`, c.target);
  snap.partitions.forEach((p, i) => {
    p.replicas.forEach((b, k) => {
      const bd = byId.get(b);
      const d = p.logDirs?.[k];
      const at = bd && d ? bd.paths.indexOf(d) : -1;
      if (bd && at >= 0) bd.loadBefore[at]! += p.sizeBytes;
      else if (bd) unknown.add(b);
    });
    const target = targets.get(`${p.topic}\u0000${p.partition}`) ?? p.replicas;
    for (const b of target) {
      const bd = byId.get(b);
      if (!bd) continue;
      const k = p.replicas.indexOf(b);
      const orig = k >= 0 && p.logDirs?.[k] ? bd.paths.indexOf(p.logDirs[k]!) : -1;
      // A kept replica in an offline dir cannot be moved by us: leave the broker alone.
      if (k >= 0 && (orig < 0 || !bd.online[orig])) unknown.add(b);
      if (orig >= 0) bd.load[orig]! += p.sizeBytes;
      bd.replicas.push({ p: i, size: p.sizeBytes, orig, dir: orig });
    }
  });
  const warnings = [...unknown]
    .sort((a, b) => a - b)
    .map((b) => `broker ${b}: some replicas' log dirs are unknown or offline; its dirs are not balanced`);
  return {
    brokers: [...byId.values()].filter((bd) => !unknown.has(bd.id)),
    warnings: [...warnings, ...sharedVolumes(snap)],
  };
}

/** Brokers whose dirs look like one filesystem (monitors/volumes.ts): balancing them frees no disk. */
function sharedVolumes(snap: ClusterSnapshot): string[] {
  const out: string[] = [];
  for (const b of snap.brokers) {
    const dirs = (b.logDirs ?? []).filter((d) => d.error === undefined);
    const shared = dirs.filter((d, i) => dirs.some((e, j) => j !== i && sameVolume(d, e)));
    if (shared.length > 1)
      out.push(
        `broker ${b.id}: log dirs ${shared.map((d) => d.path).join(', ')} look like one volume (same total and usable bytes): balancing them evens the dirs but frees no disk`,
      );
  }
  return out;
}

/** The report, from the balanced brokers and the dir moves. */
export function dirsReport(
  brokers: readonly BrokerDirs[],
  band: number,
  moves: ReadonlyArray<{ from: string | null; bytes: number }>,
  warnings: string[],
): LogDirReport {
  const dirs: DirFigures[] = [];
  let before = 1;
  let after = 1;
  let lb = 0;
  const missed: number[] = [];
  for (const bd of brokers) {
    const on = [...bd.paths.keys()].filter((d) => bd.online[d]);
    const wsum = on.reduce((s, d) => s + bd.w[d]!, 0);
    const spreadOf = (load: number[]) => {
      const mu = on.reduce((s, d) => s + load[d]!, 0) / wsum;
      return mu > 0 ? Math.max(...on.map((d) => load[d]! / bd.w[d]!)) / mu : 1;
    };
    before = Math.max(before, spreadOf(bd.loadBefore));
    const sAfter = spreadOf(bd.load);
    after = Math.max(after, sAfter);
    const mu = on.reduce((s, d) => s + bd.load[d]!, 0) / wsum;
    const out = (d: number) => {
      const x = bd.load[d]!;
      return x > band * mu * bd.w[d]! + 0.5 || x < (2 - band) * mu * bd.w[d]! - 0.5;
    };
    if (on.some(out)) missed.push(bd.id);
    // Kept bytes above the fullest dir's final utilisation must leave their dir, whatever the plan.
    const maxUtil = Math.max(...on.map((d) => bd.load[d]! / bd.w[d]!));
    const kept = bd.paths.map(() => 0);
    for (const r of bd.replicas) if (r.orig >= 0) kept[r.orig]! += r.size;
    for (const d of on) lb += Math.max(0, kept[d]! - maxUtil * bd.w[d]!);
    bd.paths.forEach((path, d) => {
      const cap = bd.capacityKnown && bd.online[d] ? bd.w[d]! : null;
      dirs.push({
        broker: bd.id,
        path,
        online: bd.online[d]!,
        capacityBytes: cap,
        bytesBefore: bd.loadBefore[d]!,
        bytesAfter: bd.load[d]!,
        utilisationBefore: cap ? bd.loadBefore[d]! / cap : null,
        utilisationAfter: cap ? bd.load[d]! / cap : null,
      });
    });
  }
  const intra = moves.filter((m) => m.from !== null);
  if (missed.length)
    warnings.push(
      `log dirs of broker(s) ${missed.join(', ')} could not be brought within max/mean ≤ ${band} (replicas too few or too large to split evenly)`,
    );
  return {
    band,
    brokers: brokers.length,
    met: missed.length === 0,
    spread: { before, after },
    moves: intra.length,
    movedBytes: intra.reduce((s, m) => s + m.bytes, 0),
    lowerBoundBytes: Math.round(lb),
    placements: moves.length - intra.length,
    dirs,
    warnings,
  };
}
