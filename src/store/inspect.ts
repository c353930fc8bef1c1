/**
 * A read-only look at the configured store for `streamctl doctor`: reachable, schema version
 * against this build's, leases and locks held. Never migrates nor creates anything (doctor only
 * reads); `streamctl healer migrate` applies what is missing.
 */
import { existsSync } from 'node:fs';
import { resolveSecret } from '../config/load.js';
import type { HealerSection } from '../config/sections/healer.js';
import { StreamctlError, unavailable } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import { LATEST_VERSION } from './migrations.js';

/** What doctor reports of the store. */
export interface StoreInspection {
  kind: 'sqlite' | 'postgres';
  location: string;
  /** 0: no schema yet (created on first use). */
  version: number;
  leases: number;
  locks: number;
}

const Q_VERSION = 'SELECT MAX(version) AS v FROM schema_migrations';

async function inspectSqlite(file: string): Promise<StoreInspection> {
  const none = { kind: 'sqlite' as const, location: file, version: 0, leases: 0, locks: 0 };
  if (!existsSync(file)) return none;
  // The driver loads only when there is a file to read (a command's start does not load it).
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const has = (t: string) =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
    if (!has('schema_migrations')) return none;
    const count = (t: string) =>
      has(t) ? (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n : 0;
    return {
      ...none,
      version: (db.prepare(Q_VERSION).get() as { v: number | null }).v ?? 0,
      leases: count('leases'),
      locks: count('target_locks'),
    };
  } finally {
    db.close();
  }
}

async function inspectPostgres(url: string): Promise<StoreInspection> {
  const { default: pg } = await import('pg');
  const { redactedLocation } = await import('./postgres.js');
  const location = redactedLocation(url);
  const c = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 5_000,
  });
  try {
    await c.connect();
    const reg = async (t: string) => (await c.query('SELECT to_regclass($1) AS r', [t])).rows[0].r !== null;
    const count = async (t: string) =>
      (await reg(t)) ? Number((await c.query(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0].n) : 0;
    const version = (await reg('schema_migrations')) ? Number((await c.query(Q_VERSION)).rows[0].v ?? 0) : 0;
    return {
      kind: 'postgres',
      location,
      version,
      leases: await count('leases'),
      locks: await count('target_locks'),
    };
  } catch (e) {
    throw unavailable(`store ${location}: ${(e as Error).message}`, undefined, e);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Inspects the store `healer.store` names. */
export async function inspectStore(
  healer: Pick<HealerSection, 'journal' | 'store'>,
): Promise<StoreInspection> {
  const url = healer.store.url;
  return url ? inspectPostgres(resolveSecret(url, 'healer.store.url')) : inspectSqlite(healer.journal);
}

/** The doctor line of an inspection; throws when the schema is newer than this build or behind it. */
export function describeInspection(i: StoreInspection): string {
  if (i.version > LATEST_VERSION)
    throw new StreamctlError(
      'STORE_SCHEMA',
      `store ${i.location}: schema v${i.version} is newer than this streamctl (v${LATEST_VERSION})`,
      {
        exitCode: Sysexit.CONFIG,
        hint: 'Upgrade streamctl on this host to the version the other replicas run.',
      },
    );
  if (i.version === 0) return `${i.kind} ${i.location}: no schema yet (created and migrated on first use)`;
  if (i.version < LATEST_VERSION)
    throw new StreamctlError(
      'STORE_SCHEMA',
      `store ${i.location}: schema v${i.version}, this streamctl needs v${LATEST_VERSION}`,
      {
        exitCode: Sysexit.CONFIG,
        hint: 'Run `streamctl healer migrate` (the daemon also migrates on start).',
      },
    );
  return `${i.kind} ${i.location}: schema v${i.version}, ${i.leases} lease(s), ${i.locks} lock(s) held`;
}
