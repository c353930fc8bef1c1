/**
 * How one of streamctl's own admin requests is described, versioned and framed for kafkajs's
 * Connection.send. A definition knows its API key, the versions it implements and where flexible
 * versions start; the adapter picks the highest version both sides support from the broker's
 * ApiVersions answer, as the Java AdminClient does.
 */
import { StreamctlError } from '../../../core/errors.js';
import { Sysexit } from '../../../core/exit-codes.js';
import type { ApiVersionsMap, KafkajsProtocolRequest } from '../kafkajs-internals.js';
import { Reader, WireError, Writer } from './wire.js';

/** One Kafka API as streamctl implements it. */
export interface ApiDefinition<Req, Res> {
  apiKey: number;
  name: string;
  /** Versions this encoder/decoder implements, inclusive. */
  minVersion: number;
  maxVersion: number;
  /** First flexible version (KIP-482), or Infinity when none we implement is flexible. */
  flexibleFrom: number;
  /** Writes the request body (after the request header) for `version`. */
  encode(w: Writer, req: Req, version: number): void;
  /** Reads the response body (after the response header) for `version`. */
  decode(r: Reader, version: number): Res;
}

/**
 * The highest version both we and the broker support. A broker too old (or too new: Kafka 4.0
 * dropped old versions, KIP-896) for every version we implement is a clear error, not a guess.
 */
export function pickVersion(
  def: ApiDefinition<unknown, unknown>,
  versions: ApiVersionsMap | null | undefined,
): number {
  const theirs = versions?.[def.apiKey];
  if (!theirs) {
    throw new StreamctlError(
      'UNSUPPORTED',
      `the broker does not support ${def.name} (API key ${def.apiKey})`,
      {
        exitCode: Sysexit.UNAVAILABLE,
        hint: `${def.name} needs a newer Kafka broker.`,
      },
    );
  }
  const v = Math.min(def.maxVersion, theirs.maxVersion);
  if (v < def.minVersion || v < theirs.minVersion) {
    throw new StreamctlError(
      'UNSUPPORTED',
      `no common ${def.name} version: broker supports v${theirs.minVersion}-v${theirs.maxVersion}, streamctl v${def.minVersion}-v${def.maxVersion}`,
      { exitCode: Sysexit.UNAVAILABLE },
    );
  }
  return v;
}

/**
 * The request body as sent: for flexible versions it starts with the request header v2's empty
 * tagged-field section, because kafkajs writes header v1 (api key, version, correlation id,
 * client id) itself — the same trick kafkajs's own flexible requests use.
 */
export function encodeBody<Req>(def: ApiDefinition<Req, unknown>, req: Req, version: number): Buffer {
  const w = new Writer();
  if (version >= def.flexibleFrom) w.tags();
  def.encode(w, req, version);
  return w.bytes();
}

/**
 * Decodes a response payload (what follows the correlation id). Flexible responses carry
 * response header v1, whose tagged fields come first. Bytes left over mean we used the wrong
 * schema: that is an error, never a silently partial result.
 */
export function decodeBody<Res>(def: ApiDefinition<unknown, Res>, payload: Buffer, version: number): Res {
  const r = new Reader(payload);
  if (version >= def.flexibleFrom) r.tags();
  const res = def.decode(r, version);
  if (r.remaining() !== 0)
    throw new WireError(`${def.name} v${version}: ${r.remaining()} bytes left after decoding`);
  return res;
}

/** Wraps a definition into the `{ request, response }` pair kafkajs's Connection.send expects. */
export function toKafkajs<Req, Res>(
  def: ApiDefinition<Req, Res>,
  req: Req,
  version: number,
  requestTimeout?: number,
): KafkajsProtocolRequest<Res> {
  return {
    request: {
      apiKey: def.apiKey,
      apiVersion: version,
      apiName: def.name,
      // kafkajs's request framer only needs `.buf` to be a Buffer and `.buffer` to be the bytes.
      encode: async () => {
        const bytes = encodeBody(def, req, version);
        return { buf: bytes, buffer: bytes };
      },
    },
    response: {
      decode: async (payload: Buffer) => decodeBody(def, payload, version),
      parse: async (decoded: Res) => decoded,
    },
    ...(requestTimeout === undefined ? {} : { requestTimeout }),
  };
}
