/** The reassignment plan's shape (reassignment.ts parses it; reassignment-log-dirs.ts checks its dirs). */

/** One partition's target assignment. */
export interface ReassignmentPartition {
  topic: string;
  partition: number;
  replicas: number[];
  log_dirs?: string[];
}

/** A whole reassignment file. */
export interface Reassignment {
  version: 1;
  partitions: ReassignmentPartition[];
}
