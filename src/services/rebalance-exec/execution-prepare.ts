/**
 * Turning a plan file into an execution: read the live cluster once (brokers and racks, ongoing
 * reassignments, the planned partitions' replicas, replica sizes), refuse on a stale plan or a
 * foreign reassignment, and cut the remaining changes into batches with the planner's batching
 * (D's planBatches: per-broker/cluster caps, one replica at a time, round-robin, small/large
 * first). The resulting state records the live "before" of every planned partition.
 */

import type { Reassignment } from '../../domain/reassignment.js';
import { checkLogDirTargets, logDirTargets } from '../../domain/reassignment-log-dirs.js';
import type { KafkaAdminPort } from '../../probes/kafka-admin/port.js';
import { type Batch, type BatchingOptions, planBatches, resolveBatching } from '../../rebalancer/batching.js';
import type { PartitionChange } from '../../rebalancer/planner.js';
import type { ExecutionState } from './execution-state.js';
import { checkPlanAgainstLive, interlockError, tpKey } from './interlocks.js';
import { emptyThrottleRecord } from './throttle-apply.js';

/** What an execution starts from. */
export interface PrepareInput {
  cluster: string;
  planFile: string;
  /** sha256 of the plan file: resuming with another plan is refused. */
  planHash: string;
  plan: Reassignment;
  /** The plan's rollback file (the assignment the planner saw), when it has one. */
  assumedBefore?: Reassignment;
  batching?: Partial<BatchingOptions>;
  throttleBytesPerSec: number | null;
  now: number;
  id: string;
}

/** Live facts the batcher needs. */
export interface LiveFacts {
  replicas: Map<string, number[]>;
  brokers: Set<number>;
  racks: Map<number, string | undefined>;
  sizes: Map<string, number>;
  /** Each answering broker's log dirs (DescribeLogDirs), to check the plan's explicit log_dirs. */
  logDirs: Map<number, string[]>;
  warnings: string[];
}

/** Reads what prepareExecution needs from the cluster; refuses foreign reassignments first. */
export async function readLiveFacts(admin: KafkaAdminPort, plan: Reassignment): Promise<LiveFacts> {
  const ongoing = await admin.listPartitionReassignments();
  if (ongoing.length) throw interlockError({ kind: 'foreign-reassignments', partitions: ongoing });
  const cluster = await admin.describeCluster();
  const topics = [...new Set(plan.partitions.map((p) => p.topic))];
  const meta = topics.length ? await admin.topicMetadata(topics) : [];
  const replicas = new Map<string, number[]>();
  for (const t of meta)
    if (!t.error) for (const p of t.partitions) replicas.set(tpKey(t.name, p.partition), p.replicas);
  const wanted = new Set(plan.partitions.map((p) => tpKey(p.topic, p.partition)));
  const sizes = new Map<string, number>();
  const warnings: string[] = [];
  const logDirs = new Map<number, string[]>();
  for (const b of await admin.describeLogDirs(cluster.brokers.map((x) => x.id))) {
    if (!b.error)
      logDirs.set(
        b.brokerId,
        b.logDirs.map((d) => d.path),
      );
    if (b.error)
      warnings.push(
        `broker ${b.brokerId}: log dirs unreadable (${b.error.name}); its replica sizes are unknown`,
      );
    for (const d of b.logDirs) {
      for (const p of d.partitions) {
        const k = tpKey(p.topic, p.partition);
        if (!p.isFuture && wanted.has(k)) sizes.set(k, Math.max(sizes.get(k) ?? 0, p.sizeBytes));
      }
    }
  }
  return {
    replicas,
    brokers: new Set(cluster.brokers.map((b) => b.id)),
    racks: new Map(cluster.brokers.map((b) => [b.id, b.rack])),
    sizes,
    logDirs,
    warnings,
  };
}

/**
 * Builds the execution state for a plan against live facts (pure), or throws the stale-plan
 * refusal naming every partition that moved, vanished or targets an unknown broker.
 */
export function buildExecutionState(input: PrepareInput, live: LiveFacts): ExecutionState {
  const check = checkPlanAgainstLive(input.plan, input.assumedBefore, live.replicas, live.brokers);
  if (check.stale.length) throw interlockError({ kind: 'stale-plan', partitions: check.stale });
  // Explicit log_dirs must name a dir the broker has (exit 65 naming the file and field).
  // A broker that did not answer is checked when its dirs are known (the dir phase waits for it).
  checkLogDirTargets(input.plan, (b) => live.logDirs.get(b), input.planFile);
  const dirTargets = logDirTargets(input.plan).map((t) => ({ ...t, inPlace: false }));
  const changes: PartitionChange[] = check.toChange.map((c) => ({
    topic: c.topic,
    partition: c.partition,
    current: c.current,
    target: c.target,
    sizeBytes: live.sizes.get(tpKey(c.topic, c.partition)) ?? 0,
    adding: c.target.filter((b) => !c.current.includes(b)),
    removing: c.current.filter((b) => !c.target.includes(b)),
  }));
  const batching = resolveBatching(input.batching);
  const batches = planBatches(changes, (b) => live.racks.get(b), batching);
  const at = new Date(input.now).toISOString();
  return {
    version: 1,
    id: input.id,
    cluster: input.cluster,
    planFile: input.planFile,
    planHash: input.planHash,
    createdAt: at,
    updatedAt: at,
    phase: 'planned',
    currentBatch: 0,
    batching,
    before: check.toChange.map((c) => ({ topic: c.topic, partition: c.partition, replicas: c.current })),
    alreadyInPlace: check.alreadyInPlace,
    batches: batches.map(toExecBatch),
    ...(dirTargets.length ? { logDirs: dirTargets } : {}),
    throttles: emptyThrottleRecord(input.throttleBytesPerSec),
    warnings: [
      ...live.warnings,
      ...(check.alreadyInPlace.length
        ? [`${check.alreadyInPlace.length} partition(s) already at their target: skipped`]
        : []),
    ],
    history: [],
  };
}

function toExecBatch(b: Batch): ExecutionState['batches'][number] {
  return {
    index: b.index,
    kind: b.kind,
    status: 'pending',
    bytes: b.bytes,
    moves: b.moves.map((m) => ({
      topic: m.topic,
      partition: m.partition,
      from: m.from,
      replicas: m.replicas,
      adding: m.adding,
      removing: m.removing,
      sizeBytes: m.sizeBytes,
      bytes: m.bytes,
      step: m.step,
      steps: m.steps,
      status: 'pending' as const,
    })),
  };
}
