/** The SQLite side of ShardRegistry (port.ts): membership rows and the shards' fleet counts. */
import type Database from 'better-sqlite3';
import type { FleetContext } from '../healer/observation.js';
import type { Fence, MemberRecord, PublishedFleetCounts, ShardRegistry } from './port.js';
import {
  type FleetCountsRow,
  fleetCountsBody,
  fleetCountsFromRow,
  type MemberRow,
  memberFromRow,
} from './shard-rows.js';

/** ShardRegistry on the store's SQLite connection; `checkFence` throws StaleFenceError. */
export class SqliteShardRegistry implements ShardRegistry {
  constructor(
    private readonly db: Database.Database,
    private readonly checkFence: (f: Fence) => void,
  ) {}

  async heartbeat(replica: string, ttlMs: number, now: number, shards: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO healer_members(replica, started_at, heartbeat_at, expires_at, shards) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(replica) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at,
           shards = excluded.shards,
           started_at = CASE WHEN healer_members.expires_at <= excluded.heartbeat_at
                             THEN excluded.started_at ELSE healer_members.started_at END`,
      )
      .run(replica, now, now, now + ttlMs, shards);
  }

  async leave(replica: string): Promise<void> {
    this.db.prepare('DELETE FROM healer_members WHERE replica = ?').run(replica);
  }

  async members(): Promise<MemberRecord[]> {
    return (this.db.prepare('SELECT * FROM healer_members ORDER BY replica').all() as MemberRow[]).map(
      memberFromRow,
    );
  }

  async publishFleetCounts(fence: Fence, contexts: readonly FleetContext[], now: number): Promise<void> {
    this.db
      .transaction(() => {
        this.checkFence(fence);
        this.db
          .prepare(
            `INSERT INTO shard_fleet_counts(lease, token, at, body) VALUES (?, ?, ?, ?)
             ON CONFLICT(lease) DO UPDATE SET token = excluded.token, at = excluded.at, body = excluded.body`,
          )
          .run(fence.lease, fence.token, now, fleetCountsBody(contexts));
      })
      .immediate();
  }

  async fleetCounts(): Promise<PublishedFleetCounts[]> {
    return (this.db.prepare('SELECT * FROM shard_fleet_counts ORDER BY lease').all() as FleetCountsRow[]).map(
      fleetCountsFromRow,
    );
  }
}
