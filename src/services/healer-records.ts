/**
 * The healer's incidents and actions, read-only, for the views that tell an application's story
 * (flink status, watch, flink exceptions, healer history, the report). I/O side: the pure story is
 * `monitors/flink-story.ts`.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import type { Incident } from '../healer/incident.js';
import type { ActionHistory } from '../healer/journal/port.js';

export interface HealerRecords {
  /** Every incident the views may tell: open ones and the newest others, oldest first. */
  incidents: Incident[];
  actions: ActionHistory[];
}

/** How many of the newest incidents and actions are read: far more than one story needs. */
const NEWEST = 500;

/** No journal (the healer never ran here): no records, not an error. */
export const NO_RECORDS: HealerRecords = { incidents: [], actions: [] };

/**
 * Reads the journal of the store `healer.store` names: the SQLite file `healer.journal` (none
 * when the file does not exist: no file is created), or PostgreSQL. A journal that cannot be
 * read throws: the caller says so instead of telling a story without the healer's side.
 */
export async function readHealerRecords(config: Config, opts: { app?: string } = {}): Promise<HealerRecords> {
  const file = config.healer.journal;
  if (!config.healer.store.url && (file === ':memory:' || !existsSync(file))) return NO_RECORDS;
  const { openStore } = await import('../store/index.js');
  const store = await openStore(config.healer);
  const journal = store.journal();
  try {
    const q = { ...(opts.app ? { app: opts.app } : {}), limit: NEWEST };
    const [incidents, open, actions] = await Promise.all([
      journal.incidents(q),
      journal.openIncidents(),
      journal.actions(q),
    ]);
    // An incident open for long may be older than the newest N: it still belongs in the story.
    const byKey = new Map(incidents.map((i) => [i.key, i]));
    for (const i of open) if (!opts.app || i.app === opts.app) byKey.set(i.key, byKey.get(i.key) ?? i);
    return {
      incidents: [...byKey.values()].sort((a, b) => a.openedAt - b.openedAt),
      actions,
    };
  } finally {
    await store.close();
  }
}

/** The records of one application. */
export function recordsOf(r: HealerRecords, app: string): HealerRecords {
  return {
    incidents: r.incidents.filter((i) => i.app === app),
    actions: r.actions.filter((a) => a.app === app),
  };
}
