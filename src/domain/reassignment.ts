/**
 * Kafka's partition reassignment JSON, exactly as `kafka-reassign-partitions.sh --execute` reads
 * it (docs/design.md §3):
 * `{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[4,2,3],"log_dirs":["any","any","any"]}]}`.
 * Replica order matters: the first replica is the preferred leader.
 *
 * The one parser of that format: the planner's output read back, `kafka rebalance execute`,
 * `kafka partitions|disk --plan` and the runbooks all read plans through `parseReassignment`, so a
 * bad plan gets the same message (file, field, what was expected) wherever it is read.
 */
import { z } from 'zod';
import { badInput, StreamctlError } from '../core/errors.js';
import { readInputFile } from '../core/input.js';
import { parseJsonInput } from '../core/json-input.js';
import { appliedLogDirs, checkLogDirTargets } from './reassignment-log-dirs.js';
import type { Reassignment, ReassignmentPartition } from './reassignment-types.js';
import { type ClusterSnapshot, MAX_INT32 } from './snapshot.js';
import { isLogDirPath } from './snapshot-log-dirs.js';

export type { Reassignment, ReassignmentPartition } from './reassignment-types.js';

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

/**
 * Validates a parsed reassignment. Errors name the file and the field (`partitions[3].replicas[1]`)
 * and say what was expected. Extra fields are allowed (Kafka writes some).
 */
export function validateReassignment(raw: unknown, file: string): Reassignment {
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
    p.log_dirs?.forEach((d, j) => {
      if (d !== 'any' && !isLogDirPath(d))
        throw badInput(
          file,
          `partitions[${i}].log_dirs[${j}]`,
          '"any" or an absolute log dir path',
          JSON.stringify(d),
        );
    });
  });
  return { version: 1, partitions: r.data.partitions as ReassignmentPartition[] };
}

/** Parses and validates a reassignment file's text (see `validateReassignment`). */
export function parseReassignment(text: string, file: string): Reassignment {
  // The shared JSON reader: its syntax errors name the file and the position, never echo the text.
  return validateReassignment(parseJsonInput(text, file), file);
}

/** Reads (through the shared, size-capped input reader) and validates a reassignment file. */
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

/** What `applyReassignment` does with a replica on a broker the snapshot does not list. */
export type NewBrokers =
  /** Bad input: the plan is for another cluster (re-planning, checking a plan). */
  | 'refuse'
  /** Add the broker without capacity or rack: a what-if for a broker being added (`--plan`). */
  | 'add';

/**
 * The snapshot as it will be once the reassignment has completed and preferred leaders have been
 * elected (a new snapshot; the input is not modified): replicas become the target list, the ISR
 * (when known) the full replica set, and the leader the first replica. A partition the snapshot
 * does not have is bad input (a stale plan, or one for another cluster), as in `kafka rebalance
 * execute`; a broker it does not list is refused or added (`newBrokers`).
 */
export function applyReassignment(
  snap: ClusterSnapshot,
  r: Reassignment,
  opts: { file?: string; newBrokers?: NewBrokers } = {},
): ClusterSnapshot {
  const file = opts.file ?? 'plan';
  const byKey = new Map<string, number>();
  snap.partitions.forEach((p, i) => {
    byKey.set(`${p.topic}\u0000${p.partition}`, i);
  });
  const ids = new Set(snap.brokers.map((b) => b.id));
  // Explicit log dirs must exist on their broker, where the snapshot lists its dirs.
  const dirs = new Map(snap.brokers.map((b) => [b.id, b.logDirs?.map((d) => d.path)]));
  checkLogDirTargets(r, (b) => dirs.get(b), file);
  const brokers = snap.brokers.slice();
  const partitions = snap.partitions.slice();
  r.partitions.forEach((p, i) => {
    const at = byKey.get(`${p.topic}\u0000${p.partition}`);
    if (at === undefined) throw stalePlan(file, `partitions[${i}]`, `${p.topic}-${p.partition}`);
    for (const b of p.replicas) {
      if (ids.has(b)) continue;
      if (opts.newBrokers !== 'add')
        throw badInput(file, `partitions[${i}].replicas`, 'brokers present in the snapshot', `broker ${b}`);
      ids.add(b);
      brokers.push({ id: b });
    }
    const before = partitions[at]!;
    const logDirs = appliedLogDirs(before, p);
    partitions[at] = {
      ...before,
      ...(logDirs ? { logDirs } : {}),
      replicas: [...p.replicas],
      leader: p.replicas[0]!,
      ...(before.isr ? { isr: [...p.replicas] } : {}),
    };
  });
  return { ...snap, brokers, partitions };
}

function stalePlan(file: string, field: string, partition: string): StreamctlError {
  const e = badInput(file, field, 'a partition present in the snapshot', partition);
  return new StreamctlError(e.code, e.message, {
    exitCode: e.exitCode,
    hint: 'The plan is stale or for another cluster; nothing was written.',
  });
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
      return 'an array of log dirs ("any" or an absolute path), one per replica';
    default:
      return typeof last === 'number'
        ? 'a non-negative integer broker id or an object'
        : 'a valid reassignment entry';
  }
}
