/**
 * The coordination store in PostgreSQL ≥ 15 (plain `pg`, typed queries): for N daemon replicas on
 * several hosts. Leases and locks are read with SELECT … FOR UPDATE inside a transaction, so
 * acquisitions are serialized per row; journal writes under a fence are single statements (see
 * pg-journal.ts). Every statement has a deadline (statement_timeout and a client-side query
 * timeout): a store that hangs is reported as unavailable instead of blocking the daemon's tick.
 */
import { randomBytes } from 'node:crypto';
import type { HealerJournal } from '../healer/journal/port.js';
import { staleFence } from './fence.js';
import { PgJournal, type Query } from './pg-journal.js';
import { type Client, PgConnection, type PostgresStoreOptions } from './pg-pool.js';
import { PgShardRegistry } from './pg-shards.js';
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

export { type PostgresStoreOptions, redactedLocation } from './pg-pool.js';

/** The store on PostgreSQL; `open` connects and migrates. */
export class PostgresStore implements CoordinationStore {
  readonly kind = 'postgres' as const;
  readonly location: string;

  private readonly conn: PgConnection;
  private readonly q: Query;

  private constructor(opts: PostgresStoreOptions) {
    this.conn = new PgConnection(opts);
    this.location = this.conn.location;
    this.q = this.conn.q;
  }

  /** Connects and runs the pending migrations. */
  static async open(opts: PostgresStoreOptions): Promise<PostgresStore> {
    const s = new PostgresStore(opts);
    try {
      await s.conn.migrate();
    } catch (e) {
      await s.close();
      throw e;
    }
    return s;
  }

