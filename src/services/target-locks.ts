/**
 * The CLI's side of the per-target locks (src/store/target-lock.ts): open the store the config
 * names, look a holder up, and `--force-unlock` with its confirmation, journaled.
 */

import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { openSqliteStore, openStore } from '../store/index.js';
import type { CoordinationStore, TargetLock } from '../store/port.js';
import { describeHolder, journaled, staleReason } from '../store/target-lock.js';

/** Opens the store of `healer.store` (SQLite at healer.journal by default). */
export function storeFor(config: Config): Promise<CoordinationStore> {
  return openStore(config.healer);
}

/**
 * The store for a read (a dry run, a status): when the SQLite file does not exist yet nobody holds
 * a lock, and an empty in-memory store answers without creating the file.
 */
export function storeForReading(config: Config): Promise<CoordinationStore> {
  const file = config.healer.journal;
  if (!config.healer.store.url && file !== ':memory:' && !existsSync(file))
    return openSqliteStore(':memory:');
  return openStore(config.healer);
}

/** The holder of a target's lock that may still be acting (stale locks are not holders). */
export async function liveHolder(
  store: CoordinationStore,
  target: string,
  now: number,
): Promise<TargetLock | undefined> {
  const held = await store.readLock(target);
  return held && staleReason(held, now) === undefined ? held : undefined;
}

/**
 * `--force-unlock`: removes the target's lock whoever holds it, after a confirmation that names
 * the holder (it may still be acting). Journaled as an operator action. Nothing held: no prompt.
 */
export async function forceUnlock(
  store: CoordinationStore,
  target: string,
  confirm: (question: string) => Promise<void>,
  now: () => number,
): Promise<TargetLock | undefined> {
  const held = await store.readLock(target);
  if (!held) return undefined;
  await confirm(
    `Remove the lock of ${target} held by ${describeHolder(held)}? If that process is still acting, two actions will run at once.`,
  );
  return journaled(
    store,
    { actor: 'cli', target, action: 'force-unlock', detail: describeHolder(held) },
    now,
    () => store.forceUnlock(target),
  );
}
