/**
 * The PostgreSQL connection of the store: a small pool with a deadline on every statement
 * (statement_timeout and a client-side query timeout, so a hung server is an error, not a hung
 * tick), errors mapped to UNAVAILABLE with the location but never the URL's password, one
 * transaction helper, and the versioned migrations run on open.
 */
import pg from 'pg';
import { StreamctlError, unavailable } from '../core/errors.js';
import { pendingMigrations } from './migrations.js';
import type { Query } from './pg-journal.js';

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  /** postgres://user[:password]@host:port/db (the password never reaches a log). */
  url: string;
  /** Per-statement deadline (default 5 s). */
  statementTimeoutMs?: number;
  /** Pool size (default 4). */
  maxConnections?: number;
}

/** A pooled client inside a transaction. */
export type Client = pg.PoolClient;

/** host:port/db of a URL, without credentials. */
export function redactedLocation(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/** The pool, its error mapping, transactions and migrations. */
export class PgConnection {
  readonly location: string;
  private readonly pool: pg.Pool;

  constructor(opts: PostgresStoreOptions) {
    this.location = redactedLocation(opts.url);
    const timeout = opts.statementTimeoutMs ?? 5_000;
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.maxConnections ?? 4,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout + 1_000,
      statement_timeout: timeout,
      idleTimeoutMillis: 30_000,
    });
    // An idle client whose server went away (restart, failover) emits here; the next query
    // reconnects. Without a listener the process would crash.
    this.pool.on('error', () => undefined);
  }

  /** Rethrows a StreamctlError as is, anything else as UNAVAILABLE naming the store. */
  fail(e: unknown): never {
    if (e instanceof StreamctlError) throw e;
    throw unavailable(
      `store ${this.location}: ${(e as Error)?.message ?? String(e)}`,
      'Check that PostgreSQL is up and reachable (store.url in streamctl.yaml); `streamctl doctor` checks it.',
      e,
    );
  }

  /** One statement on any pooled client. */
  readonly q: Query = async (sql, params) => {
    try {
      const r = await this.pool.query(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    } catch (e) {
      return this.fail(e);
    }
  };

  /** Runs fn in a transaction on one pooled client. */
  async tx<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    let c: Client;
    try {
      c = await this.pool.connect();
    } catch (e) {
      return this.fail(e);
    }
    // A checked-out client has no error listener of the pool's: a server that goes away between
    // two statements (restart, failover) would emit an unhandled 'error' and kill the process.
    // The next statement fails anyway; the client is discarded on release.
    let failed: Error | undefined;
    const onError = (e: Error) => {
      failed = e;
    };
    c.on('error', onError);
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      failed ??= e as Error;
      await c.query('ROLLBACK').catch(() => undefined);
      return this.fail(e);
    } finally {
      c.removeListener('error', onError);
      c.release(failed);
    }
  }

  /** Applies the pending migrations (one migrator at a time across replicas). */
  async migrate(): Promise<void> {
    await this.tx(async (c) => {
      // One migrator at a time across replicas starting together.
      await c.query('SELECT pg_advisory_xact_lock(727274)');
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const cur = (await c.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0]
        .v as number;
      for (const m of pendingMigrations(Number(cur))) {
        await c.query(m.postgres);
        await c.query('INSERT INTO schema_migrations(version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
