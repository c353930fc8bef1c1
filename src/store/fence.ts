/** The refusal of a write whose fencing token is no longer current. */
import { StreamctlError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import type { Fence } from './port.js';

/** Code of StaleFenceError: the daemon stops acting and goes back to standby. */
export const STALE_FENCE = 'STALE_FENCE';

/**
 * A write under a lease whose token was superseded (another replica took the lease while this one
 * was paused, partitioned or slow). Never retried with the same token.
 */
export function staleFence(f: Fence, current: number | undefined): StreamctlError {
  return new StreamctlError(
    STALE_FENCE,
    `stale fencing token ${f.token} for lease ${f.lease} (current: ${current ?? 'none'}): another replica holds the lease, this write was rejected`,
    {
      exitCode: Sysexit.TEMPFAIL,
      hint: 'This replica lost its lease; it acts again only after it re-acquires it.',
    },
  );
}

/** Whether an error is a stale-fence rejection. */
export function isStaleFence(e: unknown): boolean {
  return e instanceof StreamctlError && e.code === STALE_FENCE;
}
