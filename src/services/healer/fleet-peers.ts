/**
 * A shard leader's view of the rest of the fleet, through the store (TickDeps.fleetPeers): it
 * publishes its shard's fleet counts under the shard's fencing token (a stale leader's publication
 * is rejected like its journal writes) and adds the other shards' fresh counts to its own, so the
 * fleet breaker trips on the whole fleet; and it reads the fleet's actions of the last hour from
 * the journal, so the hourly action budget stays fleet-wide.
 */

import { fleetAcrossShards } from '../../healer/fleet-shards.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import type { FleetContext } from '../../healer/observation.js';
import { shardOfLease } from '../../healer/shards.js';
import { staleFence } from '../../store/fence.js';
import type { Fence, ShardRegistry } from '../../store/port.js';
import type { FleetPeers } from './tick.js';

/** Settings of StoreFleetPeers. */
export interface StoreFleetPeersOptions {
  registry: ShardRegistry;
  /** The whole journal (not the shard's view): every shard's actions count in the budget. */
  journal: () => HealerJournal;
  shard: number;
  k: number;
  /** The shard's fence now (undefined: not leading it; the exchange is refused). */
  fence: () => Fence | undefined;
  /** A shard's counts older than this are left out (its leader is gone): lease + two ticks. */
  maxAgeMs: number;
}

/** FleetPeers over the coordination store. */
export class StoreFleetPeers implements FleetPeers {
  constructor(private readonly o: StoreFleetPeersOptions) {}

  async exchange(local: readonly FleetContext[], now: number): Promise<readonly FleetContext[]> {
    const { registry, shard, k, maxAgeMs } = this.o;
    const fence = this.o.fence();
    if (!fence) throw staleFence({ lease: `healer/shard-${shard}`, token: 0 }, undefined);
    await registry.publishFleetCounts(fence, local, now);
    const others = (await registry.fleetCounts()).flatMap((p) => {
      const s = shardOfLease(p.lease);
      return s === undefined ? [] : [{ shard: s, token: p.token, at: p.at, contexts: p.contexts }];
    });
    return fleetAcrossShards(local, others, { shard, k, now, maxAgeMs });
  }

  async actionTimes(now: number): Promise<number[]> {
    const recent = await this.o.journal().actionsSince(now - 3_600_000);
    return recent.map((a) => a.at).sort((a, b) => a - b);
  }
}
