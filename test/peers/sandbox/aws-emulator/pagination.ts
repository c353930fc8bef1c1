import type { AwsError } from './errors.js';

/**
 * Offset-based pagination with opaque tokens, as every List* call here pages. A token from another
 * listing (or a forged one) is rejected the way services reject a bad NextToken.
 */
export function paginate<T>(
  items: readonly T[],
  nextToken: unknown,
  limit: unknown,
  opts: { max: number; defaultLimit: number; scope: string; badToken: (m: string) => AwsError },
): { page: T[]; nextToken?: string } {
  let offset = 0;
  if (typeof nextToken === 'string' && nextToken.length > 0) {
    const decoded = decodeToken(nextToken);
    if (!decoded || decoded.scope !== opts.scope)
      throw opts.badToken(`NextToken ${nextToken} is not valid for this request`);
    offset = decoded.offset;
  }
  let n = opts.defaultLimit;
  if (limit !== undefined && limit !== null) {
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > opts.max) {
      throw opts.badToken(`Limit must be an integer between 1 and ${opts.max} (got ${String(limit)})`);
    }
    n = limit;
  }
  const page = items.slice(offset, offset + n);
  const next = offset + n < items.length ? encodeToken(opts.scope, offset + n) : undefined;
  return next ? { page, nextToken: next } : { page };
}

function encodeToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

function decodeToken(token: string): { scope: string; offset: number } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (typeof v.s === 'string' && typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0)
      return { scope: v.s, offset: v.o };
  } catch {
    /* not ours */
  }
  return undefined;
}
