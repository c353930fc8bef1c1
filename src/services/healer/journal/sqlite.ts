/**
 * The journal in embedded SQLite (better-sqlite3). Crash safety: WAL with synchronous=FULL, so a
 * committed intent survives kill -9 and power loss; each record is one transaction. Bodies are JSON
 * (the decision, the anomalies, the classification, the evidence) with the queried columns beside.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { configError } from '../../../core/errors.js';
import type { Incident } from '../../../healer/incident.js';
import {
  type ActionHistory,
  type DecisionRecord,
  FINAL_OUTCOMES,
  type HealerJournal,
  type IntentRecord,
  type OutcomeRecord,
} from '../../../healer/journal/port.js';
import { JOURNAL_TABLES_SQLITE } from '../../../store/migrations.js';
import { journalWriteFailpoint } from './failpoint.js';

// One definition of the tables: the coordination store's first migration (store/migrations.ts).
const SCHEMA = JOURNAL_TABLES_SQLITE;

interface IntentRow {
  id: number;
  at: number;
  app: string;
  incident_key: string | null;
  operation: string;
  reason: string;
  body: string;
}
interface OutcomeRow {
  intent_id: number;
  at: number;
  status: OutcomeRecord['status'];
  operation_id: string | null;
  detail: string | null;
}

/**
 * How the coordination store (src/store/sqlite.ts) shares its connection: `db` is already open
 * and migrated; `guard` runs inside each write's transaction and throws to reject it (a stale
 * fencing token), so the check and the write are atomic.
 */
export interface SqliteJournalShared {
  db: Database.Database;
  guard?: (db: Database.Database) => void;
}

export class SqliteJournal implements HealerJournal {
  private readonly db: Database.Database;
  private readonly guard: ((db: Database.Database) => void) | undefined;
  private readonly owned: boolean;

