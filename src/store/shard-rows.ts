/** Rows of the sharding tables (migration v3) and their records, shared by both adapters. */
import type { FleetContext } from '../healer/observation.js';
import type { MemberRecord, PublishedFleetCounts } from './port.js';

/** A healer_members row (BIGINT columns come back from pg as strings). */
export interface MemberRow {
  replica: string;
  started_at: number | string;
  heartbeat_at: number | string;
  expires_at: number | string;
  shards: number | string;
}

/** A shard_fleet_counts row. */
export interface FleetCountsRow {
  lease: string;
  token: number | string;
  at: number | string;
  body: string;
}

/** The record of a membership row. */
export function memberFromRow(r: MemberRow): MemberRecord {
  return {
    replica: r.replica,
    startedAt: Number(r.started_at),
    heartbeatAt: Number(r.heartbeat_at),
    expiresAt: Number(r.expires_at),
    shards: Number(r.shards),
  };
}

/** The record of a fleet-counts row; a body that is not a list of counts reads as none. */
export function fleetCountsFromRow(r: FleetCountsRow): PublishedFleetCounts {
  let contexts: FleetContext[] = [];
  try {
    const body = JSON.parse(r.body) as unknown;
    if (Array.isArray(body))
      contexts = body.filter(
        (c): c is FleetContext =>
          typeof c === 'object' &&
          c !== null &&
          typeof (c as FleetContext).scope === 'string' &&
          Number.isFinite((c as FleetContext).appsTotal) &&
          Number.isFinite((c as FleetContext).appsLooping),
      );
  } catch {
    // A row another build wrote badly counts as nothing rather than stopping every leader's tick.
  }
  return { lease: r.lease, token: Number(r.token), at: Number(r.at), contexts };
}

/** The stored body of a shard's counts (only the fields the breaker sums). */
export function fleetCountsBody(contexts: readonly FleetContext[]): string {
  return JSON.stringify(
    contexts.map((c) => ({
      scope: c.scope,
      appsTotal: c.appsTotal,
      appsLooping: c.appsLooping,
      ...(c.appsRestarting !== undefined ? { appsRestarting: c.appsRestarting } : {}),
    })),
  );
}
