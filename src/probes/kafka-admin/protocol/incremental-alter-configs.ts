/**
 * IncrementalAlterConfigs (API key 44), versions 0-1 (v1 flexible), KIP-339: set, delete, append
 * or subtract single config keys without resending the whole config (what kafkajs's AlterConfigs
 * does, wiping every dynamic key it does not list). Replication throttles depend on this.
 */
import type { ApiDefinition } from './api.js';
import { required } from './wire.js';

/** Kafka's AlterConfigOp.OpType codes. */
export const ConfigOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface IncrementalAlterConfigsRequest {
  resources: Array<{
    type: number;
    name: string;
    configs: Array<{ name: string; op: number; value: string | null }>;
  }>;
  validateOnly: boolean;
}

export interface RawAlterConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  type: number;
  name: string;
}

export interface RawIncrementalAlterConfigs {
  throttleTimeMs: number;
  results: RawAlterConfigsResult[];
}

export const IncrementalAlterConfigs: ApiDefinition<
  IncrementalAlterConfigsRequest,
  RawIncrementalAlterConfigs
> = {
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 1,
  encode(w, req, version) {
    const flex = version >= 1;
    w.arr(flex, req.resources, (w, res) => {
      w.int8(res.type)
        .str(flex, res.name)
        .arr(flex, res.configs, (w, c) => {
          w.str(flex, c.name).int8(c.op).str(flex, c.value).tagsIf(flex);
        })
        .tagsIf(flex);
    })
      .bool(req.validateOnly)
      .tagsIf(flex);
  },
  decode(r, version) {
    const flex = version >= 1;
    const throttleTimeMs = r.int32();
    const results = r.arr(flex, (r) => {
      const res = {
        errorCode: r.int16(),
        errorMessage: r.str(flex),
        type: r.int8(),
        name: required(r.str(flex), 'IncrementalAlterConfigs.responses.resource_name'),
      };
      r.tagsIf(flex);
      return res;
    });
    r.tagsIf(flex);
    return { throttleTimeMs, results };
  },
};
