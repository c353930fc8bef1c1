/**
 * ElectLeaders (API key 43), versions 0-2 (v2 flexible), KIP-183/KIP-460: elect the preferred
 * (first) replica, or with v1+ an unclean leader. v0 can only do preferred elections.
 * `topicPartitions: null` means every partition. ELECTION_NOT_NEEDED (84) on a partition means
 * its preferred replica already leads.
 */
import type { ApiDefinition } from './api.js';
import { required } from './wire.js';

/** Kafka's ElectionType codes. */
export const ElectionType = { PREFERRED: 0, UNCLEAN: 1 } as const;

export interface ElectLeadersRequest {
  electionType: number;
  topicPartitions: Array<{ topic: string; partitions: number[] }> | null;
  timeoutMs: number;
}

export interface RawElectLeaders {
  throttleTimeMs: number;
  /** Top-level error (v1+; 0 before). */
  errorCode: number;
  results: Array<{
    topic: string;
    partitions: Array<{ partition: number; errorCode: number; errorMessage: string | null }>;
  }>;
}

export const ElectLeaders: ApiDefinition<ElectLeadersRequest, RawElectLeaders> = {
  apiKey: 43,
  name: 'ElectLeaders',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  encode(w, req, version) {
    const flex = version >= 2;
    if (version >= 1) w.int8(req.electionType);
    else if (req.electionType !== ElectionType.PREFERRED)
      throw new Error('ElectLeaders v0 supports only preferred elections');
    w.arr(flex, req.topicPartitions, (w, t) => {
      w.str(flex, t.topic)
        .arr(flex, t.partitions, (w, p) => w.int32(p))
        .tagsIf(flex);
    })
      .int32(req.timeoutMs)
      .tagsIf(flex);
  },
  decode(r, version) {
    const flex = version >= 2;
    const throttleTimeMs = r.int32();
    const errorCode = version >= 1 ? r.int16() : 0;
    const results = r.arr(flex, (r) => {
      const topic = required(r.str(flex), 'ElectLeaders.results.topic');
      const partitions = r.arr(flex, (r) => {
        const p = { partition: r.int32(), errorCode: r.int16(), errorMessage: r.str(flex) };
        r.tagsIf(flex);
        return p;
      });
      r.tagsIf(flex);
      return { topic, partitions };
    });
    r.tagsIf(flex);
    return { throttleTimeMs, errorCode, results };
  },
};
