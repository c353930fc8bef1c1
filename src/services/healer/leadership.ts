/**
 * Glue between the daemon loop and its lease (lease.ts): the replica's name, the log lines of
 * role changes, what a standby does meanwhile, and the role as /healthz shows it.
 */
import { hostname } from 'node:os';
import type { Clock } from '../../core/clock.js';
import type { LeaseChange, LeaseView } from './lease.js';
import type { DaemonLogger } from './logger.js';
import type { FleetObserver } from './tick.js';

/** `healer.store.replicaId`, else `<host>/<pid>` (unique per process, readable in refusals). */
export function healerReplicaId(configured: string | undefined): string {
  return configured ?? `${hostname()}/${process.pid}`;
}

/** One log line per role change (a lease renewed across an expiry nobody used: debug only). */
export function logLeaseChange(log: DaemonLogger, c: LeaseChange, replica: string): void {
  if (c.kind === 'acquired' && c.continuous)
    log.debug({ replica, token: c.token }, 'lease re-acquired after an expiry nobody used');
  else if (c.kind === 'acquired')
    log.warn(
      { replica, token: c.token, ...(c.previousHolder ? { previousHolder: c.previousHolder } : {}) },
      'leader: lease acquired, resuming from the journal and acting under the new fencing token',
    );
  else if (c.kind === 'lost')
    log.warn({ replica, token: c.token, reason: c.reason }, 'standby: lease lost, not acting');
}

/**
 * A standby's tick: the base observation every tickInterval (so a takeover starts with warm
 * restart samplers and presigned sessions), nothing decided, nothing written. Returns the next
 * full-observation time. A failed observation is logged and retried at the next one.
 */
export async function standby(
  observer: FleetObserver,
  nextFull: number,
  clock: Clock,
  tickIntervalMs: number,
  log: DaemonLogger,
): Promise<number> {
  const now = clock.now();
  if (now < nextFull) return nextFull;
  try {
    const obs = await observer.observe(now);
    log.debug({ apps: obs.length }, 'standby: fleet observed');
  } catch (e) {
    log.warn({ error: (e as Error).message }, 'standby: observation failed');
  }
  return now + tickIntervalMs;
}

/** The role fields of /healthz. */
export function leaseHealth(v: LeaseView, now: number) {
  return {
    role: v.role,
    replica: v.replica,
    lease: v.lease,
    ...(v.token !== undefined ? { token: v.token } : {}),
    ...(v.acquiredAt !== undefined
      ? { leaseAgeSeconds: Math.max(0, Math.round((now - v.acquiredAt) / 1000)) }
      : {}),
    ...(v.expiresAt !== undefined ? { leaseExpiresAt: new Date(v.expiresAt).toISOString() } : {}),
    ...(v.holder ? { leader: v.holder } : {}),
    ...(v.reason ? { notActingBecause: v.reason } : {}),
  };
}
