import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { policyFromConfig } from '../../../src/healer/policy.js';
import { shardLeaseName, shardOf } from '../../../src/healer/shards.js';
import { healerStatus, renderStatus } from '../../../src/services/healer/journal-view.js';
import { createDaemonMetrics } from '../../../src/services/healer/metrics.js';
import { ShardManager } from '../../../src/services/healer/shard-manager.js';
import type { ShardWorkerDeps } from '../../../src/services/healer/shard-worker.js';
import { type CoordinationStore, isStaleFence } from '../../../src/store/index.js';
import { PostgresStore } from '../../../src/store/postgres.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import type { FakeCloudWatch } from '../../fakes/cloudwatch/fake.js';
import { useFreshDatabase } from '../../store/pg.js';
import { logSink, loopingWorld } from './daemon-world.js';
import { configOf, NOW, putRestarts } from './fixtures.js';

/**
 * Three replicas' ShardManagers in one process, each with its own store connection and its own
 * clock (a replica frozen by SIGSTOP is one whose clock stops: it renews nothing the others can
 * see as current), over one shared fake MSF world where `orders` loops after a bad deploy. The
 * tick loops run for real; the test drives time and the managers' rounds.
 */
const K = 6;
const TTL = 60_000;
const QUIET = Array.from({ length: 11 }, (_, i) => `quiet-${String(i).padStart(2, '0')}`);

