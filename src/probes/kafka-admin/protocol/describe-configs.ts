/**
 * DescribeConfigs (API key 32), versions 1-4 (v4 flexible; v0 removed in Kafka 4.0, KIP-896).
 * kafkajs has v0-v2 but sends every resource to one broker, while a broker answers a BROKER
 * resource only about itself ("Unexpected broker id, expected X"): the adapter sends broker
 * resources to that broker with this definition, and gets per-resource errors as values.
 */
import type { ApiDefinition } from './api.js';
import { required } from './wire.js';

/** Kafka's ConfigResource.Type codes. */
export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

export interface DescribeConfigsRequest {
  resources: Array<{ type: number; name: string; keys: string[] | null }>;
  includeSynonyms: boolean;
}

export interface RawConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
  sensitive: boolean;
  synonyms: Array<{ name: string; value: string | null; source: number }>;
}

export interface RawConfigResult {
  errorCode: number;
  errorMessage: string | null;
  type: number;
  name: string;
  configs: RawConfigEntry[];
}

export interface RawDescribeConfigs {
  throttleTimeMs: number;
  results: RawConfigResult[];
}

export const DescribeConfigs: ApiDefinition<DescribeConfigsRequest, RawDescribeConfigs> = {
  apiKey: 32,
  name: 'DescribeConfigs',
  minVersion: 1,
  maxVersion: 4,
  flexibleFrom: 4,
  encode(w, req, version) {
    const flex = version >= 4;
    w.arr(flex, req.resources, (w, res) => {
      w.int8(res.type)
        .str(flex, res.name)
        .arr(flex, res.keys, (w, k) => w.str(flex, k))
        .tagsIf(flex);
    }).bool(req.includeSynonyms);
    if (version >= 3) w.bool(false); // include_documentation: not needed, keeps answers small
    w.tagsIf(flex);
  },
  decode(r, version) {
    const flex = version >= 4;
    const throttleTimeMs = r.int32();
    const results = r.arr(flex, (r) => {
      const errorCode = r.int16();
      const errorMessage = r.str(flex);
      const type = r.int8();
      const name = required(r.str(flex), 'DescribeConfigs.results.resource_name');
      const configs = r.arr(flex, (r) => {
        const entryName = required(r.str(flex), 'DescribeConfigs.configs.name');
        const value = r.str(flex);
        const readOnly = r.bool();
        const source = r.int8();
        const sensitive = r.bool();
        const synonyms = r.arr(flex, (r) => {
          const s = {
            name: required(r.str(flex), 'DescribeConfigs.synonyms.name'),
            value: r.str(flex),
            source: r.int8(),
          };
          r.tagsIf(flex);
          return s;
        });
        if (version >= 3) {
          r.int8(); // config_type
          r.str(flex); // documentation
        }
        r.tagsIf(flex);
        return { name: entryName, value, readOnly, source, sensitive, synonyms };
      });
      r.tagsIf(flex);
      return { errorCode, errorMessage, type, name, configs };
    });
    r.tagsIf(flex);
    return { throttleTimeMs, results };
  },
};
