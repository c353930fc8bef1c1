/**
 * One lock per target (a Kafka cluster, a Flink application), held in the coordination store and
 * shared by every actor: the healer before an action, `kafka rebalance execute` for its whole
 * run, `flink rollback` / `flink force-stop`, the runbooks (docs/design.md §6: never act while another
 * action runs on the same target). A refusal names the holder: who (pid, host), what, since when.
 *
 * A held lock is stale, and taken over, when it has expired (the healer's locks and long runs'
 * heartbeats expire) or when its process is gone on this host (kill -9 of an executor: its resume
 * must not be blocked by itself). A lock this process already holds is taken again as nested (the
 * outer holder releases it). A lock held by a live process, or by another host before its
 * expiry, is never taken over automatically: `--force-unlock` does that, after a confirmation.
 */
import { hostname } from 'node:os';
import { refused } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import type { CoordinationStore, Fence, TargetLock } from './port.js';

/** Whether a process with this PID exists on this host (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a held lock may be taken over, or undefined when its holder may still be acting. */
export function staleReason(held: TargetLock, now: number, host = hostname()): string | undefined {
  if (held.expiresAt !== undefined && held.expiresAt <= now) return 'expired';
  if (held.host === host && held.pid !== process.pid && !pidAlive(held.pid)) return 'its process is gone';
  return undefined;
}

/** `<owner> (pid N on host, since ISO)`: the holder as every refusal names it. */
export function describeHolder(l: TargetLock): string {
  return `${l.owner} (pid ${l.pid} on ${l.host}, since ${new Date(l.acquiredAt).toISOString()})`;
}

/** The refusal of a held lock (exit 75). */
export function lockedError(target: string, held: TargetLock, forceUnlockHint: string) {
  return refused(
    `${describeHolder(held)} is acting on ${target}`,
    `Wait for it to finish, or stop it first. If it is gone for good: ${forceUnlockHint}.`,
  );
}

/** A held lock; release() is idempotent and never throws (a store outage leaves it to expire). */
export interface TargetLockHandle {
  readonly lock: TargetLock;
  release(): Promise<void>;
}

/** How to take a lock. */
export interface LockRequest {
  target: string;
  owner: string;
  now: number;
  /** The lock expires after this long unless heartbeat() pushes it (healer, long runs). */
  ttlMs?: number;
  /** The healer's lease: the lock is taken only while its token is current. */
  fence?: Fence;
  /** Shown in the refusal's hint. */
  forceUnlockHint?: string;
}

/**
 * Takes the target's lock, taking over a stale one, or throws the refusal naming the holder.
 * `onTakeOver` is told which stale lock was replaced (logged by callers).
 */
export async function acquireTargetLock(
  store: CoordinationStore,
  req: LockRequest,
  onTakeOver?: (stale: TargetLock, why: string) => void,
): Promise<TargetLockHandle> {
  const base = {
    target: req.target,
    owner: req.owner,
    pid: process.pid,
    host: hostname(),
    ...(req.ttlMs !== undefined ? { expiresAt: req.now + req.ttlMs } : {}),
    ...(req.fence ? { fence: req.fence.token } : {}),
  };
  const opts = req.fence ? { fence: req.fence } : {};
  let r = await store.tryLock(base, req.now, opts);
  if (!r.ok && r.held.pid === base.pid && r.held.host === base.host && r.held.fence === base.fence) {
    // Already ours (a runbook's act running `rebalance execute` in the same process): nested,
    // the outer acquisition releases it.
    return { lock: r.held, release: async () => undefined };
  }
  if (!r.ok) {
    // A lock taken under an older token of the same lease (a healer leader since replaced).
    const superseded =
      req.fence && r.held.fence !== undefined && r.held.fence < req.fence.token
        ? `superseded by fencing token ${req.fence.token}`
        : undefined;
    const why = superseded ?? staleReason(r.held, req.now);
    if (why === undefined)
      throw lockedError(
        req.target,
        r.held,
        req.forceUnlockHint ?? 'run the command again with --force-unlock',
      );
    const stale = r.held;
    r = await store.tryLock(base, req.now, { ...opts, takeOver: stale.id });
    if (!r.ok)
      throw lockedError(req.target, r.held, req.forceUnlockHint ?? 'run it again with --force-unlock');
    onTakeOver?.(stale, why);
  }
  const lock = r.lock;
  let released = false;
  return {
    lock,
    async release() {
      if (released) return;
      released = true;
      await store.unlock(lock.target, lock.id).catch(() => undefined);
    },
  };
}

/** Runs fn holding the target's lock; released however fn ends. */
export async function withTargetLock<T>(
  store: CoordinationStore,
  req: LockRequest,
  fn: (lock: TargetLock) => Promise<T>,
): Promise<T> {
  const h = await acquireTargetLock(store, req);
  try {
    return await fn(h.lock);
  } finally {
    await h.release();
  }
}

/**
 * Journals an operator's action (CLI, runbook) before it runs and its outcome after: `done`,
 * `refused` (a StreamctlError with exit 75) or `failed`. The action's own error is rethrown.
 */
export async function journaled<T>(
  store: CoordinationStore,
  rec: { actor: string; target: string; action: string; detail?: string },
  now: () => number,
  fn: () => Promise<T>,
  describe?: (result: T) => string | undefined,
): Promise<T> {
  const id = await store.recordOperatorAction({ ...rec, at: now() });
  try {
    const out = await fn();
    await store.recordOperatorOutcome(id, now(), 'done', describe?.(out));
    return out;
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    await store
      .recordOperatorOutcome(
        id,
        now(),
        code === Sysexit.TEMPFAIL ? 'refused' : 'failed',
        (e as Error)?.message ?? String(e),
      )
      .catch(() => undefined);
    throw e;
  }
}
