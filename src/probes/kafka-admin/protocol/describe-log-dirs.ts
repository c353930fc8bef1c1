/**
 * DescribeLogDirs (API key 35), versions 1-4, answered by the broker the request is sent to about
 * its own log directories. v2 is the first flexible version, v3 adds a top-level error code, v4
 * adds each directory's total and usable bytes (KIP-827, Kafka 3.3). v0 is not implemented: it is
 * identical to v1 and Kafka 4.0 removed it (KIP-896). kafkajs 2.2.4 has no DescribeLogDirs.
 */
import type { ApiDefinition } from './api.js';
import { required } from './wire.js';

/** `topics: null` describes every partition on the broker. */
export interface DescribeLogDirsRequest {
  topics: Array<{ topic: string; partitions: number[] }> | null;
}

export interface RawLogDirPartition {
  partition: number;
  sizeBytes: number;
  offsetLag: number;
  isFuture: boolean;
}

export interface RawLogDir {
  errorCode: number;
  logDir: string;
  topics: Array<{ name: string; partitions: RawLogDirPartition[] }>;
  /** -1 when the broker does not know (or the version predates KIP-827). */
  totalBytes: number;
  usableBytes: number;
}

export interface RawDescribeLogDirs {
  throttleTimeMs: number;
  /** Top-level error (v3+; 0 before). */
  errorCode: number;
  results: RawLogDir[];
}

export const DescribeLogDirs: ApiDefinition<DescribeLogDirsRequest, RawDescribeLogDirs> = {
  apiKey: 35,
  name: 'DescribeLogDirs',
  minVersion: 1,
  maxVersion: 4,
  flexibleFrom: 2,
  encode(w, req, version) {
    const flex = version >= 2;
    w.arr(flex, req.topics, (w, t) => {
      w.str(flex, t.topic)
        .arr(flex, t.partitions, (w, p) => w.int32(p))
        .tagsIf(flex);
    }).tagsIf(flex);
  },
  decode(r, version) {
    const flex = version >= 2;
    const throttleTimeMs = r.int32();
    const errorCode = version >= 3 ? r.int16() : 0;
    const results = r.arr(flex, (r) => {
      const dirError = r.int16();
      const logDir = required(r.str(flex), 'DescribeLogDirs.results.log_dir');
      const topics = r.arr(flex, (r) => {
        const name = required(r.str(flex), 'DescribeLogDirs.topics.name');
        const partitions = r.arr(flex, (r) => {
          const p = { partition: r.int32(), sizeBytes: r.int64(), offsetLag: r.int64(), isFuture: r.bool() };
          r.tagsIf(flex);
          return p;
        });
        r.tagsIf(flex);
        return { name, partitions };
      });
      const totalBytes = version >= 4 ? r.int64() : -1;
      const usableBytes = version >= 4 ? r.int64() : -1;
      r.tagsIf(flex);
      return { errorCode: dirError, logDir, topics, totalBytes, usableBytes };
    });
    r.tagsIf(flex);
    return { throttleTimeMs, errorCode, results };
  },
};
