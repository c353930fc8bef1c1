/** The inputs of batching (batching.ts) that its scheduler (batch-schedule.ts) shares. */

/** How to cut a plan into batches (defaults as Cruise Control's executor). */
export interface BatchingOptions {
  /**
   * Concurrent replica moves a broker takes part in: as destination or source (as Cruise Control
   * counts), and as the partition's current leader, which serves the copy (followers fetch from
   * the leader) even when it keeps its replica.
   */
  maxPerBroker: number;
  /** Concurrent replica moves in the cluster. */
  maxInCluster: number;
  /** Split a partition that changes k replicas into k steps of one replica each. */
  oneReplicaAtATime: boolean;
  /** Smaller partitions first (finish many quickly) or larger first (longest work early). */
  order: 'small-first' | 'large-first';
}

/**
 * One reassignment the executor submits: partition `topic-partition` goes from `from` to
 * `replicas`. `adding` are the destinations (follower throttled replicas), `from` the current
 * replicas (leader throttled replicas). A partition split into steps has step 1..steps, and step
 * i+1 is always in a later batch than step i.
 */
export interface BatchMove {
  topic: string;
  partition: number;
  from: number[];
  replicas: number[];
  adding: number[];
  removing: number[];
  sizeBytes: number;
  /** Bytes copied: sizeBytes × adding.length. */
  bytes: number;
  step: number;
  steps: number;
}
