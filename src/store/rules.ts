/**
 * The decisions both adapters take inside their transactions, as pure functions over the row
 * they read (so SQLite and PostgreSQL cannot drift apart).
 */
import type { Fence, LeaseRecord, TargetLock } from './port.js';

/** What to do with a lease row. */
export type LeaseStep =
  | { kind: 'write'; lease: LeaseRecord; insert: boolean }
  | { kind: 'held'; lease: LeaseRecord };

/**
 * Free (no row) → token 1; ours and unexpired → renewed, same token; expired (whoever held it,
 * us included: a holder that paused past its lease must not keep writing with its old token) →
 * taken with the token bumped; otherwise held by someone else. `takeOverFrom`: the caller knows
 * that holder is dead (its process is gone on this host): its lease is treated as expired if it
 * is still exactly that holder and token.
 */
export function leaseStep(
  row: LeaseRecord | undefined,
  name: string,
  holder: string,
  ttlMs: number,
  now: number,
  takeOverFrom?: { holder: string; token: number },
): LeaseStep {
  if (!row)
    return {
      kind: 'write',
      insert: true,
      lease: { name, holder, token: 1, acquiredAt: now, renewedAt: now, expiresAt: now + ttlMs },
    };
  const dead =
    takeOverFrom !== undefined && row.holder === takeOverFrom.holder && row.token === takeOverFrom.token;
  if (row.expiresAt > now && !dead) {
    if (row.holder !== holder) return { kind: 'held', lease: row };
    return { kind: 'write', insert: false, lease: { ...row, renewedAt: now, expiresAt: now + ttlMs } };
  }
  return {
    kind: 'write',
    insert: false,
    lease: { name, holder, token: row.token + 1, acquiredAt: now, renewedAt: now, expiresAt: now + ttlMs },
  };
}

/** Whether a renewal is allowed: still ours, same token, not yet expired. */
export function canRenew(row: LeaseRecord | undefined, holder: string, token: number, now: number): boolean {
  return row !== undefined && row.holder === holder && row.token === token && row.expiresAt > now;
}

/** Whether a fence is current: the lease exists and still carries this token. */
export function fenceCurrent(row: Pick<LeaseRecord, 'token'> | undefined, f: Fence): boolean {
  return row !== undefined && row.token === f.token;
}

/** A lock can be taken when nobody holds it, or the holder is the stale one the caller named. */
export function lockFree(row: TargetLock | undefined, takeOver: string | undefined): boolean {
  return row === undefined || (takeOver !== undefined && row.id === takeOver);
}
