/** The coordination store: port, adapters, and the one the config names. */
import { resolveSecret } from '../config/load.js';
import type { HealerSection } from '../config/sections/healer.js';
import type { CoordinationStore } from './port.js';
import { SqliteStore } from './sqlite.js';

export { isStaleFence, STALE_FENCE, staleFence } from './fence.js';
export { LATEST_VERSION, MIGRATIONS } from './migrations.js';
export type * from './port.js';
export { targetKey } from './port.js';
export { SqliteStore } from './sqlite.js';

/**
 * Opens the store of `healer.store` and runs its migrations: PostgreSQL when `url` is set (the
 * driver loaded only then), else the SQLite file `healer.journal`.
 */
export async function openStore(
  healer: Pick<HealerSection, 'journal' | 'store'>,
): Promise<CoordinationStore> {
  const url = healer.store.url;
  if (!url) return new SqliteStore(healer.journal);
  const { PostgresStore } = await import('./postgres.js');
  return PostgresStore.open({ url: resolveSecret(url, 'healer.store.url') });
}
