import type { Reassignment } from '../domain/reassignment.js';

// The format (types, parser, formatter, applying a plan to a snapshot) is domain/reassignment.ts,
// the one parser every reader calls; re-exported here for the planner's callers.
export {
  applyReassignment,
  formatReassignment,
  parseReassignment,
  type Reassignment,
  type ReassignmentPartition,
  readReassignmentFile,
} from '../domain/reassignment.js';

/** What a plan changes in one partition (the planner's `PartitionChange` has these fields). */
interface ChangedPartition {
  topic: string;
  partition: number;
  current: number[];
  target: number[];
}

/** The reassignment for a plan's changes: only partitions that change, log dirs "any". */
export function toReassignment(changes: readonly ChangedPartition[]): Reassignment {
  return {
    version: 1,
    partitions: changes.map((c) => ({
      topic: c.topic,
      partition: c.partition,
      replicas: c.target,
      log_dirs: c.target.map(() => 'any'),
    })),
  };
}

/** The current assignment of the same partitions: applying it rolls the plan back. */
export function toRollback(changes: readonly ChangedPartition[]): Reassignment {
  return {
    version: 1,
    partitions: changes.map((c) => ({
      topic: c.topic,
      partition: c.partition,
      replicas: c.current,
      log_dirs: c.current.map(() => 'any'),
    })),
  };
}
