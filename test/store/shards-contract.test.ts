import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shardLeaseName } from '../../src/healer/shards.js';
import { type CoordinationStore, isStaleFence } from '../../src/store/index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { useFreshDatabase } from './pg.js';

const NOW = Date.UTC(2026, 0, 1);
const TTL = 15_000;
const ctx = (scope: string, appsTotal: number, appsLooping: number, appsRestarting = appsLooping) => ({
  scope,
  appsTotal,
  appsLooping,
  appsRestarting,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamctl-shards-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

// The sharding part of the store's contract, on both adapters (a fresh PostgreSQL database per test
// on the run's real server, as test/store/contract.test.ts).
describe.each([
  { name: 'SqliteStore', open: async () => new SqliteStore(join(dir, 'store.db')) as CoordinationStore },
  { name: 'PostgresStore', open: async () => PostgresStore.open({ url: await useFreshDatabase() }) },
])('$name shards contract', ({ open }) => {
  let s: CoordinationStore;
  beforeEach(async () => {
    s = await open();
  });
  afterEach(async () => {
    await s.close();
  });

  it('each shard has its own lease and fencing token', async () => {
    const a = await s.tryAcquireLease(shardLeaseName(0), 'r1', TTL, NOW);
    const b = await s.tryAcquireLease(shardLeaseName(1), 'r2', TTL, NOW);
    expect(a).toMatchObject({ ok: true, lease: { holder: 'r1', token: 1 } });
    expect(b).toMatchObject({ ok: true, lease: { holder: 'r2', token: 1 } });
    // r1 taking shard 1 after r2's lease expired bumps shard 1's token only.
    const c = await s.tryAcquireLease(shardLeaseName(1), 'r1', TTL, NOW + TTL);
    expect(c).toMatchObject({ ok: true, lease: { holder: 'r1', token: 2 } });
    const leases = await s.leases('healer/shard-');
    expect(leases.map((l) => [l.name, l.holder, l.token])).toEqual([
      ['healer/shard-0', 'r1', 1],
      ['healer/shard-1', 'r1', 2],
    ]);
  });

  it('a journal write under one shard is fenced by that shard alone', async () => {
    await s.tryAcquireLease(shardLeaseName(0), 'r1', TTL, NOW);
    await s.tryAcquireLease(shardLeaseName(1), 'r2', TTL, NOW);
    await s.tryAcquireLease(shardLeaseName(1), 'r3', TTL, NOW + TTL); // r2's token 1 is now stale
    const decision = (app: string) => ({
      at: NOW,
      app,
      decision: { kind: 'ignore' as const, reason: 'no-anomaly' as const },
      anomalies: [],
      evidence: {},
    });
    await s.journal({ lease: shardLeaseName(0), token: 1 }).recordDecision(decision('a0'));
    const err = await s
      .journal({ lease: shardLeaseName(1), token: 1 })
      .recordDecision(decision('a1'))
      .catch((e) => e);
    expect(isStaleFence(err)).toBe(true);
    expect((await s.journal().decisions()).map((d) => d.app)).toEqual(['a0']);
  });

  it('heartbeats create and extend a membership; leave removes it', async () => {
    const reg = s.shards();
    await reg.heartbeat('r1', TTL, NOW, 8);
    await reg.heartbeat('r2', TTL, NOW + 1_000, 4);
    await reg.heartbeat('r1', TTL, NOW + 5_000, 8);
    expect(await reg.members()).toEqual([
      { replica: 'r1', startedAt: NOW, heartbeatAt: NOW + 5_000, expiresAt: NOW + 5_000 + TTL, shards: 8 },
      {
        replica: 'r2',
        startedAt: NOW + 1_000,
        heartbeatAt: NOW + 1_000,
        expiresAt: NOW + 1_000 + TTL,
        shards: 4,
      },
    ]);
    // A replica back after its membership expired starts a new membership.
    await reg.heartbeat('r2', TTL, NOW + 60_000, 8);
    expect((await reg.members()).find((m) => m.replica === 'r2')).toMatchObject({
      startedAt: NOW + 60_000,
      shards: 8,
    });
    await reg.leave('r1');
    expect((await reg.members()).map((m) => m.replica)).toEqual(['r2']);
  });

  it('publishes a shard’s fleet counts under its current token and replaces them', async () => {
    const reg = s.shards();
    await s.tryAcquireLease(shardLeaseName(2), 'r1', TTL, NOW);
    const fence = { lease: shardLeaseName(2), token: 1 };
    await reg.publishFleetCounts(fence, [ctx('111/eu-west-1', 10, 1)], NOW);
    await reg.publishFleetCounts(
      fence,
      [ctx('111/eu-west-1', 10, 4), ctx('222/us-east-1', 3, 0)],
      NOW + 60_000,
    );
    expect(await reg.fleetCounts()).toEqual([
      {
        lease: 'healer/shard-2',
        token: 1,
        at: NOW + 60_000,
        contexts: [ctx('111/eu-west-1', 10, 4), ctx('222/us-east-1', 3, 0)],
      },
    ]);
  });

  it('rejects fleet counts under a stale token, writing nothing', async () => {
    const reg = s.shards();
    await s.tryAcquireLease(shardLeaseName(0), 'r1', TTL, NOW);
    await reg.publishFleetCounts({ lease: shardLeaseName(0), token: 1 }, [ctx('a/b', 5, 0)], NOW);
    await s.tryAcquireLease(shardLeaseName(0), 'r2', TTL, NOW + TTL); // token 2
    const err = await reg
      .publishFleetCounts({ lease: shardLeaseName(0), token: 1 }, [ctx('a/b', 5, 5)], NOW + TTL + 1)
      .catch((e) => e);
    expect(isStaleFence(err)).toBe(true);
    const never = await reg
      .publishFleetCounts({ lease: shardLeaseName(7), token: 1 }, [ctx('a/b', 1, 1)], NOW)
      .catch((e) => e);
    expect(isStaleFence(never)).toBe(true);
    expect((await reg.fleetCounts()).map((c) => [c.lease, c.token, c.contexts[0]?.appsLooping])).toEqual([
      ['healer/shard-0', 1, 0],
    ]);
  });
});
