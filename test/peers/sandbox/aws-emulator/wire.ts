/**
 * The HTTP side of the emulator: reading request bodies and writing responses and errors the way
 * each AWS protocol does (AWS JSON 1.0/1.1 with X-Amz-Target; REST-JSON for kafka).
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from './errors.js';

/** Reads the whole body (bounded: the emulator never needs more than a few MB). */
export async function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const b = c as Buffer;
    size += b.length;
    if (size > limit) throw new AwsError('SerializationException', `request body larger than ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON object body; an empty body is `{}`. */
export function parseJsonObject(buf: Buffer): Record<string, unknown> {
  if (buf.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'request body is not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new AwsError('SerializationException', 'request body must be a JSON object');
  return v as Record<string, unknown>;
}

/** Writes a JSON RPC (AWS JSON 1.x) success. */
export function sendJsonRpc(res: ServerResponse, version: '1.0' | '1.1', body: unknown): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(200, {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Writes a JSON RPC error: `__type` + `message`, plus the query-compat header when there is one. */
export function sendJsonRpcError(
  res: ServerResponse,
  version: '1.0' | '1.1',
  e: AwsError,
  namespace: string,
): void {
  const text = JSON.stringify({ __type: `${namespace}#${e.type}`, message: e.message });
  const headers: Record<string, string | number> = {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(text),
  };
  if (e.queryCode)
    headers['x-amzn-query-error'] = `${e.queryCode};${e.status >= 500 ? 'Receiver' : 'Sender'}`;
  res.writeHead(e.status, headers);
  res.end(text);
}

/** Writes a REST-JSON success. */
export function sendRestJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Writes a REST-JSON error: the status, `x-amzn-errortype` and `{"message"}`. */
export function sendRestJsonError(res: ServerResponse, e: AwsError): void {
  const text = JSON.stringify({ message: e.message });
  res.writeHead(e.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': e.type,
    'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Plain-text or JSON reply for the control API and the dashboard proxy. */
export function sendPlain(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