class ReplicaClock {
  constructor(public t: number) {}
  now() {
    return this.t;
  }
  // Virtual time stands still while a loop sleeps; the real wait keeps the loops from spinning.
  async sleep(ms: number) {
    await new Promise((r) => setTimeout(r, Math.min(ms, 25)));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A world with the looping `orders` and `QUIET` quiet applications, and its config. */
function world(quiet: readonly string[]) {
  const w = loopingWorld();
  for (const name of quiet) {
    w.msf.add({ applicationName: name, versionId: 1, runtime: 'FLINK-1_20' });
    putRestarts(w.cw as FakeCloudWatch, name, [0, 0, 0, 0, 0, 0, 0, 0]);
  }
  const config = configOf({
    flink: {
      applications: ['orders', ...quiet].map((name) => ({ name, managed: { applicationName: name } })),
    },
    healer: { mode: 'act', tickInterval: '60s', suspectCheckInterval: '15s' },
  });
  return { w, config };
}

/** One replica's manager over its own store connection and clock. */
function replicaDeps(
  store: CoordinationStore,
  { w, config }: ReturnType<typeof world>,
  log: ShardWorkerDeps['log'],
  replica: string,
  k: number,
): ShardWorkerDeps & { clock: ReplicaClock } {
  return {
    config,
    policy: policyFromConfig(config.healer),
    store,
    ports: w.ports,
    clock: new ReplicaClock(NOW),
    notifier: { notify: async () => [] },
    log,
    metrics: createDaemonMetrics(),
    replica,
    k,
    leaseTtlMs: TTL,
    ownedJournal: false,
    calls: new AbortController().signal,
    restPort: () => w.rest,
  };
}

describe.each([
  {
    name: 'SQLite',
    open: async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'shard-mgr-')), 'store.db');
      return () => new SqliteStore(file) as CoordinationStore;
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const url = await useFreshDatabase();
      return () => PostgresStore.open({ url });
    },
  },
])('shard managers on $name', ({ open }) => {
  const stores: CoordinationStore[] = [];
  const managers: ShardManager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.stop()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('replicas running with different K act on no shard, and say why', async () => {
    const connect = await open();
    const wc = world([]);
    const { logger, lines } = logSink();
    const make = async (replica: string, k: number) => {
      const store = await connect();
      stores.push(store);
      const m = new ShardManager(replicaDeps(store, wc, logger, replica, k));
      managers.push(m);
      return m;
    };
    const a = await make('r-a', 6);
    await a.round();
    expect(a.held().length).toBe(6);
    const b = await make('r-b', 4);
    for (let i = 0; i < 3; i++) {
      await b.round();
      await a.round();
      await pause(150);
    }
    expect([a.held().length, b.held().length]).toEqual([0, 0]);
    expect(a.balance.conflict).toMatch(/replica r-b runs with 4 shards and this one with 6/);
    expect(lines.some((l) => String(l.msg).startsWith('not acting on any shard'))).toBe(true);
  }, 60_000);

  it('balance, a frozen replica’s shards move and its tokens are refused, the looping app is rolled back once', async () => {
    const connect = await open();
    const wc = world(QUIET);
    const w = wc.w;
    const { logger } = logSink();
    const replicas = await Promise.all(
      ['r-a', 'r-b', 'r-c'].map(async (id) => {
        const store = await connect();
        stores.push(store);
        const deps = replicaDeps(store, wc, logger, id, K);
        const manager = new ShardManager(deps);
        managers.push(manager);
        return { id, store, clock: deps.clock, manager };
      }),
    );
    const rollbacks = () => w.msf.calls.filter((c) => c.method === 'rollback').length;
    /** One round of the live replicas, `stepMs` later. */
    const round = async (live: typeof replicas, stepMs: number) => {
      for (const r of live) r.clock.t += stepMs;
      for (const r of live) await r.manager.round();
      await pause(120);
    };
    const sizes = () => replicas.map((r) => r.manager.held().length);

    for (let i = 0; i < 30 && sizes().join() !== '2,2,2'; i++) await round(replicas, 5_000);
    expect(sizes()).toEqual([2, 2, 2]);
    expect(replicas.flatMap((r) => r.manager.held().map((v) => v.shard)).sort()).toEqual([0, 1, 2, 3, 4, 5]);

    for (let i = 0; i < 40 && rollbacks() === 0; i++) await round(replicas, 5_000);
    expect(rollbacks()).toBe(1);

    // Freeze the replica leading the looping app's shard: the others take its shards after its leases.
    const shard = shardOf('orders', K);
    const frozen = replicas.find((r) => r.manager.held().some((v) => v.shard === shard))!;
    const oldFences = frozen.manager.held().map((v) => ({ lease: shardLeaseName(v.shard), token: v.token }));
    const live = replicas.filter((r) => r !== frozen);
    const frozenAt = frozen.clock.t;
    await round(live, TTL + 1_000);
    for (let i = 0; i < 20 && live.some((r) => r.manager.held().length !== 3); i++) await round(live, 5_000);
    expect(live.map((r) => r.manager.held().length)).toEqual([3, 3]);
    for (let i = 0; i < 8; i++) await round(live, 15_000); // the new holder reconciles and verifies

    const store = live[0]!.store;
    for (const f of oldFences) {
      const err = await store
        .journal(f)
        .recordDecision({
          at: NOW,
          app: 'orders',
          decision: { kind: 'ignore', reason: 'no-anomaly' },
          anomalies: [],
          evidence: {},
        })
        .catch((e) => e);
      expect(isStaleFence(err)).toBe(true);
    }
    expect(rollbacks()).toBe(1);
    const actions = await store.journal().actions({ app: 'orders' });
    expect(actions).toHaveLength(1);
    // The new holder of the shard ticked the app (resumed from the journal: verifying) and never acted.
    const after = (await store.journal().decisions({ app: 'orders' })).filter((d) => d.at > frozenAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((d) => d.decision.kind === 'act')).toBe(false);
    expect(frozen.manager.held().every((v) => !oldFences.some((f) => f.token === v.token))).toBe(true);
  }, 120_000);
});

describe('healer status of a sharded fleet', () => {
  it('lists every shard lease with its holder and token, and every replica with its shards', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shard-status-')), 'j.db');
    const store = new SqliteStore(file);
    const reg = store.shards();
    await reg.heartbeat('r-a', TTL, NOW - 2_000, 3);
    await reg.heartbeat('r-b', TTL, NOW - 3 * TTL, 3); // gone
    await store.tryAcquireLease(shardLeaseName(0), 'r-a', TTL, NOW - 30_000);
    await store.renewLease(shardLeaseName(0), 'r-a', 1, TTL, NOW - 2_000);
    await store.tryAcquireLease(shardLeaseName(2), 'r-a', TTL, NOW - 2_000);
    await store.close();
    const text = renderStatus(await healerStatus(configOf({ healer: { journal: file } }), NOW));
    expect(text).toContain('Leader (healer/shard-0): r-a, fencing token 1, lease age 30s, renewed 2s ago');
    expect(text).toContain('Leader (healer/shard-2): r-a, fencing token 1');
    expect(text).toContain('Replica r-a: live, heartbeat 2s ago, holds healer/shard-0, healer/shard-2');
    expect(text).toContain('Replica r-b: gone, heartbeat 3m 0s ago, holds no shard');
  });
});
