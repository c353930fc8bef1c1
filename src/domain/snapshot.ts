import { badInput } from '../core/errors.js';
import { readJsonInputStreaming } from '../core/json-stream.js';
import { type SnapshotLogDir, validateBrokerLogDirs, validateReplicaLogDirs } from './snapshot-log-dirs.js';

export type { SnapshotLogDir } from './snapshot-log-dirs.js';

/**
 * The cluster snapshot (docs/design.md §3): what `streamctl kafka snapshot` writes and what the
 * planner and the offline monitors read. `sizeBytes` is the size of one replica (the leader's
 * log). `rack` and `capacityBytes` may be absent. Extra fields are allowed and ignored.
 */
export interface ClusterSnapshot {
  version: 1;
  cluster: string;
  capturedAt: string;
  brokers: SnapshotBroker[];
  partitions: SnapshotPartition[];
}

export interface SnapshotBroker {
  id: number;
  rack?: string;
  capacityBytes?: number;
  /** Log directories (JBOD), when captured (snapshot-log-dirs.ts). */
  logDirs?: SnapshotLogDir[];
  /** Extra fields written by `kafka snapshot` (host, usable bytes...). */
  [extra: string]: unknown;
}

export interface SnapshotPartition {
  topic: string;
  partition: number;
  /** Replica broker ids; the first is the preferred leader. */
  replicas: number[];
  /** Current leader broker id, or -1 when offline. */
  leader: number;
  sizeBytes: number;
  /** In-sync replicas, when captured live. */
  isr?: number[];
  /** Each replica's log dir (same order as replicas; null = unknown), when captured. */
  logDirs?: Array<string | null>;
  [extra: string]: unknown;
}

/** Kafka broker ids and partition numbers are int32 on the wire (the Kafka protocol's INT32). */
export const MAX_INT32 = 2_147_483_647;

/** A broker id Kafka can have: an integer in [0, 2^31 - 1]. */
export function isBrokerId(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_INT32;
}

/**
 * Byte counts must be finite and exact: JSON's 1e400 parses to Infinity, and a plan computed from
 * it is nonsense written with exit 0. 2^53 bytes (8 PiB) is far above any broker.
 */
export function isByteCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;
}

/**
 * Validates a parsed snapshot. Hand-written rather than zod because it must stay fast and lean on
 * 2.8M-replica snapshots; errors name the file, the field (with its index) and what was expected.
 */
export function validateSnapshot(raw: unknown, file: string): ClusterSnapshot {
  const s = validateTop(raw, file);
  const ids = validateBrokers(s.brokers as unknown[], file);
  const dirs = new Map<number, string[]>();
  (s.brokers as Array<Record<string, unknown>>).forEach((b, i) => {
    const paths = validateBrokerLogDirs(b.logDirs, `brokers[${i}]`, file);
    if (paths) dirs.set(b.id as number, paths);
  });
  const parts = s.partitions as unknown[];
  const seen = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    validatePartition(parts[i], `partitions[${i}]`, ids, seen, file);
    validateReplicaLogDirs(parts[i] as Record<string, unknown>, `partitions[${i}]`, (b) => dirs.get(b), file);
  }
  if (s.capturedAt === undefined) s.capturedAt = new Date(0).toISOString();
  return s as unknown as ClusterSnapshot;
}

/** The top level: version, cluster, capturedAt, and the two arrays. */
function validateTop(raw: unknown, file: string): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw badInput(file, '(top level)', 'a JSON object');
  const s = raw as Record<string, unknown>;
  if (s.version !== 1) throw badInput(file, 'version', 'the number 1', JSON.stringify(s.version));
  if (typeof s.cluster !== 'string') throw badInput(file, 'cluster', 'a string (the cluster name)');
  if (
    s.capturedAt !== undefined &&
    (typeof s.capturedAt !== 'string' || Number.isNaN(Date.parse(s.capturedAt)))
  ) {
    throw badInput(file, 'capturedAt', 'an ISO-8601 timestamp', JSON.stringify(s.capturedAt));
  }
  if (!Array.isArray(s.brokers) || s.brokers.length === 0)
    throw badInput(file, 'brokers', 'a non-empty array of brokers');
  if (!Array.isArray(s.partitions)) throw badInput(file, 'partitions', 'an array of partitions');
  return s;
}

