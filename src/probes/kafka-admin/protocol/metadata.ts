/**
 * Metadata (API key 3), versions 5-7: brokers with rack, the controller id, and per partition the
 * leader, replicas, ISR and offline replicas (v5+). Ours rather than kafkajs's because kafkajs's
 * parser throws on the first partition error (LEADER_NOT_AVAILABLE on an offline partition), and
 * an offline partition is exactly what an operator needs to see. v5-v7 are non-flexible and every
 * broker from Kafka 1.0 through 4.x accepts them (KIP-896 removed only v0-v3).
 */
import type { ApiDefinition } from './api.js';
import { required } from './wire.js';

/** `topics: null` asks for every topic; `[]` for none (brokers and controller only). */
export interface MetadataRequest {
  topics: string[] | null;
}

export interface RawMetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface RawMetadataPartition {
  errorCode: number;
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface RawMetadataTopic {
  errorCode: number;
  name: string;
  isInternal: boolean;
  partitions: RawMetadataPartition[];
}

export interface RawMetadata {
  throttleTimeMs: number;
  brokers: RawMetadataBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: RawMetadataTopic[];
}

const int32 = (r: { int32(): number }) => r.int32();

export const Metadata: ApiDefinition<MetadataRequest, RawMetadata> = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 5,
  maxVersion: 7,
  flexibleFrom: Infinity,
  encode(w, req) {
    w.array(req.topics, (w, t) => w.string(t)).bool(false); // never auto-create topics
  },
  decode(r, version) {
    const throttleTimeMs = r.int32();
    const brokers = r.array((r) => ({
      nodeId: r.int32(),
      host: required(r.string(), 'Metadata.brokers.host'),
      port: r.int32(),
      rack: r.string(),
    }));
    const clusterId = r.string();
    const controllerId = r.int32();
    const topics = r.array((r) => ({
      errorCode: r.int16(),
      name: required(r.string(), 'Metadata.topics.name'),
      isInternal: r.bool(),
      partitions: r.array((r) => ({
        errorCode: r.int16(),
        partition: r.int32(),
        leader: r.int32(),
        leaderEpoch: version >= 7 ? r.int32() : -1,
        replicas: r.array(int32),
        isr: r.array(int32),
        offlineReplicas: r.array(int32),
      })),
    }));
    return { throttleTimeMs, brokers, clusterId, controllerId, topics };
  },
};
