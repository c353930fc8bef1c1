/**
 * Log directories (JBOD) in the cluster snapshot, an optional and compatible extension of
 * docs/design.md §3 (snapshots without them stay valid; they then describe single-dir brokers, as on
 * MSK Standard):
 *
 *   brokers[i].logDirs:     [{ "path": "/data/a", "totalBytes": 1e12, "usableBytes": 6e11,
 *                              "usedBytes": 4e11, "error": "KAFKA_STORAGE_ERROR" }]
 *   partitions[i].logDirs:  ["/data/a", "/data/b", null]  one per replica, in replica order;
 *                           null when that broker did not say (its log dirs were unreadable)
 *
 * `totalBytes`/`usableBytes` come from DescribeLogDirs v4+ (KIP-827), `usedBytes` is the sum of the
 * replica logs in the directory; all three are optional. A directory with `error` is offline.
 */
import { badInput } from '../core/errors.js';

/** One log directory of a broker as the snapshot records it. */
export interface SnapshotLogDir {
  path: string;
  totalBytes?: number;
  usableBytes?: number;
  usedBytes?: number;
  /** The Kafka error name when the directory is offline. */
  error?: string;
}

const MAX_BYTES = Number.MAX_SAFE_INTEGER;
const isBytes = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_BYTES;

/** A log dir path as Kafka reports it and as a plan may name it: absolute, no NUL. */
export function isLogDirPath(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('/') && !v.includes('\u0000') && v.length <= 4096;
}

/**
 * Validates `brokers[i].logDirs` (when present) and returns the paths per broker id; `f` is the
 * broker's field name (`brokers[3]`).
 */
export function validateBrokerLogDirs(raw: unknown, f: string, file: string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw badInput(file, `${f}.logDirs`, 'an array of log dirs { path, totalBytes? }');
  const paths: string[] = [];
  raw.forEach((d: unknown, j: number) => {
    const g = `${f}.logDirs[${j}]`;
    if (d === null || typeof d !== 'object')
      throw badInput(file, g, 'an object { path, totalBytes?, usableBytes? }');
    const dir = d as Record<string, unknown>;
    if (!isLogDirPath(dir.path))
      throw badInput(file, `${g}.path`, 'an absolute directory path', JSON.stringify(dir.path));
    if (paths.includes(dir.path)) throw badInput(file, `${g}.path`, 'each log dir once', dir.path);
    for (const k of ['totalBytes', 'usableBytes', 'usedBytes'] as const)
      if (dir[k] !== undefined && !isBytes(dir[k]))
        throw badInput(
          file,
          `${g}.${k}`,
          `a number of bytes from 0 to ${MAX_BYTES}, or absent`,
          String(dir[k]),
        );
    if (dir.error !== undefined && typeof dir.error !== 'string')
      throw badInput(file, `${g}.error`, 'a Kafka error name or absent');
    paths.push(dir.path);
  });
  return paths;
}

/**
 * Validates `partitions[i].logDirs` (when present): one entry per replica, each null or a log dir
 * the snapshot lists for that replica's broker. `dirsOf` gives a broker's listed paths.
 */
export function validateReplicaLogDirs(
  p: Record<string, unknown>,
  f: string,
  dirsOf: (broker: number) => string[] | undefined,
  file: string,
): void {
  const raw = p.logDirs;
  if (raw === undefined) return;
  const replicas = p.replicas as number[];
  if (!Array.isArray(raw) || raw.length !== replicas.length)
    throw badInput(
      file,
      `${f}.logDirs`,
      `one log dir (or null) per replica (${replicas.length})`,
      Array.isArray(raw) ? `${raw.length}` : JSON.stringify(raw),
    );
  for (let j = 0; j < raw.length; j++) {
    const d = raw[j];
    if (d === null) continue;
    const listed = dirsOf(replicas[j]!);
    if (!isLogDirPath(d) || !listed?.includes(d))
      throw badInput(
        file,
        `${f}.logDirs[${j}]`,
        listed?.length
          ? `null or a log dir of broker ${replicas[j]} (${listed.join(', ')})`
          : `null (broker ${replicas[j]} lists no logDirs)`,
        JSON.stringify(d),
      );
  }
}
