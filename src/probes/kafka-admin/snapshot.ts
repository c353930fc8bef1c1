/**
 * Live snapshot capture (docs/design.md §3): the cluster's brokers, every partition's placement and
 * the size of one replica, from Metadata + DescribeLogDirs on every broker. `sizeBytes` is the
 * leader replica's log size; when the leader is offline (or its broker did not answer) the
 * largest size any replica reports is used instead, and when no replica reports one the
 * partition is listed with size 0 and named in `warnings`. Broker capacity is the sum of the
 * log directories' total bytes (DescribeLogDirs v4+, KIP-827), else the configured capacity.
 *
 * Sized for 200k partitions x RF 3: partitions get a dense index (a Map from topic to the index
 * of its partition 0), and one pass over the log-dir entries fills typed arrays with the leader's
 * size and the largest size: no per-replica string keys, no scans, no quadratic loops.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { checkOutputPath } from '../../core/fs.js';
import type { ClusterSnapshot, SnapshotBroker, SnapshotPartition } from '../../domain/snapshot.js';
import { distinctVolumes } from '../../monitors/volumes.js';
import type { KafkaAdminPort } from './port.js';
import { anyJbod, ReplicaDirs, usedPerDir } from './snapshot-dirs.js';

/** Per-broker extras `kafka snapshot` records beside the fields of docs/design.md §3. */
export interface CapturedBroker extends SnapshotBroker {
  host?: string;
  port?: number;
  /** Where capacityBytes came from: the brokers' log dirs, or the config. */
  capacitySource?: 'log-dirs' | 'config';
  /** Sum of this broker's replica log sizes (future logs included: they occupy disk too). */
  usedBytes?: number;
  /** Free bytes on the log dirs' volumes (KIP-827), when reported. */
  usableBytes?: number;
  logDirs?: Array<{
    path: string;
    totalBytes?: number;
    usableBytes?: number;
    usedBytes?: number;
    error?: string;
  }>;
  /** Why the broker's log dirs could not be read. */
  error?: string;
  /** Named in replica lists but absent from the metadata: the broker is down. */
  offline?: boolean;
}

/** A snapshot as captured live, with what could not be measured listed in `warnings`. */
export interface CapturedSnapshot extends ClusterSnapshot {
  brokers: CapturedBroker[];
  controllerId: number;
  warnings: string[];
}

/** Options of captureSnapshot; `now` is a parameter so the capture time is reproducible. */
export interface CaptureOptions {
  cluster: string;
  /** Per-broker capacity when the brokers do not report it (config brokerCapacityBytes). */
  capacityBytes?: number;
  now: Date | number;
}

/** Reads the cluster through the port and builds its snapshot. */
export async function captureSnapshot(port: KafkaAdminPort, opts: CaptureOptions): Promise<CapturedSnapshot> {
  const cluster = await port.describeCluster();
  const topics = await port.topicMetadata();
  const logDirs = await port.describeLogDirs(cluster.brokers.map((b) => b.id));
  const warnings: string[] = [];
  // JBOD: which dir holds each replica (partitions[].logDirs), recorded only when some broker has
  // several dirs, so single-dir snapshots (MSK Standard) stay as lean as before.
  const index = indexPartitions(topics, anyJbod(logDirs));
  const brokers = cluster.brokers.map((b) =>
    capturedBroker(
      b,
      logDirs.find((d) => d.brokerId === b.id),
      index,
      opts,
      warnings,
    ),
  );
  const partitions = snapshotPartitions(topics, index, brokers, opts, warnings);
  brokers.sort((a, b) => a.id - b.id);
  return {
    version: 1,
    cluster: opts.cluster,
    capturedAt: new Date(opts.now).toISOString(),
    controllerId: cluster.controllerId,
    brokers,
    partitions,
    warnings,
  };
}

type Topics = Awaited<ReturnType<KafkaAdminPort['topicMetadata']>>;
type LogDirsEntry = Awaited<ReturnType<KafkaAdminPort['describeLogDirs']>>[number];
type MetadataBroker = Awaited<ReturnType<KafkaAdminPort['describeCluster']>>['brokers'][number];

/**
 * Partitions numbered in metadata order (topic -> index of its partition 0), and per partition its
 * leader, the leader's size and the largest size any replica reports (-1: not reported yet).
 */
