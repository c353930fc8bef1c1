/**
 * Versioned schema of the coordination store, one entry per version for each dialect. Applied in
 * order on open (and by `streamctl healer migrate`), each in its own transaction, recorded in
 * `schema_migrations`. Never edit an applied version: add the next one.
 *
 * v1 is the healer journal as it was before the store existed (CREATE … IF NOT EXISTS), so a
 * journal file written by an older daemon opens unchanged and gains the tables of v2.
 */

/** One schema version. */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/** The healer journal's SQLite tables (also created by a SqliteJournal opened on its own). */
export const JOURNAL_TABLES_SQLITE = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, app TEXT NOT NULL, incident_key TEXT,
  kind TEXT NOT NULL, reason TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS decisions_app_at ON decisions(app, at);
CREATE TABLE IF NOT EXISTS intents (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, app TEXT NOT NULL, incident_key TEXT,
  action_type TEXT NOT NULL, operation TEXT NOT NULL, reason TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS intents_at ON intents(at);
CREATE TABLE IF NOT EXISTS outcomes (
  id INTEGER PRIMARY KEY, intent_id INTEGER NOT NULL REFERENCES intents(id), at INTEGER NOT NULL,
  status TEXT NOT NULL, operation_id TEXT, detail TEXT);
CREATE INDEX IF NOT EXISTS outcomes_intent ON outcomes(intent_id);
CREATE TABLE IF NOT EXISTS incidents (
  key TEXT PRIMARY KEY, app TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
  opened_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_status ON incidents(status);
`;

const JOURNAL_SQLITE = `${JOURNAL_TABLES_SQLITE}INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '1');
`;

const JOURNAL_POSTGRES = `
CREATE TABLE decisions (
  id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, app TEXT NOT NULL, incident_key TEXT,
  kind TEXT NOT NULL, reason TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX decisions_app_at ON decisions(app, at);
CREATE TABLE intents (
  id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, app TEXT NOT NULL, incident_key TEXT,
  action_type TEXT NOT NULL, operation TEXT NOT NULL, reason TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX intents_at ON intents(at);
CREATE TABLE outcomes (
  id BIGSERIAL PRIMARY KEY, intent_id BIGINT NOT NULL REFERENCES intents(id), at BIGINT NOT NULL,
  status TEXT NOT NULL, operation_id TEXT, detail TEXT);
CREATE INDEX outcomes_intent ON outcomes(intent_id);
CREATE TABLE incidents (
  key TEXT PRIMARY KEY, app TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
  opened_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, body TEXT NOT NULL);
CREATE INDEX incidents_status ON incidents(status);
`;

// Same shape in both dialects (INTEGER is 64-bit in SQLite).
const COORDINATION = (big: string) => `
CREATE TABLE leases (
  name TEXT PRIMARY KEY, holder TEXT NOT NULL, token ${big} NOT NULL,
  acquired_at ${big} NOT NULL, renewed_at ${big} NOT NULL, expires_at ${big} NOT NULL);
CREATE TABLE target_locks (
  target TEXT PRIMARY KEY, id TEXT NOT NULL, owner TEXT NOT NULL, pid INTEGER NOT NULL,
  host TEXT NOT NULL, acquired_at ${big} NOT NULL, expires_at ${big}, fence ${big});
CREATE TABLE operator_actions (
  id ${big === 'BIGINT' ? 'BIGSERIAL' : 'INTEGER'} PRIMARY KEY, at ${big} NOT NULL, actor TEXT NOT NULL,
  target TEXT NOT NULL, action TEXT NOT NULL, detail TEXT,
  outcome_at ${big}, outcome TEXT, outcome_detail TEXT);
CREATE INDEX operator_actions_target ON operator_actions(target, id);
`;

// Sharded healers: replicas' heartbeats, and each shard's fleet counts (JSON) with its token.
const SHARDS = (big: string) => `
CREATE TABLE healer_members (
  replica TEXT PRIMARY KEY, started_at ${big} NOT NULL, heartbeat_at ${big} NOT NULL,
  expires_at ${big} NOT NULL, shards INTEGER NOT NULL);
CREATE TABLE shard_fleet_counts (
  lease TEXT PRIMARY KEY, token ${big} NOT NULL, at ${big} NOT NULL, body TEXT NOT NULL);
`;

/** Every version, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'healer journal', sqlite: JOURNAL_SQLITE, postgres: JOURNAL_POSTGRES },
  {
    version: 2,
    name: 'leases, target locks, operator actions',
    sqlite: COORDINATION('INTEGER'),
    postgres: COORDINATION('BIGINT'),
  },
  {
    version: 3,
    name: 'healer members, shard fleet counts',
    sqlite: SHARDS('INTEGER'),
    postgres: SHARDS('BIGINT'),
  },
];

/** The newest version this build knows. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The migrations still to apply on top of `current`. */
export function pendingMigrations(current: number): Migration[] {
  return MIGRATIONS.filter((m) => m.version > current);
}