/** Each broker; returns the set of broker ids. */
function validateBrokers(brokers: unknown[], file: string): Set<number> {
  const ids = new Set<number>();
  brokers.forEach((b: unknown, i: number) => {
    const f = `brokers[${i}]`;
    if (b === null || typeof b !== 'object')
      throw badInput(file, f, 'an object { id, rack?, capacityBytes? }');
    const br = b as Record<string, unknown>;
    if (!isBrokerId(br.id))
      throw badInput(file, `${f}.id`, `an integer broker id from 0 to ${MAX_INT32}`, JSON.stringify(br.id));
    if (ids.has(br.id as number)) throw badInput(file, `${f}.id`, 'a unique broker id', `duplicate ${br.id}`);
    ids.add(br.id as number);
    if (br.rack !== undefined && br.rack !== null && typeof br.rack !== 'string')
      throw badInput(file, `${f}.rack`, 'a string or absent');
    if (
      br.capacityBytes !== undefined &&
      br.capacityBytes !== null &&
      !(isByteCount(br.capacityBytes) && br.capacityBytes > 0)
    ) {
      throw badInput(
        file,
        `${f}.capacityBytes`,
        `a positive number of bytes up to ${Number.MAX_SAFE_INTEGER}, or absent`,
        shown(br.capacityBytes),
      );
    }
  });
  return ids;
}

/** One partition (`f` is its field name): identity, replicas, leader, ISR and size. */
function validatePartition(raw: unknown, f: string, ids: Set<number>, seen: Set<string>, file: string): void {
  const p = raw as Record<string, unknown> | null;
  if (p === null || typeof p !== 'object')
    throw badInput(file, f, 'an object { topic, partition, replicas, leader, sizeBytes }');
  if (typeof p.topic !== 'string' || p.topic.length === 0) throw badInput(file, `${f}.topic`, 'a topic name');
  if (!isBrokerId(p.partition))
    throw badInput(file, `${f}.partition`, `an integer from 0 to ${MAX_INT32}`, JSON.stringify(p.partition));
  const key = `${p.topic}\u0000${p.partition}`;
  if (seen.has(key))
    throw badInput(file, `${f}`, 'each topic-partition once', `${p.topic}-${p.partition} twice`);
  seen.add(key);
  const r = p.replicas;
  if (!Array.isArray(r) || r.length === 0)
    throw badInput(file, `${f}.replicas`, 'a non-empty array of broker ids');
  for (let j = 0; j < r.length; j++) {
    if (!ids.has(r[j] as number))
      throw badInput(
        file,
        `${f}.replicas[${j}]`,
        'the id of a broker listed in brokers',
        JSON.stringify(r[j]),
      );
    for (let k = 0; k < j; k++)
      if (r[k] === r[j]) throw badInput(file, `${f}.replicas`, 'distinct broker ids', JSON.stringify(r));
  }
  // A leader or ISR member that is not a broker of the snapshot would be counted on a broker
  // that does not exist (or silently dropped): the snapshot is inconsistent, not a layout.
  if (p.leader !== -1 && !ids.has(p.leader as number))
    throw badInput(
      file,
      `${f}.leader`,
      'the id of a broker listed in brokers (or -1 when offline)',
      JSON.stringify(p.leader),
    );
  if (p.isr !== undefined) {
    if (!Array.isArray(p.isr)) throw badInput(file, `${f}.isr`, 'an array of broker ids or absent');
    p.isr.forEach((b: unknown, j: number) => {
      if (!ids.has(b as number))
        throw badInput(file, `${f}.isr[${j}]`, 'the id of a broker listed in brokers', JSON.stringify(b));
    });
  }
  if (!isByteCount(p.sizeBytes))
    throw badInput(
      file,
      `${f}.sizeBytes`,
      `a non-negative number of bytes up to ${Number.MAX_SAFE_INTEGER}`,
      shown(p.sizeBytes),
    );
}

/** Reads and validates a snapshot file. */
export function readSnapshotFile(file: string): ClusterSnapshot {
  // Streamed: a snapshot may be up to 4 GiB, far beyond what one string can hold.
  return validateSnapshot(readJsonInputStreaming(file, 'snapshot'), file);
}

/** A value as the message shows it: JSON would print Infinity (from 1e400) as "null". */
function shown(v: unknown): string {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
}
