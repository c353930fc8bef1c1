/**
 * Per-target action locks: one file per cluster (or application) in the state directory, so that
 * two streamctl processes never act on the same target at once — a rebalance and the healer, two
 * `rebalance execute` runs, an operator's command while the daemon repairs (STYLE.md §7: never
 * heal while a rebalance or another action runs).
 *
 * The file is created with O_EXCL (atomic on local filesystems) and holds who took it. A lock
 * whose process is gone (same host, PID not alive: e.g. kill -9) is stale and is taken over, so a
 * crashed executor never blocks its own resume. A lock held by another host is never taken over
 * automatically: its owner might be alive.
 *
 * Layout: `<stateDir>/locks/<kind>-<name>.lock`, e.g. `.streamctl/locks/kafka-prod.lock`.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { refused } from './errors.js';

/** Who holds a lock. */
export interface LockInfo {
  pid: number;
  host: string;
  /** What holds it, for the refusal message: `rebalance execute`, `healer`. */
  owner: string;
  acquiredAt: string;
}

/** A held lock; release() is idempotent. */
export interface LockHandle {
  readonly file: string;
  readonly info: LockInfo;
  release(): void;
}

/** The lock file of a target: `<stateDir>/locks/<kind>-<name>.lock`. */
export function targetLockPath(stateDir: string, kind: 'kafka' | 'flink', name: string): string {
  return join(stateDir, 'locks', `${kind}-${name}.lock`);
}

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

/** The current holder of a lock, with whether it is still alive; undefined when the file is absent. */
export function readLock(file: string): { info: LockInfo; alive: boolean } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let info: LockInfo;
  try {
    info = JSON.parse(text) as LockInfo;
  } catch {
    // A lock file cut short by a crash between create and write: nobody can be holding it.
    return {
      info: { pid: 0, host: hostname(), owner: 'unknown (unreadable lock file)', acquiredAt: '' },
      alive: false,
    };
  }
  const alive = info.host !== hostname() ? true : pidAlive(info.pid);
  return { info, alive };
}

/**
 * Takes the lock or refuses (exit 75) naming its holder. A stale lock (dead PID on this host) is
 * replaced. `now` is passed in so callers with a virtual clock stay reproducible.
 */
export function acquireLock(file: string, owner: string, now: number = Date.now()): LockHandle {
  mkdirSync(dirname(file), { recursive: true });
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    owner,
    acquiredAt: new Date(now).toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = readLock(file);
      if (held?.alive && !(held.info.pid === process.pid && held.info.host === info.host)) {
        throw refused(
          `${held.info.owner} (pid ${held.info.pid} on ${held.info.host}, since ${held.info.acquiredAt}) is acting on this target`,
          `Wait for it to finish, or stop it first. The lock is ${file}.`,
        );
      }
      // Stale (its process is gone) or our own: remove and retry the exclusive create.
      rmSync(file, { force: true });
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(info));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      file,
      info,
      release() {
        if (released) return;
        released = true;
        const cur = readLock(file);
        if (cur && cur.info.pid === info.pid && cur.info.host === info.host) rmSync(file, { force: true });
      },
    };
  }
  throw refused(`could not take the lock ${file}: another process keeps taking it`, 'Retry in a moment.');
}
