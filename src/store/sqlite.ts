/**
 * The coordination store in embedded SQLite (better-sqlite3): the default, one node, nothing to
 * install. WAL with synchronous=FULL (a committed intent survives kill -9 and power loss) and a
 * busy timeout, so several processes of one host (the daemon, `kafka rebalance execute`, `flink
 * rollback`) share the file. Leases and locks are read and written in IMMEDIATE transactions.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { configError } from '../core/errors.js';
import type { HealerJournal } from '../healer/journal/port.js';
import { SqliteJournal } from '../services/healer/journal/sqlite.js';
import { staleFence } from './fence.js';
import { pendingMigrations } from './migrations.js';
import type {
  CoordinationStore,
  Fence,
  LeaseRecord,
  LeaseResult,
  LockResult,
  OperatorActionHistory,
  OperatorActionRecord,
  OperatorOutcome,
  ShardRegistry,
  TargetLock,
} from './port.js';
import { type LeaseRow, type LockRow, leaseFromRow, lockFromRow, type OpRow, opFromRow } from './rows.js';
import { canRenew, fenceCurrent, leaseStep, lockFree } from './rules.js';
import { SqliteShardRegistry } from './sqlite-shards.js';

/** Applies the pending migrations; returns the version after. */
function migrate(db: Database.Database): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const cur =
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  for (const m of pendingMigrations(cur)) {
    db.transaction(() => {
      db.exec(m.sqlite);
      db.prepare('INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    }).immediate();
  }
  return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v;
}

export class SqliteStore implements CoordinationStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;

  /** Opens (creating if needed) the store file and runs its migrations; `:memory:` for tests. */
  constructor(readonly location: string) {
    try {
      if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
      this.db = new Database(location);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      migrate(this.db);
    } catch (e) {
      throw configError(
        `store: cannot open the SQLite store ${location}: ${(e as Error).message}`,
        'Check the path and its permissions (healer.journal / store.path in streamctl.yaml).',
      );
    }
  }

  journal(fence?: Fence): HealerJournal {
    return new SqliteJournal(this.location, {
      db: this.db,
      ...(fence ? { guard: (db: Database.Database) => this.checkFence(db, fence) } : {}),
    });
  }

  private checkFence(db: Database.Database, f: Fence): void {
    const row = db.prepare('SELECT token FROM leases WHERE name = ?').get(f.lease) as
      | { token: number }
      | undefined;
    if (!fenceCurrent(row, f)) throw staleFence(f, row?.token);
  }

  private lease(name: string): LeaseRecord | undefined {
    const row = this.db.prepare('SELECT * FROM leases WHERE name = ?').get(name) as LeaseRow | undefined;
    return row && leaseFromRow(row);
  }

  async tryAcquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now: number,
    opts: { takeOverFrom?: { holder: string; token: number } } = {},
  ): Promise<LeaseResult> {
    return this.db
      .transaction((): LeaseResult => {
        const step = leaseStep(this.lease(name), name, holder, ttlMs, now, opts.takeOverFrom);
        if (step.kind === 'held') return { ok: false, held: step.lease };
        const l = step.lease;
        this.db
          .prepare(
            `INSERT INTO leases(name, holder, token, acquired_at, renewed_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, token = excluded.token,
               acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at`,
          )
          .run(l.name, l.holder, l.token, l.acquiredAt, l.renewedAt, l.expiresAt);
        return { ok: true, lease: l };
      })
      .immediate();
  }

  async renewLease(
    name: string,
    holder: string,
    token: number,
    ttlMs: number,
    now: number,
  ): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (!canRenew(this.lease(name), holder, token, now)) return false;
        this.db
          .prepare('UPDATE leases SET renewed_at = ?, expires_at = ? WHERE name = ?')
          .run(now, now + ttlMs, name);
        return true;
      })
      .immediate();
  }

  async releaseLease(name: string, holder: string, token: number): Promise<void> {
    // Expired at once; the row stays so the next acquisition bumps the token past ours.
    this.db
      .prepare('UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ? AND token = ?')
      .run(name, holder, token);
  }

  async leases(prefix = ''): Promise<LeaseRecord[]> {
    return (
      this.db
        .prepare('SELECT * FROM leases WHERE substr(name, 1, ?) = ? ORDER BY name')
        .all(prefix.length, prefix) as LeaseRow[]
    ).map(leaseFromRow);
  }

  private lockRow(target: string): TargetLock | undefined {
    const row = this.db.prepare('SELECT * FROM target_locks WHERE target = ?').get(target) as
      | LockRow
      | undefined;
    return row && lockFromRow(row);
  }

  async tryLock(
    req: Omit<TargetLock, 'id' | 'acquiredAt'>,
    now: number,
    opts: { takeOver?: string; fence?: Fence } = {},
  ): Promise<LockResult> {
    return this.db
      .transaction((): LockResult => {
        if (opts.fence) this.checkFence(this.db, opts.fence);
        const held = this.lockRow(req.target);
        if (!lockFree(held, opts.takeOver)) return { ok: false, held: held! };
        const lock: TargetLock = { ...req, id: randomBytes(8).toString('hex'), acquiredAt: now };
        this.db.prepare('DELETE FROM target_locks WHERE target = ?').run(req.target);
        this.db
          .prepare(
            'INSERT INTO target_locks(target, id, owner, pid, host, acquired_at, expires_at, fence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            lock.target,
            lock.id,
            lock.owner,
            lock.pid,
            lock.host,
            now,
            lock.expiresAt ?? null,
            lock.fence ?? null,
          );
        return { ok: true, lock };
      })
      .immediate();
  }

  async extendLock(target: string, id: string, expiresAt: number): Promise<boolean> {
    const r = this.db
      .prepare('UPDATE target_locks SET expires_at = ? WHERE target = ? AND id = ?')
      .run(expiresAt, target, id);
    return r.changes === 1;
  }

  async unlock(target: string, id: string): Promise<void> {
    this.db.prepare('DELETE FROM target_locks WHERE target = ? AND id = ?').run(target, id);
  }

  async forceUnlock(target: string): Promise<TargetLock | undefined> {
    return this.db
      .transaction(() => {
        const held = this.lockRow(target);
        if (held) this.db.prepare('DELETE FROM target_locks WHERE target = ?').run(target);
        return held;
      })
      .immediate();
  }

  async readLock(target: string): Promise<TargetLock | undefined> {
    return this.lockRow(target);
  }

  async locks(): Promise<TargetLock[]> {
    return (this.db.prepare('SELECT * FROM target_locks ORDER BY target').all() as LockRow[]).map(
      lockFromRow,
    );
  }

  async recordOperatorAction(r: OperatorActionRecord): Promise<string> {
    const info = this.db
      .prepare('INSERT INTO operator_actions(at, actor, target, action, detail) VALUES (?, ?, ?, ?, ?)')
      .run(r.at, r.actor, r.target, r.action, r.detail ?? null);
    return String(info.lastInsertRowid);
  }

  async recordOperatorOutcome(
    id: string,
    at: number,
    status: OperatorOutcome,
    detail?: string,
  ): Promise<void> {
    this.db
      .prepare('UPDATE operator_actions SET outcome_at = ?, outcome = ?, outcome_detail = ? WHERE id = ?')
      .run(at, status, detail ?? null, Number(id));
  }

  async operatorActions(opts: { target?: string; limit?: number } = {}): Promise<OperatorActionHistory[]> {
    const rows = (
      opts.target
        ? this.db
            .prepare('SELECT * FROM operator_actions WHERE target = ? ORDER BY id DESC LIMIT ?')
            .all(opts.target, opts.limit ?? -1)
        : this.db.prepare('SELECT * FROM operator_actions ORDER BY id DESC LIMIT ?').all(opts.limit ?? -1)
    ) as OpRow[];
    return rows.reverse().map(opFromRow);
  }

  shards(): ShardRegistry {
    return new SqliteShardRegistry(this.db, (f) => this.checkFence(this.db, f));
  }

  async schemaVersion(): Promise<number> {
    return (this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
