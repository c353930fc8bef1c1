import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppObservation, fleetScope } from '../../../src/healer/observation.js';
import { shardLeaseName } from '../../../src/healer/shards.js';
import { initialFleetState } from '../../../src/healer/state.js';
import { StoreFleetPeers } from '../../../src/services/healer/fleet-peers.js';
import { MemoryJournal } from '../../../src/services/healer/journal/memory.js';
import { type FleetObserver, runTick, type TickDeps } from '../../../src/services/healer/tick.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { FakeHealerActions } from '../../fakes/healer-act/fake.js';
import { classification, MIN, NOW, observation, policy, series } from '../../healer/fixtures.js';

const LOOPING = series([0, 0, 0, 0, 0, 1, 2, 3]);
const QUIET = series([0, 0, 0, 0, 0, 0, 0, 0]);
const TTL = 15_000;

const app = (name: string, restarts = QUIET): AppObservation => {
  const o = observation({
    restarts,
    failures: [{ at: NOW - 3 * MIN, text: 'java.lang.NullPointerException', source: 'exceptions' }],
  });
  return { ...o, app: { ...o.app, name } };
};

/** Shard 0's applications: one bad deploy looping, nine quiet (1 of 10: no breaker alone). */
const SHARD0 = [app('orders', LOOPING), ...Array.from({ length: 9 }, (_, i) => app(`quiet-${i}`))];
const SCOPE = fleetScope(SHARD0[0]!);

const observer: FleetObserver = {
  observe: async () => SHARD0,
  enrich: async (obs) => obs,
};

// The fleet breaker of one shard's tick, fed by the other shards' counts through a real store.
describe('the fleet breaker across shards (StoreFleetPeers in the tick)', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'fleet-peers-')), 's.db'));
    await store.tryAcquireLease(shardLeaseName(0), 'r0', TTL, NOW);
    await store.tryAcquireLease(shardLeaseName(1), 'r1', TTL, NOW);
  });
  afterEach(async () => {
    await store.close();
  });

  const deps = (fleetPeers?: StoreFleetPeers): TickDeps => ({
    observer,
    actions: new FakeHealerActions(),
    journal: new MemoryJournal(),
    classifier: () => classification('user'),
    policy: policy(),
    healingEnabled: () => true,
    now: () => NOW,
    ...(fleetPeers ? { fleetPeers } : {}),
  });
  const peers = () =>
    new StoreFleetPeers({
      registry: store.shards(),
      journal: () => store.journal(),
      shard: 0,
      k: 2,
      fence: () => ({ lease: shardLeaseName(0), token: 1 }),
      maxAgeMs: TTL + 2 * 60_000,
    });
  const publishShard1 = (looping: number, at: number) =>
    store
      .shards()
      .publishFleetCounts(
        { lease: shardLeaseName(1), token: 1 },
        [{ scope: SCOPE, appsTotal: 10, appsLooping: looping, appsRestarting: looping }],
        at,
      );

  it('alone, the shard rolls its bad deploy back', async () => {
    const { report } = await runTick(deps(peers()), initialFleetState(), NOW);
    expect(report.apps.find((a) => a.app === 'orders')?.decision).toMatchObject({ kind: 'act' });
  });

  it('with 4 more looping in shard 1 (5 of 20 in the scope), the breaker trips: page only', async () => {
    await publishShard1(4, NOW - 60_000);
    const { report } = await runTick(deps(peers()), initialFleetState(), NOW);
    expect(report.apps.find((a) => a.app === 'orders')?.decision).toMatchObject({
      kind: 'page',
      reason: 'fleet-wide-event',
    });
    // It published its own counts under its token for the other shards.
    const mine = (await store.shards().fleetCounts()).find((p) => p.lease === shardLeaseName(0));
    expect(mine).toMatchObject({
      token: 1,
      at: NOW,
      contexts: [{ scope: SCOPE, appsTotal: 10, appsLooping: 1 }],
    });
  });

  it('a shard’s counts older than lease + two ticks (its leader gone) no longer count', async () => {
    await publishShard1(4, NOW - TTL - 2 * 60_000 - 1);
    const { report } = await runTick(deps(peers()), initialFleetState(), NOW);
    expect(report.apps.find((a) => a.app === 'orders')?.decision).toMatchObject({ kind: 'act' });
  });

  it('the hourly budget counts every shard’s actions in the journal', async () => {
    const other = store.journal({ lease: shardLeaseName(1), token: 1 });
    const budget = policy().maxActionsPerHour;
    for (let i = 0; i < budget; i++)
      await other.recordIntent({
        at: NOW - 10 * MIN + i,
        app: `elsewhere-${i}`,
        action: { type: 'rollback', currentVersionId: 3 },
        operation: 'RollbackApplication',
        reason: 'bad-deploy-rollback',
      });
    const { report } = await runTick(deps(peers()), initialFleetState(), NOW);
    expect(report.apps.find((a) => a.app === 'orders')?.decision).toMatchObject({
      kind: 'page',
      reason: 'action-budget-exhausted',
    });
  });
});
