/** The coordination store: port, adapters, and the one the config names. */
import { resolveSecret } from '../config/load.js';
import type { HealerSection } from '../config/sections/healer.js';
import type { CoordinationStore } from './port.js';

export { isStaleFence, STALE_FENCE, staleFence } from './fence.js';
export { LATEST_VERSION, MIGRATIONS } from './migrations.js';
export type * from './port.js';
export { targetKey } from './port.js';

/**
 * Opens the store of `healer.store` and runs its migrations: PostgreSQL when `url` is set, else the
 * SQLite file `healer.journal`. Each driver is loaded only then, so a command start loads neither
 * (test/build/startup-imports.test.ts); `SqliteStore` itself is imported from `./sqlite.js`.
 */
export async function openStore(
  healer: Pick<HealerSection, 'journal'> & {
    store: Pick<HealerSection['store'], 'url'> & Partial<HealerSection['store']>;
  },
): Promise<CoordinationStore> {
  const url = healer.store.url;
  if (!url) return openSqliteStore(healer.journal);
  const { PostgresStore } = await import('./postgres.js');
  return PostgresStore.open({ url: resolveSecret(url, 'healer.store.url') });
}

/** The SQLite store at `file` (`:memory:` for an empty, ephemeral one), its driver loaded now. */
export async function openSqliteStore(file: string): Promise<CoordinationStore> {
  const { SqliteStore } = await import('./sqlite.js');
  return new SqliteStore(file);
}
