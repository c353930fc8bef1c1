/**
 * The fleet breaker across shards. Pure: the caller reads the store. Each shard's leader publishes,
 * under its shard's fencing token, how many of its applications each account/region has and how
 * many loop (or restart) now; a leader adds the fresh counts of the OTHER shards to its own before
 * deciding, so the breaker trips on a systemic event that spreads over every shard even though each
 * shard alone sees only its part of it.
 */
import type { FleetContext } from './observation.js';

/** What one shard's leader published: its counts per scope, when, under which token. */
export interface ShardFleetCounts {
  shard: number;
  token: number;
  at: number;
  contexts: readonly FleetContext[];
}

/**
 * This shard's contexts plus the other shards' fresh ones (published at or after `now - maxAgeMs`,
 * for a shard below `k`), summed per scope. Stale entries (a dead shard leader's, older than its
 * lease and a tick) are left out rather than counted forever.
 */
export function fleetAcrossShards(
  local: readonly FleetContext[],
  others: readonly ShardFleetCounts[],
  opts: { shard: number; k: number; now: number; maxAgeMs: number },
): FleetContext[] {
  const out = new Map<string, FleetContext>(local.map((c) => [c.scope, { ...c }]));
  for (const o of others) {
    if (o.shard === opts.shard || o.shard >= opts.k || o.at < opts.now - opts.maxAgeMs) continue;
    for (const c of o.contexts) {
      const cur = out.get(c.scope);
      if (!cur) {
        out.set(c.scope, { ...c });
        continue;
      }
      cur.appsTotal += c.appsTotal;
      cur.appsLooping += c.appsLooping;
      if (c.appsRestarting !== undefined || cur.appsRestarting !== undefined)
        cur.appsRestarting = (cur.appsRestarting ?? 0) + (c.appsRestarting ?? 0);
    }
  }
  return [...out.values()];
}