interface PartitionIndex {
  base: Map<string, number>;
  total: number;
  leaderOf: Int32Array;
  leaderSize: Float64Array;
  maxSize: Float64Array;
  /** JBOD clusters only: the dir of each replica. */
  dirs?: ReplicaDirs;
}

function indexPartitions(topics: Topics, jbod: boolean): PartitionIndex {
  const base = new Map<string, number>();
  let total = 0;
  for (const t of topics) {
    if (t.error) continue;
    base.set(t.name, total);
    for (const p of t.partitions)
      if (p.partition + 1 > 0) total = Math.max(total, base.get(t.name)! + p.partition + 1);
  }
  const leaderOf = new Int32Array(total).fill(-1);
  for (const t of topics) {
    if (t.error) continue;
    const b0 = base.get(t.name)!;
    for (const p of t.partitions) leaderOf[b0 + p.partition] = p.leader;
  }
  return {
    base,
    total,
    leaderOf,
    leaderSize: new Float64Array(total).fill(-1),
    maxSize: new Float64Array(total).fill(-1),
    ...(jbod ? { dirs: new ReplicaDirs(topics, base, total) } : {}),
  };
}

/**
 * One broker from its log dirs: what it uses, its capacity and free bytes, and (into the index)
 * the size of each replica it holds. A broker whose log dirs did not answer is named in warnings.
 */
function capturedBroker(
  b: MetadataBroker,
  entry: LogDirsEntry | undefined,
  index: PartitionIndex,
  opts: CaptureOptions,
  warnings: string[],
): CapturedBroker {
  const out: CapturedBroker = { id: b.id, host: b.host, port: b.port };
  if (b.rack !== undefined) out.rack = b.rack;
  if (!entry || entry.error) {
    const why = entry?.error
      ? `${entry.error.name}${entry.error.message ? `: ${entry.error.message}` : ''}`
      : 'no answer';
    out.error = why;
    warnings.push(
      `broker ${b.id}: log dirs unavailable (${why}); its replica sizes are taken from other replicas`,
    );
  } else {
    out.usedBytes = recordReplicaSizes(b.id, entry, index);
    const usedIn = usedPerDir(entry);
    out.logDirs = entry.logDirs.map((d) => ({
      path: d.path,
      ...(d.totalBytes === undefined ? {} : { totalBytes: d.totalBytes }),
      ...(d.usableBytes === undefined ? {} : { usableBytes: d.usableBytes }),
      usedBytes: usedIn.get(d.path) ?? 0,
      ...(d.error ? { error: d.error.name } : {}),
    }));
    for (const d of entry.logDirs)
      if (d.error) warnings.push(`broker ${b.id}: log dir ${d.path} is offline (${d.error.name})`);
    addVolumes(out, entry);
  }
  if (out.capacityBytes === undefined && opts.capacityBytes !== undefined) {
    out.capacityBytes = opts.capacityBytes;
    out.capacitySource = 'config';
  }
  return out;
}

/** One pass over a broker's log dirs: the replica sizes into the index; returns the bytes it uses. */
function recordReplicaSizes(brokerId: number, entry: LogDirsEntry, index: PartitionIndex): number {
  const { base, total, leaderOf, leaderSize, maxSize } = index;
  let used = 0;
  for (const d of entry.logDirs) {
    const dirOk = !d.error;
    for (const p of d.partitions) {
      used += p.sizeBytes;
      // A future log (intra-broker move in progress) is a copy; the current log serves.
      if (!dirOk || p.isFuture) continue;
      const b0 = base.get(p.topic);
      if (b0 === undefined) continue; // created after the metadata was read
      const g = b0 + p.partition;
      if (g >= total) continue;
      index.dirs?.record(g, brokerId, d.path);
      if (leaderOf[g] === brokerId) leaderSize[g] = p.sizeBytes;
      if (p.sizeBytes > maxSize[g]!) maxSize[g] = p.sizeBytes;
    }
  }
  return used;
}

/**
 * Capacity and free bytes from the healthy log dirs. Several log dirs on one filesystem: count
 * that volume once, or capacity doubles (the disk monitor does the same; src/monitors/volumes.ts).
 */
