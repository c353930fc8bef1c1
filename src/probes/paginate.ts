import { StreamctlError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';

/**
 * Follows NextToken pages to the end. Guards against a service (or emulator) that repeats a token
 * or never stops: that is a bug on the other side, reported instead of looping forever.
 */
export async function allPages<T>(
  api: string,
  fetchPage: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string | undefined }>,
  maxPages = 10_000,
): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const r = await fetchPage(token);
    out.push(...r.items);
    if (!r.nextToken) return out;
    if (seen.has(r.nextToken)) {
      throw new StreamctlError('BAD_PAGINATION', `${api}: the service repeated a NextToken; stopping`, {
        exitCode: Sysexit.DATAERR,
      });
    }
    seen.add(r.nextToken);
    token = r.nextToken;
  }
  throw new StreamctlError('BAD_PAGINATION', `${api}: more than ${maxPages} pages; stopping`, {
    exitCode: Sysexit.DATAERR,
  });
}
