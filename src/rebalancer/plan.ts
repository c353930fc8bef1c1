import { z } from 'zod';
import { badInput } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { readInputFile } from '../core/input.js';
import { parseJsonInput } from '../core/json-input.js';
import { type ClusterSnapshot, MAX_INT32 } from '../domain/snapshot.js';
import type { PartitionChange } from './planner.js';

/**
 * Kafka's reassignment JSON, exactly as `kafka-reassign-partitions.sh --execute` reads it
 * (DESIGN.md §3). Replica order matters: the first replica is the preferred leader.
 */
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

const partitionSchema = z
  .object({
    topic: z.string().min(1),
    partition: z.number().int().nonnegative().max(MAX_INT32),
    // Broker ids are int32 in Kafka: a bigger one is bad input here, not a planner failure later.
    replicas: z.array(z.number().int().nonnegative().max(MAX_INT32)).min(1),
    log_dirs: z.array(z.string()).optional(),
  })
  .loose();

const reassignmentSchema = z
  .object({
    version: z.literal(1),
    partitions: z.array(partitionSchema),
  })
  .loose();

/** The reassignment for a plan's changes: only partitions that change, log dirs "any". */
export function toReassignment(changes: PartitionChange[]): Reassignment {
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
export function toRollback(changes: PartitionChange[]): Reassignment {
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

/**
 * Parses and validates a reassignment file's text. Errors name the file and the field
 * (`partitions[3].replicas[1]`) and say what was expected.
 */
export function parseReassignment(text: string, file: string): Reassignment {
  const raw = parseJsonInput(text, file);
  const r = reassignmentSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length ? formatPath(issue.path) : '(top level)';
    throw badInput(file, field, expectation(issue.path), issue.message);
  }
  const seen = new Set<string>();
  r.data.partitions.forEach((p, i) => {
    const key = `${p.topic}\u0000${p.partition}`;
    if (seen.has(key))
      throw badInput(
        file,
        `partitions[${i}]`,
        'each topic-partition once',
        `${p.topic}-${p.partition} twice`,
      );
    seen.add(key);
    const dup = p.replicas.find((b, j) => p.replicas.indexOf(b) !== j);
    if (dup !== undefined)
      throw badInput(file, `partitions[${i}].replicas`, 'distinct broker ids', `broker ${dup} twice`);
    if (p.log_dirs && p.log_dirs.length !== p.replicas.length) {
      throw badInput(
        file,
        `partitions[${i}].log_dirs`,
        `one entry per replica (${p.replicas.length})`,
        `${p.log_dirs.length}`,
      );
    }
  });
  return { version: 1, partitions: r.data.partitions as ReassignmentPartition[] };
}

/** Reads and validates a reassignment file. */
export function readReassignmentFile(file: string): Reassignment {
  return parseReassignment(readInputFile(file, 'plan'), file);
}

/**
 * Kafka's JSON with one partition per line: valid for the Apache tool, and diffable / greppable
 * by the operator who reviews it.
 */
export function formatReassignment(r: Reassignment): string {
  const lines = r.partitions.map((p) => JSON.stringify(p));
  return `{"version":1,"partitions":[${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

/** Writes a reassignment file atomically. */
export function writeReassignmentFile(file: string, r: Reassignment): void {
  writeFileAtomic(file, formatReassignment(r));
}

/**
 * Applies a reassignment to a snapshot (a new snapshot; the input is not modified): replicas
 * become the target list and the leader its first replica. Used to re-plan a planned cluster, and
 * to check a plan against a snapshot. Unknown partitions or brokers are bad input.
 */
export function applyReassignment(snap: ClusterSnapshot, r: Reassignment, file = 'plan'): ClusterSnapshot {
  const brokers = new Set(snap.brokers.map((b) => b.id));
  const byKey = new Map<string, number>();
  snap.partitions.forEach((p, i) => {
    byKey.set(`${p.topic}\u0000${p.partition}`, i);
  });
  const partitions = snap.partitions.slice();
  r.partitions.forEach((p, i) => {
    const at = byKey.get(`${p.topic}\u0000${p.partition}`);
    if (at === undefined)
      throw badInput(
        file,
        `partitions[${i}]`,
        'a partition present in the snapshot',
        `${p.topic}-${p.partition}`,
      );
    for (const b of p.replicas) {
      if (!brokers.has(b))
        throw badInput(file, `partitions[${i}].replicas`, 'brokers present in the snapshot', `broker ${b}`);
    }
    partitions[at] = { ...partitions[at]!, replicas: [...p.replicas], leader: p.replicas[0]! };
  });
  return { ...snap, partitions };
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  );
}

function expectation(path: PropertyKey[]): string {
  const last = path[path.length - 1];
  switch (last) {
    case 'version':
      return 'the number 1';
    case 'partitions':
      return 'an array of partitions';
    case 'topic':
      return 'a topic name';
    case 'partition':
      return 'a non-negative integer partition number';
    case 'replicas':
      return 'a non-empty array of broker ids';
    case 'log_dirs':
      return 'an array of log dirs ("any")';
    default:
      return typeof last === 'number'
        ? 'a non-negative integer broker id or an object'
        : 'a valid reassignment entry';
  }
}
