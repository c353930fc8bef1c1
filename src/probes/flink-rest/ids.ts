import { usageError } from '../../core/errors.js';

const ID = /^[0-9a-f]{32}$/;

/**
 * Checks a Flink job or vertex id before it goes into a REST path: only Flink's 32 hex characters,
 * so that no id can walk the path (`../`) through a proxy or the presigned dashboard.
 */
export function checkFlinkId(what: 'job id' | 'vertex id', id: string): string {
  if (!ID.test(id))
    throw usageError(`${what} must be 32 hex characters (got ${JSON.stringify(id.slice(0, 40))})`);
  return id;
}
