/**
 * Explicit `log_dirs` in a reassignment (Kafka's format: one entry per replica, "any" or an
 * absolute path). `validateReassignment` checks the shape; this checks each path against the log
 * dirs the target broker has (from a snapshot, or live from DescribeLogDirs in the executor), and
 * lists the per-replica dir targets an executor must reach.
 */
import { badInput } from '../core/errors.js';
import type { Reassignment, ReassignmentPartition } from './reassignment-types.js';

/** One replica that must end in a given log dir. */
export interface LogDirTarget {
  topic: string;
  partition: number;
  broker: number;
  dir: string;
}

/**
 * Throws (exit 65, naming the file and `partitions[i].log_dirs[j]`) for an explicit dir that the
 * replica's broker does not have. `dirsOf` returns a broker's dirs, or undefined when unknown
 * (`strict`: an unknown broker's dirs are an error too, as live, where every broker answers).
 */
export function checkLogDirTargets(
  r: Reassignment,
  dirsOf: (broker: number) => readonly string[] | undefined,
  file: string,
  strict = false,
): void {
  r.partitions.forEach((p, i) => {
    p.log_dirs?.forEach((d, j) => {
      if (d === 'any') return;
      const b = p.replicas[j]!;
      const dirs = dirsOf(b);
      if (dirs === undefined && !strict) return;
      if (!dirs?.includes(d))
        throw badInput(
          file,
          `partitions[${i}].log_dirs[${j}]`,
          dirs?.length
            ? `"any" or a log dir of broker ${b} (${dirs.join(', ')})`
            : `"any" (the log dirs of broker ${b} are unknown)`,
          JSON.stringify(d),
        );
    });
  });
}

/** Every explicit (non-"any") dir of a plan as a per-replica target. */
export function logDirTargets(r: Reassignment): LogDirTarget[] {
  const out: LogDirTarget[] = [];
  for (const p of r.partitions)
    p.log_dirs?.forEach((d, j) => {
      if (d !== 'any') out.push({ topic: p.topic, partition: p.partition, broker: p.replicas[j]!, dir: d });
    });
  return out;
}

/**
 * The replica dirs of a partition once the plan applies: an explicit target, else the dir the
 * replica already had on that broker, else null (Kafka picks). Undefined when nothing is known.
 */
export function appliedLogDirs(
  before: { replicas: readonly number[]; logDirs?: ReadonlyArray<string | null> },
  p: ReassignmentPartition,
): Array<string | null> | undefined {
  const explicit = p.log_dirs?.some((d) => d !== 'any') ?? false;
  if (!before.logDirs && !explicit) return undefined;
  return p.replicas.map((b, j) => {
    const d = p.log_dirs?.[j];
    if (d !== undefined && d !== 'any') return d;
    const k = before.replicas.indexOf(b);
    return k >= 0 ? (before.logDirs?.[k] ?? null) : null;
  });
}
