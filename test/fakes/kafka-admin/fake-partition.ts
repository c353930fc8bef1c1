/**
 * One partition of the fake cluster and the state changes Kafka applies to it: elections and
 * reassignments (KIP-455). Pure functions over the partition record, so FakeKafkaAdmin stays the
 * port and this file the Kafka behaviour it imitates.
 *
 *   stable --alter(target)--> moving --complete--> stable (replicas = target)
 *                               |  \--cancel--> stable (replicas = in-flight list minus adding)
 *                               \--alter(other target)--> moving (same original)
 */
import type { ElectionResult } from '../../../src/probes/kafka-admin/port.js';
import {
  ErrorCode,
  type KafkaErrorInfo,
  kafkaError,
} from '../../../src/probes/kafka-admin/protocol/errors.js';

/** A partition's placement, with its in-flight reassignment if any. */
export interface FakePartition {
  replicas: number[];
  leader: number;
  isr: number[];
  sizeBytes: number;
  /** Set while a reassignment is in flight; `seq` orders completions. */
  reassignment?: { target: number[]; original: number[]; seq: number };
}

const err = (code: number, message?: string) => kafkaError(code, message) as KafkaErrorInfo;
const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Replicas a reassignment adds (new logs, filled by replication). */
export function addingReplicas(p: FakePartition): number[] {
  return p.reassignment ? p.reassignment.target.filter((b) => !p.reassignment!.original.includes(b)) : [];
}

/** Replicas a reassignment removes. */
export function removingReplicas(p: FakePartition): number[] {
  return p.reassignment ? p.reassignment.original.filter((b) => !p.reassignment!.target.includes(b)) : [];
}

/**
 * Starts (or redirects) a reassignment. During the move the replica list is the target followed
 * by the replicas being removed. A reorder of the same set moves no data and completes at once.
 */
export function startReassignment(
  p: FakePartition,
  target: number[],
  seq: number,
  exists: (b: number) => boolean,
): KafkaErrorInfo | undefined {
  if (target.length === 0 || new Set(target).size !== target.length || target.some((b) => !exists(b))) {
    return err(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `invalid target ${JSON.stringify(target)}`);
  }
  const original = p.reassignment?.original ?? p.replicas;
  p.reassignment = { target: [...target], original: [...original], seq };
  p.replicas = [...target, ...original.filter((b) => !target.includes(b))];
  if (sameSet(target, original)) {
    delete p.reassignment;
    p.replicas = [...target];
  }
  return undefined;
}

/**
 * Cancels the in-flight reassignment as KRaft does (observed on 3.9 and 4.x): the adding replicas
 * are dropped from the in-flight list, so the original ORDER is not restored.
 */
export function cancelReassignment(p: FakePartition): KafkaErrorInfo | undefined {
  if (!p.reassignment) return err(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
  const adding = addingReplicas(p);
  const { original } = p.reassignment;
  delete p.reassignment;
  p.replicas = p.replicas.filter((b) => !adding.includes(b));
  p.isr = p.isr.filter((b) => original.includes(b));
  if (!original.includes(p.leader)) p.leader = p.isr[0] ?? -1;
  return undefined;
}

/** Completes the in-flight reassignment; leadership leaves a removed replica for the first live target. */
export function completeReassignment(p: FakePartition, live: (b: number) => boolean): void {
  const target = p.reassignment?.target;
  if (!target) return;
  delete p.reassignment;
  p.replicas = [...target];
  p.isr = target.filter(live);
  if (!target.includes(p.leader)) p.leader = p.isr[0] ?? -1;
}

/**
 * One partition's election. Preferred: the first replica, if live and in the ISR. Unclean: only
 * for a leaderless partition, the first live replica. `undefined` = not needed.
 */
export function elect(
  p: FakePartition,
  type: 'preferred' | 'unclean',
  live: (b: number) => boolean,
): Pick<ElectionResult, 'outcome' | 'error'> | undefined {
  if (type === 'preferred') {
    const preferred = p.replicas[0] as number;
    if (p.leader === preferred) return undefined;
    if (!live(preferred) || !p.isr.includes(preferred))
      return { outcome: 'failed', error: err(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE) };
    p.leader = preferred;
    return { outcome: 'elected' };
  }
  if (p.leader !== -1) return undefined;
  const next = p.replicas.find(live);
  if (next === undefined) return { outcome: 'failed', error: err(ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE) };
  p.leader = next;
  p.isr = [next];
  return { outcome: 'elected' };
}