  /** Opens (creating if needed) the journal file; `:memory:` for an ephemeral one. */
  constructor(
    readonly file: string,
    shared?: SqliteJournalShared,
  ) {
    this.guard = shared?.guard;
    this.owned = shared === undefined;
    if (shared) {
      this.db = shared.db;
      return;
    }
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.exec(SCHEMA);
      this.db.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '1')").run();
    } catch (e) {
      throw configError(
        `healer.journal: cannot open the SQLite journal ${file}: ${(e as Error).message}`,
        'Check the path and its permissions (healer.journal in streamctl.yaml).',
      );
    }
  }

  async recordDecision(r: DecisionRecord): Promise<void> {
    this.write(() =>
      this.db
        .prepare('INSERT INTO decisions(at, app, incident_key, kind, reason, body) VALUES (?, ?, ?, ?, ?, ?)')
        .run(r.at, r.app, r.incidentKey ?? null, r.decision.kind, r.decision.reason, JSON.stringify(r)),
    );
  }

  async recordIntent(r: Omit<IntentRecord, 'id'>): Promise<string> {
    const info = this.write(() =>
      this.db
        .prepare(
          'INSERT INTO intents(at, app, incident_key, action_type, operation, reason, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          r.at,
          r.app,
          r.incidentKey ?? null,
          r.action.type,
          r.operation,
          r.reason,
          JSON.stringify(r.action),
        ),
    );
    return String(info.lastInsertRowid);
  }

  async recordOutcome(r: OutcomeRecord): Promise<void> {
    this.write(() =>
      this.db
        .prepare('INSERT INTO outcomes(intent_id, at, status, operation_id, detail) VALUES (?, ?, ?, ?, ?)')
        .run(Number(r.intentId), r.at, r.status, r.operationId ?? null, r.detail ?? null),
    );
  }

  async upsertIncident(i: Incident): Promise<void> {
    this.write(() =>
      this.db
        .prepare(
          `INSERT INTO incidents(key, app, kind, status, opened_at, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, body = excluded.body`,
        )
        .run(i.key, i.app, i.kind, i.status, i.openedAt, i.updatedAt, JSON.stringify(i)),
    );
  }

  /**
   * Proves the journal takes writes again (after a full volume): one small committed row in
   * `meta`. Throws as a record would.
   */
  async probe(at: number): Promise<void> {
    this.write(() =>
      this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('probedAt', ?)").run(String(at)),
    );
  }

  /**
   * One record, one transaction: the coordination store's guard first (a stale fencing token
   * rejects the write, atomically with it), then the write, then the failpoint (failpoint.ts).
   */
  private write<T>(run: () => T): T {
    const guard = this.guard;
    return this.db.transaction(() => {
      guard?.(this.db);
      const r = run();
      journalWriteFailpoint();
      return r;
    })();
  }

  private histories(rows: IntentRow[]): ActionHistory[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const outs = this.db
      .prepare(
        `SELECT intent_id, at, status, operation_id, detail FROM outcomes WHERE intent_id IN (${ids.map(() => '?').join(',')}) ORDER BY id`,
      )
      .all(...ids) as OutcomeRow[];
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at,
      app: r.app,
      ...(r.incident_key ? { incidentKey: r.incident_key } : {}),
      action: JSON.parse(r.body),
      reason: r.reason,
      operation: r.operation,
      outcomes: outs
        .filter((o) => o.intent_id === r.id)
        .map((o) => ({
          intentId: String(o.intent_id),
          at: o.at,
          status: o.status,
          ...(o.operation_id ? { operationId: o.operation_id } : {}),
          ...(o.detail ? { detail: o.detail } : {}),
        })),
    }));
  }

  async unfinishedActions(): Promise<ActionHistory[]> {
    const finals = FINAL_OUTCOMES.map((s) => `'${s}'`).join(',');
    const rows = this.db
      .prepare(
        `SELECT * FROM intents i WHERE NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.intent_id = i.id AND o.status IN (${finals})) ORDER BY id`,
      )
      .all() as IntentRow[];
    return this.histories(rows);
  }

  async actionsSince(since: number): Promise<ActionHistory[]> {
    return this.histories(
      this.db.prepare('SELECT * FROM intents WHERE at >= ? ORDER BY id').all(since) as IntentRow[],
    );
  }

  async openIncidents(): Promise<Incident[]> {
    return (
      this.db.prepare("SELECT body FROM incidents WHERE status = 'open' ORDER BY opened_at").all() as {
        body: string;
      }[]
    ).map((r) => JSON.parse(r.body));
  }

  async decisions(opts: { app?: string; limit?: number } = {}): Promise<DecisionRecord[]> {
    const rows = (
      opts.app
        ? this.db
            .prepare('SELECT body FROM decisions WHERE app = ? ORDER BY id DESC LIMIT ?')
            .all(opts.app, opts.limit ?? -1)
        : this.db.prepare('SELECT body FROM decisions ORDER BY id DESC LIMIT ?').all(opts.limit ?? -1)
    ) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body)).reverse();
  }

  async actions(opts: { app?: string; limit?: number } = {}): Promise<ActionHistory[]> {
    const rows = (
      opts.app
        ? this.db
            .prepare('SELECT * FROM intents WHERE app = ? ORDER BY id DESC LIMIT ?')
            .all(opts.app, opts.limit ?? -1)
        : this.db.prepare('SELECT * FROM intents ORDER BY id DESC LIMIT ?').all(opts.limit ?? -1)
    ) as IntentRow[];
    return this.histories(rows.reverse());
  }

  async incidents(opts: { app?: string; limit?: number } = {}): Promise<Incident[]> {
    const rows = (
      opts.app
        ? this.db
            .prepare('SELECT body FROM incidents WHERE app = ? ORDER BY opened_at DESC LIMIT ?')
            .all(opts.app, opts.limit ?? -1)
        : this.db.prepare('SELECT body FROM incidents ORDER BY opened_at DESC LIMIT ?').all(opts.limit ?? -1)
    ) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body)).reverse();
  }

  async close(): Promise<void> {
    // A shared connection belongs to the store, which closes it.
    if (this.owned && this.db.open) this.db.close();
  }
}
