/**
 * AlterPartitionReassignments (API key 45), version 0 (flexible), KIP-455. kafkajs has v0 but its
 * encoder cannot send `replicas: null` (cancel a reassignment) and it throws on the first partition
 * error; this one sends null and returns per-partition errors as values.
 */
import type { ApiDefinition } from './api.js';
import { required } from './wire.js';

export interface AlterPartitionReassignmentsRequest {
  timeoutMs: number;
  /** `replicas: null` cancels the partition's ongoing reassignment. */
  topics: Array<{ name: string; partitions: Array<{ partition: number; replicas: number[] | null }> }>;
}

export interface RawAlterPartitionReassignments {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  results: Array<{
    name: string;
    partitions: Array<{ partition: number; errorCode: number; errorMessage: string | null }>;
  }>;
}

export const AlterPartitionReassignments: ApiDefinition<
  AlterPartitionReassignmentsRequest,
  RawAlterPartitionReassignments
> = {
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, req) {
    w.int32(req.timeoutMs)
      .compactArray(req.topics, (w, t) => {
        w.compactString(t.name)
          .compactArray(t.partitions, (w, p) => {
            w.int32(p.partition)
              .compactArray(p.replicas, (w, b) => w.int32(b))
              .tags();
          })
          .tags();
      })
      .tags();
  },
  decode(r) {
    const throttleTimeMs = r.int32();
    const errorCode = r.int16();
    const errorMessage = r.compactString();
    const results = r.compactArray((r) => {
      const name = required(r.compactString(), 'AlterPartitionReassignments.responses.name');
      const partitions = r.compactArray((r) => {
        const p = { partition: r.int32(), errorCode: r.int16(), errorMessage: r.compactString() };
        r.tags();
        return p;
      });
      r.tags();
      return { name, partitions };
    });
    r.tags();
    return { throttleTimeMs, errorCode, errorMessage, results };
  },
};
