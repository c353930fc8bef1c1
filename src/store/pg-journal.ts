/**
 * The healer journal in PostgreSQL (same contract as src/healer/journal/sqlite.ts). A fenced
 * write is one statement: `WITH f AS (SELECT … FROM leases WHERE name = $1 AND token = $2 FOR
 * SHARE) INSERT … SELECT … FROM f`, so the token check and the write are atomic and a concurrent
 * acquisition of the lease waits for the write (or the write sees the bumped token and inserts
 * nothing, which is reported as a stale fence).
 */
import type { Incident } from '../healer/incident.js';
import {
  type ActionHistory,
  type DecisionRecord,
  FINAL_OUTCOMES,
  type HealerJournal,
  type IntentRecord,
  type OutcomeRecord,
} from '../healer/journal/port.js';
import { staleFence } from './fence.js';
import type { Fence } from './port.js';

/** What the journal needs of the store: a query function (pooled, errors mapped). */
export type Query = <R>(sql: string, params?: unknown[]) => Promise<{ rows: R[]; rowCount: number }>;

interface IntentRow {
  id: string;
  at: string;
  app: string;
  incident_key: string | null;
  operation: string;
  reason: string;
  body: string;
}
interface OutcomeRow {
  intent_id: string;
  at: string;
  status: OutcomeRecord['status'];
  operation_id: string | null;
  detail: string | null;
}

const FINALS = FINAL_OUTCOMES.map((s) => `'${s}'`).join(',');

export class PgJournal implements HealerJournal {
  constructor(
    private readonly q: Query,
    private readonly fence?: Fence,
  ) {}

  /**
   * Runs an INSERT whose VALUES come from `select` (a SELECT list of $-params, numbered from 3
   * when fenced). Without a fence, a plain INSERT … SELECT.
   */
  private async write<R>(table: string, select: string, params: unknown[], tail = ''): Promise<R[]> {
    if (!this.fence) {
      const r = await this.q<R>(`INSERT INTO ${table} SELECT ${select} ${tail}`, params);
      return r.rows;
    }
    const shifted = select.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + 2}`);
    const r = await this.q<R>(
      `WITH f AS (SELECT 1 FROM leases WHERE name = $1 AND token = $2 FOR SHARE)
       INSERT INTO ${table} SELECT ${shifted} FROM f ${tail}`,
      [this.fence.lease, this.fence.token, ...params],
    );
    if (r.rowCount === 0) {
      const cur = await this.q<{ token: string }>('SELECT token FROM leases WHERE name = $1', [
        this.fence.lease,
      ]);
      throw staleFence(this.fence, cur.rows[0] ? Number(cur.rows[0].token) : undefined);
    }
    return r.rows;
  }

  async recordDecision(r: DecisionRecord): Promise<void> {
    await this.write(
      'decisions(at, app, incident_key, kind, reason, body)',
      '$1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text',
      [r.at, r.app, r.incidentKey ?? null, r.decision.kind, r.decision.reason, JSON.stringify(r)],
    );
  }

  async recordIntent(r: Omit<IntentRecord, 'id'>): Promise<string> {
    const rows = await this.write<{ id: string }>(
      'intents(at, app, incident_key, action_type, operation, reason, body)',
      '$1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text',
      [r.at, r.app, r.incidentKey ?? null, r.action.type, r.operation, r.reason, JSON.stringify(r.action)],
      'RETURNING id',
    );
    return String(rows[0]!.id);
  }

  async recordOutcome(r: OutcomeRecord): Promise<void> {
    await this.write(
      'outcomes(intent_id, at, status, operation_id, detail)',
      '$1::bigint, $2::bigint, $3::text, $4::text, $5::text',
      [Number(r.intentId), r.at, r.status, r.operationId ?? null, r.detail ?? null],
    );
  }

  async upsertIncident(i: Incident): Promise<void> {
    await this.write(
      'incidents(key, app, kind, status, opened_at, updated_at, body)',
      '$1::text, $2::text, $3::text, $4::text, $5::bigint, $6::bigint, $7::text',
      [i.key, i.app, i.kind, i.status, i.openedAt, i.updatedAt, JSON.stringify(i)],
      'ON CONFLICT(key) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, body = excluded.body',
    );
  }

  private async histories(rows: IntentRow[]): Promise<ActionHistory[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => Number(r.id));
    const outs = (
      await this.q<OutcomeRow>(
        'SELECT intent_id, at, status, operation_id, detail FROM outcomes WHERE intent_id = ANY($1::bigint[]) ORDER BY id',
        [ids],
      )
    ).rows;
    return rows.map((r) => ({
      id: String(r.id),
      at: Number(r.at),
      app: r.app,
      ...(r.incident_key ? { incidentKey: r.incident_key } : {}),
      action: JSON.parse(r.body),
      reason: r.reason,
      operation: r.operation,
      outcomes: outs
        .filter((o) => String(o.intent_id) === String(r.id))
        .map((o) => ({
          intentId: String(o.intent_id),
          at: Number(o.at),
          status: o.status,
          ...(o.operation_id ? { operationId: o.operation_id } : {}),
          ...(o.detail ? { detail: o.detail } : {}),
        })),
    }));
  }

  async unfinishedActions(): Promise<ActionHistory[]> {
    const rows = await this.q<IntentRow>(
      `SELECT * FROM intents i WHERE NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.intent_id = i.id AND o.status IN (${FINALS})) ORDER BY id`,
    );
    return this.histories(rows.rows);
  }

  async actionsSince(since: number): Promise<ActionHistory[]> {
    return this.histories(
      (await this.q<IntentRow>('SELECT * FROM intents WHERE at >= $1 ORDER BY id', [since])).rows,
    );
  }

  async openIncidents(): Promise<Incident[]> {
    const r = await this.q<{ body: string }>(
      "SELECT body FROM incidents WHERE status = 'open' ORDER BY opened_at",
    );
    return r.rows.map((x) => JSON.parse(x.body));
  }

  private async newest<R>(
    table: string,
    cols: string,
    order: string,
    opts: { app?: string; limit?: number },
  ) {
    const limit = opts.limit ?? null;
    const r = opts.app
      ? await this.q<R>(`SELECT ${cols} FROM ${table} WHERE app = $1 ORDER BY ${order} DESC LIMIT $2`, [
          opts.app,
          limit,
        ])
      : await this.q<R>(`SELECT ${cols} FROM ${table} ORDER BY ${order} DESC LIMIT $1`, [limit]);
    return r.rows.reverse();
  }

  async decisions(opts: { app?: string; limit?: number } = {}): Promise<DecisionRecord[]> {
    return (await this.newest<{ body: string }>('decisions', 'body', 'id', opts)).map((r) =>
      JSON.parse(r.body),
    );
  }

  async actions(opts: { app?: string; limit?: number } = {}): Promise<ActionHistory[]> {
    return this.histories(await this.newest<IntentRow>('intents', '*', 'id', opts));
  }

  async incidents(opts: { app?: string; limit?: number } = {}): Promise<Incident[]> {
    return (await this.newest<{ body: string }>('incidents', 'body', 'opened_at', opts)).map((r) =>
      JSON.parse(r.body),
    );
  }

  async close(): Promise<void> {
    // The pool belongs to the store.
  }
}
