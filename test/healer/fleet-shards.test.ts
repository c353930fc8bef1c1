import { describe, expect, it } from 'vitest';
import { fleetBreakerTripped } from '../../src/healer/decide/guards.js';
import { fleetAcrossShards, type ShardFleetCounts } from '../../src/healer/fleet-shards.js';

const NOW = Date.UTC(2026, 0, 1);
const opts = { shard: 0, k: 4, now: NOW, maxAgeMs: 180_000 };
const scope = '111/eu-west-1';
const pub = (shard: number, at: number, looping: number, total = 250): ShardFleetCounts => ({
  shard,
  token: 1,
  at,
  contexts: [{ scope, appsTotal: total, appsLooping: looping, appsRestarting: looping }],
});

describe('fleetAcrossShards', () => {
  const local = [{ scope, appsTotal: 250, appsLooping: 2, appsRestarting: 2 }];

  it('adds the other shards’ fresh counts per scope to this shard’s', () => {
    const all = fleetAcrossShards(local, [pub(1, NOW, 2), pub(2, NOW - 60_000, 2), pub(3, NOW, 2)], opts);
    expect(all).toEqual([{ scope, appsTotal: 1_000, appsLooping: 8, appsRestarting: 8 }]);
  });

  it('ignores its own shard’s publication, stale ones, and shards beyond K', () => {
    const all = fleetAcrossShards(
      local,
      [pub(0, NOW, 99), pub(1, NOW - 180_001, 99), pub(4, NOW, 99), pub(2, NOW - 180_000, 1)],
      opts,
    );
    expect(all).toEqual([{ scope, appsTotal: 500, appsLooping: 3, appsRestarting: 3 }]);
  });

  it('trips the breaker on an event spread over shards that no shard alone would trip on', () => {
    const breaker = { minApps: 5, share: 0.5, maxApps: 50 };
    const spread = [pub(1, NOW, 2, 3), pub(2, NOW, 2, 3), pub(3, NOW, 2, 3)];
    const mine = [{ scope, appsTotal: 3, appsLooping: 2 }];
    expect(fleetBreakerTripped(mine[0]!, breaker)).toBe(false);
    const all = fleetAcrossShards(mine, spread, opts);
    expect(all[0]).toMatchObject({ appsTotal: 12, appsLooping: 8 });
    expect(fleetBreakerTripped(all[0]!, breaker)).toBe(true);
  });

  it('keeps scopes only other shards have (they do not change this shard’s decisions)', () => {
    const other: ShardFleetCounts = {
      shard: 1,
      token: 3,
      at: NOW,
      contexts: [{ scope: 'x/y', appsTotal: 4, appsLooping: 0 }],
    };
    expect(fleetAcrossShards(local, [other], opts).map((c) => c.scope)).toEqual([scope, 'x/y']);
  });
});
