import { badInput } from '../core/errors.js';
import { readInputFile } from '../core/input.js';
import { parseJsonInput } from '../core/json-input.js';
import { isBrokerId, MAX_INT32 } from './snapshot.js';

/**
 * Kafka's partition reassignment JSON (what `kafka-reassign-partitions.sh --execute` reads):
 * `{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[4,2,3],"log_dirs":["any","any","any"]}]}`.
 * The first replica is the preferred leader.
 */
export interface ReassignmentJson {
  version: 1;
  partitions: Array<{ topic: string; partition: number; replicas: number[]; log_dirs?: string[] }>;
}

/** Validates a parsed reassignment, naming the file and field of the first problem. */
export function validateReassignment(raw: unknown, file: string): ReassignmentJson {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw badInput(file, '(top level)', 'a JSON object {"version":1,"partitions":[...]}');
  const r = raw as Record<string, unknown>;
  if (r.version !== 1) throw badInput(file, 'version', 'the number 1', JSON.stringify(r.version));
  if (!Array.isArray(r.partitions)) throw badInput(file, 'partitions', 'an array');
  const seen = new Set<string>();
  r.partitions.forEach((p: unknown, i: number) => {
    const f = `partitions[${i}]`;
    if (p === null || typeof p !== 'object')
      throw badInput(file, f, 'an object { topic, partition, replicas }');
    const e = p as Record<string, unknown>;
    if (typeof e.topic !== 'string' || !e.topic) throw badInput(file, `${f}.topic`, 'a topic name');
    if (!isBrokerId(e.partition))
      throw badInput(
        file,
        `${f}.partition`,
        `an integer from 0 to ${MAX_INT32}`,
        JSON.stringify(e.partition),
      );
    const key = `${e.topic}-${e.partition}`;
    if (seen.has(key)) throw badInput(file, f, 'each topic-partition at most once', `${key} twice`);
    seen.add(key);
    if (!Array.isArray(e.replicas) || e.replicas.length === 0 || !e.replicas.every(isBrokerId)) {
      throw badInput(
        file,
        `${f}.replicas`,
        `a non-empty array of broker ids (integers from 0 to ${MAX_INT32})`,
        JSON.stringify(e.replicas),
      );
    }
    if (new Set(e.replicas).size !== e.replicas.length)
      throw badInput(file, `${f}.replicas`, 'distinct broker ids', JSON.stringify(e.replicas));
    if (e.log_dirs !== undefined && (!Array.isArray(e.log_dirs) || e.log_dirs.length !== e.replicas.length)) {
      throw badInput(file, `${f}.log_dirs`, `an array of ${e.replicas.length} log dirs ("any" for any)`);
    }
  });
  return r as unknown as ReassignmentJson;
}

/** Reads and validates a reassignment plan file. */
export function readReassignmentFile(file: string): ReassignmentJson {
  const text = readInputFile(file, 'plan');
  return validateReassignment(parseJsonInput(text, file), file);
}
