import type { z } from 'zod';
import { badInput, configError, fromUnknown, type StreamctlError } from '../core/errors.js';

/**
 * Boundary helpers shared by the AWS adapters (managed-flink, cloudwatch, cloudwatch-logs, msk,
 * notify): validating what an API returned, and mapping SDK exceptions to StreamctlErrors.
 *
 * The SDK's TypeScript types are not validation: nearly every output field is optional, and an
 * emulator, a proxy or a future API version may omit or change one. Each adapter's schema.ts says
 * which fields it needs; this turns a mismatch into one clear message naming the API, the field
 * and the expectation. Values are never echoed (a response may carry a presigned URL or a token).
 */

/** Validates an API response; throws BAD_INPUT (exit 65) naming `<api> response: <field>: expected …`. */
export function parseResponse<S extends z.ZodType>(schema: S, data: unknown, api: string): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '';
  const expected = issue ? describeExpectation(issue) : 'a valid response';
  const got = issue && issue.code === 'invalid_type' ? describeType(valueAt(data, issue.path)) : undefined;
  throw badInput(`${api} response`, field || '(root)', expected, got);
}

function describeExpectation(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `${article(String(issue.expected))} ${issue.expected}`;
  // Zod's own wording ("Invalid input: expected …", "Too small: …") minus the generic prefix.
  return issue.message.replace(/^Invalid (input|option):\s*/i, '').replace(/^expected\s+/i, '');
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = data;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** The SDK exception's name (`ResourceInUseException`), or ''. */
export function awsErrorName(err: unknown): string {
  const e = err as { name?: unknown; Code?: unknown; code?: unknown };
  for (const v of [e?.name, e?.Code, e?.code]) if (typeof v === 'string' && v !== 'Error') return v;
  return '';
}

/**
 * Maps an SDK error to a StreamctlError: a missing region becomes a config error (exit 78),
 * everything else goes through fromUnknown (IAM → 77, throttling/timeouts → 75, network → 69).
 */
export function awsError(err: unknown, api: string): StreamctlError {
  const msg = (err as { message?: unknown })?.message;
  if (typeof msg === 'string' && /Region is missing/i.test(msg)) {
    return configError(
      `${api}: no AWS region`,
      'Set aws.region in streamctl.yaml, the target region, or AWS_REGION.',
    );
  }
  return fromUnknown(err, api);
}
