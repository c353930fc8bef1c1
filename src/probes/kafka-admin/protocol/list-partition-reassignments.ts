/**
 * ListPartitionReassignments (API key 46), version 0 (flexible), KIP-455: the reassignments in
 * flight, with the replicas being added and removed. kafkajs has the same request; this one
 * shares the framing and value-error conventions of the others and is a few lines.
 */
import type { ApiDefinition } from './api.js';
import { required } from './wire.js';

export interface ListPartitionReassignmentsRequest {
  timeoutMs: number;
  /** null lists every ongoing reassignment. */
  topics: Array<{ name: string; partitions: number[] }> | null;
}

export interface RawOngoingReassignment {
  partition: number;
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

export interface RawListPartitionReassignments {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  topics: Array<{ name: string; partitions: RawOngoingReassignment[] }>;
}

const int32 = (r: { int32(): number }) => r.int32();

export const ListPartitionReassignments: ApiDefinition<
  ListPartitionReassignmentsRequest,
  RawListPartitionReassignments
> = {
  apiKey: 46,
  name: 'ListPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  encode(w, req) {
    w.int32(req.timeoutMs)
      .compactArray(req.topics, (w, t) => {
        w.compactString(t.name)
          .compactArray(t.partitions, (w, p) => w.int32(p))
          .tags();
      })
      .tags();
  },
  decode(r) {
    const throttleTimeMs = r.int32();
    const errorCode = r.int16();
    const errorMessage = r.compactString();
    const topics = r.compactArray((r) => {
      const name = required(r.compactString(), 'ListPartitionReassignments.topics.name');
      const partitions = r.compactArray((r) => {
        const p = {
          partition: r.int32(),
          replicas: r.compactArray(int32),
          addingReplicas: r.compactArray(int32),
          removingReplicas: r.compactArray(int32),
        };
        r.tags();
        return p;
      });
      r.tags();
      return { name, partitions };
    });
    r.tags();
    return { throttleTimeMs, errorCode, errorMessage, topics };
  },
};
