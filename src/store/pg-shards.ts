/** The PostgreSQL side of ShardRegistry (port.ts): membership rows and the shards' fleet counts. */
import type { FleetContext } from '../healer/observation.js';
import { staleFence } from './fence.js';
import type { Query } from './pg-journal.js';
import type { Fence, MemberRecord, PublishedFleetCounts, ShardRegistry } from './port.js';
import {
  type FleetCountsRow,
  fleetCountsBody,
  fleetCountsFromRow,
  type MemberRow,
  memberFromRow,
} from './shard-rows.js';

/** ShardRegistry on the store's pool. Fenced writes are single statements (as pg-journal.ts). */
export class PgShardRegistry implements ShardRegistry {
  constructor(private readonly q: Query) {}

  async heartbeat(replica: string, ttlMs: number, now: number, shards: number): Promise<void> {
    await this.q(
      `INSERT INTO healer_members(replica, started_at, heartbeat_at, expires_at, shards) VALUES ($1, $2, $2, $3, $4)
       ON CONFLICT (replica) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at, expires_at = EXCLUDED.expires_at,
         shards = EXCLUDED.shards,
         started_at = CASE WHEN healer_members.expires_at <= EXCLUDED.heartbeat_at
                           THEN EXCLUDED.started_at ELSE healer_members.started_at END`,
      [replica, now, now + ttlMs, shards],
    );
  }

  async leave(replica: string): Promise<void> {
    await this.q('DELETE FROM healer_members WHERE replica = $1', [replica]);
  }

  async members(): Promise<MemberRecord[]> {
    return (await this.q<MemberRow>('SELECT * FROM healer_members ORDER BY replica')).rows.map(memberFromRow);
  }

  async publishFleetCounts(fence: Fence, contexts: readonly FleetContext[], now: number): Promise<void> {
    // The upsert happens only while the lease still has this token, in the same statement.
    const r = await this.q(
      `INSERT INTO shard_fleet_counts(lease, token, at, body)
       SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM leases WHERE name = $1 AND token = $2)
       ON CONFLICT (lease) DO UPDATE SET token = EXCLUDED.token, at = EXCLUDED.at, body = EXCLUDED.body`,
      [fence.lease, fence.token, now, fleetCountsBody(contexts)],
    );
    if (r.rowCount === 1) return;
    const cur = await this.q<{ token: string }>('SELECT token FROM leases WHERE name = $1', [fence.lease]);
    throw staleFence(fence, cur.rows[0] ? Number(cur.rows[0].token) : undefined);
  }

  async fleetCounts(): Promise<PublishedFleetCounts[]> {
    return (await this.q<FleetCountsRow>('SELECT * FROM shard_fleet_counts ORDER BY lease')).rows.map(
      fleetCountsFromRow,
    );
  }
}
