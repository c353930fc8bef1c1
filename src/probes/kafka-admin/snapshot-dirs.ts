/**
 * Which log dir holds each replica, gathered during snapshot capture (snapshot-log-dirs.ts is the
 * format). Sized for 200k partitions x RF 3: one Int32Array slot per replica (partitions by the
 * capture's dense index, replicas in metadata order), dir paths interned; no per-replica strings.
 */
import type { BrokerLogDirs, TopicInfo } from './port.js';

/** Per-replica log dirs of a capture. */
export class ReplicaDirs {
  private readonly off: Int32Array;
  private readonly replicas: Int32Array;
  private readonly dir: Int32Array;
  private readonly paths: string[] = [];
  private readonly pathIds = new Map<string, number>();

  /** `base` maps a topic to the dense index of its partition 0; `total` is the partition count. */
  constructor(topics: TopicInfo[], base: ReadonlyMap<string, number>, total: number) {
    const rf = new Int32Array(total);
    for (const t of topics) {
      const b0 = base.get(t.name);
      if (t.error || b0 === undefined) continue;
      for (const p of t.partitions) rf[b0 + p.partition] = p.replicas.length;
    }
    this.off = new Int32Array(total + 1);
    for (let g = 0; g < total; g++) this.off[g + 1] = this.off[g]! + rf[g]!;
    this.replicas = new Int32Array(this.off[total]!).fill(-1);
    this.dir = new Int32Array(this.off[total]!).fill(-1);
    for (const t of topics) {
      const b0 = base.get(t.name);
      if (t.error || b0 === undefined) continue;
      for (const p of t.partitions) this.replicas.set(p.replicas, this.off[b0 + p.partition]!);
    }
  }

  /** Records where broker `broker` keeps partition `g` (current logs only, not future ones). */
  record(g: number, broker: number, path: string): void {
    let id = this.pathIds.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.pathIds.set(path, id);
    }
    for (let i = this.off[g]!; i < this.off[g + 1]!; i++) if (this.replicas[i] === broker) this.dir[i] = id;
  }

  /** Partition g's replica dirs in metadata replica order (null where unknown). */
  dirsOf(g: number): Array<string | null> {
    const out: Array<string | null> = [];
    for (let i = this.off[g]!; i < this.off[g + 1]!; i++) {
      const d = this.dir[i]!;
      out.push(d < 0 ? null : this.paths[d]!);
    }
    return out;
  }
}

/** Whether any broker has more than one log dir: only then are per-replica dirs worth recording. */
export function anyJbod(logDirs: readonly BrokerLogDirs[]): boolean {
  return logDirs.some((b) => !b.error && b.logDirs.length > 1);
}

/** Bytes of replica logs (future ones included: they occupy the disk too) per dir path. */
export function usedPerDir(entry: BrokerLogDirs): Map<string, number> {
  const used = new Map<string, number>();
  for (const d of entry.logDirs)
    used.set(
      d.path,
      d.partitions.reduce((s, p) => s + p.sizeBytes, 0),
    );
  return used;
}