  private tx<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    return this.conn.tx(fn);
  }

  journal(fence?: Fence): HealerJournal {
    return new PgJournal(this.q, fence);
  }

  private async checkFence(c: Client, f: Fence): Promise<void> {
    const r = await c.query<{ token: string }>('SELECT token FROM leases WHERE name = $1 FOR SHARE', [
      f.lease,
    ]);
    const row = r.rows[0] ? { token: Number(r.rows[0].token) } : undefined;
    if (!fenceCurrent(row, f)) throw staleFence(f, row?.token);
  }

  private async leaseForUpdate(c: Client, name: string): Promise<LeaseRecord | undefined> {
    const r = await c.query<LeaseRow>('SELECT * FROM leases WHERE name = $1 FOR UPDATE', [name]);
    return r.rows[0] && leaseFromRow(r.rows[0]);
  }

  async tryAcquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now: number,
    opts: { takeOverFrom?: { holder: string; token: number } } = {},
  ): Promise<LeaseResult> {
    return this.tx(async (c) => {
      // A first acquisition has no row to lock: insert-if-absent first, then lock the row.
      await c.query(
        'INSERT INTO leases(name, holder, token, acquired_at, renewed_at, expires_at) VALUES ($1, $2, 0, 0, 0, 0) ON CONFLICT (name) DO NOTHING',
        [name, ''],
      );
      const row = await this.leaseForUpdate(c, name);
      const step = leaseStep(
        row && row.token === 0 ? undefined : row,
        name,
        holder,
        ttlMs,
        now,
        opts.takeOverFrom,
      );
      if (step.kind === 'held') return { ok: false, held: step.lease };
      const l = step.lease;
      await c.query(
        'UPDATE leases SET holder = $2, token = $3, acquired_at = $4, renewed_at = $5, expires_at = $6 WHERE name = $1',
        [l.name, l.holder, l.token, l.acquiredAt, l.renewedAt, l.expiresAt],
      );
      return { ok: true, lease: l } as LeaseResult;
    });
  }

  async renewLease(
    name: string,
    holder: string,
    token: number,
    ttlMs: number,
    now: number,
  ): Promise<boolean> {
    return this.tx(async (c) => {
      if (!canRenew(await this.leaseForUpdate(c, name), holder, token, now)) return false;
      await c.query('UPDATE leases SET renewed_at = $2, expires_at = $3 WHERE name = $1', [
        name,
        now,
        now + ttlMs,
      ]);
      return true;
    });
  }

  async releaseLease(name: string, holder: string, token: number): Promise<void> {
    await this.q('UPDATE leases SET expires_at = 0 WHERE name = $1 AND holder = $2 AND token = $3', [
      name,
      holder,
      token,
    ]);
  }

  async leases(prefix = ''): Promise<LeaseRecord[]> {
    const r = await this.q<LeaseRow>(
      'SELECT * FROM leases WHERE token > 0 AND left(name, $1) = $2 ORDER BY name',
      [prefix.length, prefix],
    );
    return r.rows.map(leaseFromRow);
  }

  async tryLock(
    req: Omit<TargetLock, 'id' | 'acquiredAt'>,
    now: number,
    opts: { takeOver?: string; fence?: Fence } = {},
  ): Promise<LockResult> {
    return this.tx(async (c) => {
      if (opts.fence) await this.checkFence(c, opts.fence);
      const r = await c.query<LockRow>('SELECT * FROM target_locks WHERE target = $1 FOR UPDATE', [
        req.target,
      ]);
      const held = r.rows[0] && lockFromRow(r.rows[0]);
      if (!lockFree(held, opts.takeOver)) return { ok: false, held: held! } as LockResult;
      const lock: TargetLock = { ...req, id: randomBytes(8).toString('hex'), acquiredAt: now };
      await c.query('DELETE FROM target_locks WHERE target = $1', [req.target]);
      // A concurrent first insert loses on the primary key: reported as held (read it back).
      const ins = await c.query(
        `INSERT INTO target_locks(target, id, owner, pid, host, acquired_at, expires_at, fence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (target) DO NOTHING`,
        [
          lock.target,
          lock.id,
          lock.owner,
          lock.pid,
          lock.host,
          now,
          lock.expiresAt ?? null,
          lock.fence ?? null,
        ],
      );
      if (ins.rowCount === 0) {
        const again = await c.query<LockRow>('SELECT * FROM target_locks WHERE target = $1', [req.target]);
        return { ok: false, held: lockFromRow(again.rows[0]!) } as LockResult;
      }
      return { ok: true, lock } as LockResult;
    });
  }

  async extendLock(target: string, id: string, expiresAt: number): Promise<boolean> {
    const r = await this.q('UPDATE target_locks SET expires_at = $3 WHERE target = $1 AND id = $2', [
      target,
      id,
      expiresAt,
    ]);
    return r.rowCount === 1;
  }

  async unlock(target: string, id: string): Promise<void> {
    await this.q('DELETE FROM target_locks WHERE target = $1 AND id = $2', [target, id]);
  }

  async forceUnlock(target: string): Promise<TargetLock | undefined> {
    const r = await this.q<LockRow>('DELETE FROM target_locks WHERE target = $1 RETURNING *', [target]);
    return r.rows[0] && lockFromRow(r.rows[0]);
  }

  async readLock(target: string): Promise<TargetLock | undefined> {
    const r = await this.q<LockRow>('SELECT * FROM target_locks WHERE target = $1', [target]);
    return r.rows[0] && lockFromRow(r.rows[0]);
  }

  async locks(): Promise<TargetLock[]> {
    return (await this.q<LockRow>('SELECT * FROM target_locks ORDER BY target')).rows.map(lockFromRow);
  }

  async recordOperatorAction(r: OperatorActionRecord): Promise<string> {
    const res = await this.q<{ id: string }>(
      'INSERT INTO operator_actions(at, actor, target, action, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [r.at, r.actor, r.target, r.action, r.detail ?? null],
    );
    return String(res.rows[0]!.id);
  }

  async recordOperatorOutcome(
    id: string,
    at: number,
    status: OperatorOutcome,
    detail?: string,
  ): Promise<void> {
    await this.q(
      'UPDATE operator_actions SET outcome_at = $2, outcome = $3, outcome_detail = $4 WHERE id = $1',
      [Number(id), at, status, detail ?? null],
    );
  }

  async operatorActions(opts: { target?: string; limit?: number } = {}): Promise<OperatorActionHistory[]> {
    const limit = opts.limit ?? null;
    const r = opts.target
      ? await this.q<OpRow>('SELECT * FROM operator_actions WHERE target = $1 ORDER BY id DESC LIMIT $2', [
          opts.target,
          limit,
        ])
      : await this.q<OpRow>('SELECT * FROM operator_actions ORDER BY id DESC LIMIT $1', [limit]);
    return r.rows.reverse().map(opFromRow);
  }

  shards(): ShardRegistry {
    return new PgShardRegistry(this.q);
  }

  async schemaVersion(): Promise<number> {
    const r = await this.q<{ v: number }>('SELECT MAX(version) AS v FROM schema_migrations');
    return Number(r.rows[0]!.v);
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
