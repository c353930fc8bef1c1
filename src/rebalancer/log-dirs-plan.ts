/**
 * The dir decisions (log-dirs.ts) written into the plan's files: `log_dirs` of the partitions the
 * plan changes, extra entries (same replicas, other dirs) for partitions that only move between
 * dirs, the rollback's original dirs, and one reason per dir decision in the report's `moves`.
 */
import type { Reassignment, ReassignmentPartition } from '../domain/reassignment.js';
import type { ClusterSnapshot } from '../domain/snapshot.js';
import type { LogDirPlan } from './log-dirs.js';

/** A changed partition as the report lists it. */
interface Move {
  topic: string;
  partition: number;
  from: number[];
  to: number[];
  reasons: string[];
}

/** The plan, its rollback and the explained moves, with the dir decisions merged in. */
export function withLogDirs(
  snap: ClusterSnapshot,
  plan: Reassignment,
  rollback: Reassignment,
  moves: Move[],
  dirs: LogDirPlan,
): { plan: Reassignment; rollback: Reassignment; moves: Move[] } {
  if (dirs.moves.length === 0) return { plan, rollback, moves };
  const index = new Map<string, number>();
  snap.partitions.forEach((p, i) => {
    index.set(`${p.topic}\u0000${p.partition}`, i);
  });
  const at = (p: { topic: string; partition: number }) => index.get(`${p.topic}\u0000${p.partition}`)!;
  const reasons = new Map<number, string[]>();
  for (const m of dirs.moves) {
    const i = at(m);
    reasons.set(i, [...(reasons.get(i) ?? []), m.reason]);
  }
  const changed = new Set(plan.partitions.map(at));
  const dirOnly = [...dirs.logDirs.keys()].filter((i) => !changed.has(i)).sort((a, b) => a - b);
  const entry = (i: number, replicas: number[], d: string[] | undefined): ReassignmentPartition => ({
    topic: snap.partitions[i]!.topic,
    partition: snap.partitions[i]!.partition,
    replicas,
    log_dirs: d ?? replicas.map(() => 'any'),
  });
  return {
    plan: {
      version: 1,
      partitions: [
        ...plan.partitions.map((p) => entry(at(p), p.replicas, dirs.logDirs.get(at(p)))),
        ...dirOnly.map((i) => entry(i, snap.partitions[i]!.replicas, dirs.logDirs.get(i))),
      ],
    },
    rollback: {
      version: 1,
      partitions: [
        ...rollback.partitions.map((p) => entry(at(p), p.replicas, dirs.rollbackDirs.get(at(p)))),
        ...dirOnly.map((i) => entry(i, snap.partitions[i]!.replicas, dirs.rollbackDirs.get(i))),
      ],
    },
    moves: [
      ...moves.map((m) => ({ ...m, reasons: [...m.reasons, ...(reasons.get(at(m)) ?? [])] })),
      ...dirOnly.map((i) => {
        const p = snap.partitions[i]!;
        return {
          topic: p.topic,
          partition: p.partition,
          from: p.replicas,
          to: p.replicas,
          reasons: reasons.get(i)!,
        };
      }),
    ],
  };
}
