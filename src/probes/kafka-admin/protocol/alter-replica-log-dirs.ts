/**
 * AlterReplicaLogDirs (API key 34), versions 1-2 (v2 flexible), KIP-113: asks the broker the
 * request is sent to to move its replicas of the listed partitions into the given log directory
 * (it copies into a "future" log, then swaps). For a replica the broker does not host yet, the
 * broker records the directory for when the replica is created and answers REPLICA_NOT_AVAILABLE.
 * v0 is identical to v1 and Kafka 4.0 removed it (KIP-896). kafkajs 2.2.4 has no AlterReplicaLogDirs.
 */
import type { ApiDefinition } from './api.js';
import { required } from './wire.js';

export interface AlterReplicaLogDirsRequest {
  dirs: Array<{ path: string; topics: Array<{ name: string; partitions: number[] }> }>;
}

export interface RawAlterReplicaLogDirs {
  throttleTimeMs: number;
  results: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number }> }>;
}

export const AlterReplicaLogDirs: ApiDefinition<AlterReplicaLogDirsRequest, RawAlterReplicaLogDirs> = {
  apiKey: 34,
  name: 'AlterReplicaLogDirs',
  minVersion: 1,
  maxVersion: 2,
  flexibleFrom: 2,
  encode(w, req, version) {
    const flex = version >= 2;
    w.arr(flex, req.dirs, (w, d) => {
      w.str(flex, d.path)
        .arr(flex, d.topics, (w, t) => {
          w.str(flex, t.name)
            .arr(flex, t.partitions, (w, p) => w.int32(p))
            .tagsIf(flex);
        })
        .tagsIf(flex);
    }).tagsIf(flex);
  },
  decode(r, version) {
    const flex = version >= 2;
    const throttleTimeMs = r.int32();
    const results = r.arr(flex, (r) => {
      const topic = required(r.str(flex), 'AlterReplicaLogDirs.results.topic_name');
      const partitions = r.arr(flex, (r) => {
        const p = { partition: r.int32(), errorCode: r.int16() };
        r.tagsIf(flex);
        return p;
      });
      r.tagsIf(flex);
      return { topic, partitions };
    });
    r.tagsIf(flex);
    return { throttleTimeMs, results };
  },
};
