/**
 * Boundary checks for what brokers send back. The decoders in protocol/ already enforce the wire
 * schema (types, lengths, no leftover bytes); these check the meaning, by hand rather than with
 * zod because a 200k-partition cluster answers with hundreds of thousands of entries. A broken
 * answer is bad input data (exit 65) that names the broker, the field and what was expected.
 */
import { badInput } from '../../core/errors.js';
import type { RawDescribeLogDirs } from './protocol/describe-log-dirs.js';
import type { RawMetadata } from './protocol/metadata.js';

const isId = (n: number) => Number.isInteger(n) && n >= 0;

/** Metadata: unique non-negative broker ids, valid ports, partition indexes and replica ids. */
export function checkMetadata(raw: RawMetadata, source: string): RawMetadata {
  const ids = new Set<number>();
  raw.brokers.forEach((b, i) => {
    if (!isId(b.nodeId))
      throw badInput(source, `brokers[${i}].node_id`, 'a non-negative broker id', String(b.nodeId));
    if (ids.has(b.nodeId))
      throw badInput(source, `brokers[${i}].node_id`, 'a unique broker id', `duplicate ${b.nodeId}`);
    ids.add(b.nodeId);
    if (!(b.port > 0 && b.port < 65536))
      throw badInput(source, `brokers[${i}].port`, 'a TCP port', String(b.port));
  });
  for (let t = 0; t < raw.topics.length; t++) {
    const topic = raw.topics[t]!;
    for (let p = 0; p < topic.partitions.length; p++) {
      const part = topic.partitions[p]!;
      if (!isId(part.partition))
        throw badInput(
          source,
          `topics[${t}].partitions[${p}].partition_index`,
          'a non-negative index',
          String(part.partition),
        );
      for (const r of part.replicas) {
        if (!isId(r))
          throw badInput(
            source,
            `topics[${t}](${topic.name}).partitions[${p}].replica_nodes`,
            'broker ids',
            JSON.stringify(part.replicas),
          );
      }
    }
  }
  return raw;
}

/** DescribeLogDirs: non-negative sizes; capacities -1 (unknown) or usable <= total. */
export function checkLogDirs(raw: RawDescribeLogDirs, source: string): RawDescribeLogDirs {
  raw.results.forEach((d, i) => {
    if (d.totalBytes < -1)
      throw badInput(
        source,
        `results[${i}].total_bytes`,
        '-1 (unknown) or a byte count',
        String(d.totalBytes),
      );
    if (d.usableBytes < -1)
      throw badInput(
        source,
        `results[${i}].usable_bytes`,
        '-1 (unknown) or a byte count',
        String(d.usableBytes),
      );
    if (d.totalBytes >= 0 && d.usableBytes > d.totalBytes) {
      throw badInput(
        source,
        `results[${i}].usable_bytes`,
        `at most total_bytes (${d.totalBytes})`,
        String(d.usableBytes),
      );
    }
    for (const t of d.topics) {
      for (const p of t.partitions) {
        if (!(p.sizeBytes >= 0))
          throw badInput(
            source,
            `results[${i}](${d.logDir}).${t.name}-${p.partition}.partition_size`,
            'a non-negative size',
            String(p.sizeBytes),
          );
        if (!isId(p.partition))
          throw badInput(
            source,
            `results[${i}](${d.logDir}).${t.name}.partition_index`,
            'a non-negative index',
            String(p.partition),
          );
      }
    }
  });
  return raw;
}