function addVolumes(out: CapturedBroker, entry: LogDirsEntry): void {
  const healthy = distinctVolumes(entry.logDirs);
  if (healthy.length > 0 && healthy.every((d) => d.totalBytes !== undefined)) {
    out.capacityBytes = healthy.reduce((s, d) => s + (d.totalBytes as number), 0);
    out.capacitySource = 'log-dirs';
  }
  if (healthy.length > 0 && healthy.every((d) => d.usableBytes !== undefined))
    out.usableBytes = healthy.reduce((s, d) => s + (d.usableBytes as number), 0);
}

/**
 * Every partition with its placement and one replica's size. A dead broker is missing from the
 * metadata's broker list but still named in replica lists; it is added to `brokers` (offline, no
 * capacity) so the plan can move replicas off it.
 */
function snapshotPartitions(
  topics: Topics,
  index: PartitionIndex,
  brokers: CapturedBroker[],
  opts: CaptureOptions,
  warnings: string[],
): SnapshotPartition[] {
  const known = new Set(brokers.map((b) => b.id));
  const partitions: SnapshotPartition[] = [];
  let unknownSizes = 0;
  for (const t of topics) {
    if (t.error) {
      warnings.push(`topic ${t.name}: ${t.error.name}`);
      continue;
    }
    for (const p of t.partitions) {
      for (const r of p.replicas) {
        if (known.has(r)) continue;
        known.add(r);
        brokers.push(offlineBroker(r, opts));
        warnings.push(`broker ${r}: hosts replicas but is not in the cluster metadata (offline)`);
      }
      const g = index.base.get(t.name)! + p.partition;
      // The leader's log, else (leader offline or silent) the largest replica reported.
      const found = index.leaderSize[g]! >= 0 ? index.leaderSize[g]! : index.maxSize[g]!;
      const size = found >= 0 ? found : undefined;
      if (size === undefined) unknownSizes++;
      const out: SnapshotPartition = {
        topic: t.name,
        partition: p.partition,
        replicas: p.replicas,
        leader: p.leader,
        sizeBytes: size ?? 0,
        isr: p.isr,
      };
      if (p.offlineReplicas.length > 0) out.offlineReplicas = p.offlineReplicas;
      if (index.dirs) out.logDirs = index.dirs.dirsOf(g);
      if (t.internal) out.internal = true;
      if (size === undefined) out.sizeUnknown = true;
      partitions.push(out);
    }
  }
  if (unknownSizes > 0)
    warnings.push(
      `${unknownSizes} partition(s) with no replica size reported: recorded as 0 bytes with sizeUnknown`,
    );
  return partitions;
}

/** A broker named in replica lists but not in the metadata: down. */
function offlineBroker(id: number, opts: CaptureOptions): CapturedBroker {
  const offline: CapturedBroker = { id, offline: true, error: 'not in the cluster metadata (offline)' };
  if (opts.capacityBytes !== undefined)
    Object.assign(offline, { capacityBytes: opts.capacityBytes, capacitySource: 'config' });
  return offline;
}

/**
 * Writes a snapshot atomically: to a temp file in the same directory, fsync, then rename over the
 * target. A crash or a full disk leaves the old file (or none), never a half-written one.
 */
export function writeSnapshotFile(path: string, snapshot: ClusterSnapshot): void {
  checkOutputPath(path, []);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    // Partitions one per line: diff-friendly and no single 100 MB string for huge clusters.
    const { partitions, ...head } = snapshot;
    const headJson = JSON.stringify(head, null, 2);
    writeSync(fd, `${headJson.slice(0, -2)},\n  "partitions": [`);
    const CHUNK = 5000;
    for (let i = 0; i < partitions.length; i += CHUNK) {
      const lines = partitions
        .slice(i, i + CHUNK)
        .map((p, j) => `${i + j === 0 ? '' : ','}\n    ${JSON.stringify(p)}`);
      writeSync(fd, lines.join(''));
    }
    writeSync(fd, partitions.length ? '\n  ]\n}\n' : ']\n}\n');
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new StreamctlError(
      'CANTCREAT',
      `${path}: cannot write the snapshot: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        exitCode: Sysexit.CANTCREAT,
        hint: 'Check that the directory exists and is writable; nothing was written.',
        cause: e,
      },
    );
  }
}
