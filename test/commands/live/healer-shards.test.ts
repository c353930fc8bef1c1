import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardLeaseName, shardOf } from '../../../src/healer/shards.js';
import { isStaleFence } from '../../../src/store/index.js';
import { PostgresStore } from '../../../src/store/postgres.js';
import { stopPid, trackPid, untrackPid } from '../../peers/pids.js';
import {
  type AwsEmulator,
  FakeFlinkBackend,
  startAwsEmulator,
} from '../../peers/sandbox/aws-emulator/index.js';
import { type PostgresServer, startPostgresServer } from '../../peers/sandbox/postgres/server.js';
import { bindPidDir } from '../../peers/use.js';
import { createInput, deployMode, eventually, sdkClients } from '../../sandbox/aws-emulator/helpers.js';
import { freshDatabaseOn } from '../../store/pg.js';
import { type DaemonProc, startDaemon } from './healer-helpers.js';

/**
 * Sharded healer replicas (healer.store.shards = 8): three real `healer run` processes on one real
 * PostgreSQL store (Debian's server, started and stopped by PID) and the AWS emulator (an in-memory
 * Flink backend: 16 MSF applications discovered). The shards balance; a replica killed with
 * SIGKILL loses its shards to the others once its leases expire; a replica frozen (SIGSTOP) past
 * its leases is fenced out: its old tokens are refused by the store, and it gets shards back only
 * under new tokens; no application gets the same action twice.
 */
const K = 8;
const LEASE = '5s';
const APPS = Array.from({ length: 16 }, (_, i) => `shard-app-${String(i).padStart(2, '0')}`);

interface ShardHealth {
  role: string;
  replica: string;
  shards: Array<{ shard: number; token: number; leaseAgeSeconds: number }>;
  liveReplicas: number;
  shardTarget: number;
}

describe('healer shards: three replicas, K = 8, on one PostgreSQL store', () => {
  let pgServer: PostgresServer;
  let emu: AwsEmulator;
  let c: ReturnType<typeof sdkClients>;
  let db: string;
  const dir = mkdtempSync(join(tmpdir(), 'streamctl-healer-shards-'));
  const daemons: DaemonProc[] = [];

  const health = async (d: DaemonProc) =>
    (await (await fetch(`${await d.url}/healthz`)).json()) as ShardHealth;
  const held = async (d: DaemonProc) => (await health(d)).shards.map((s) => s.shard);

  function start(id: string): DaemonProc {
    const cfg = join(dir, `${id}.yaml`);
    writeFileSync(
      cfg,
      [
        'aws:',
        '  region: us-east-1',
        `  endpoints: { kinesisanalyticsv2: "${emu.endpoint}", cloudwatch: "${emu.endpoint}", logs: "${emu.endpoint}", sns: "${emu.endpoint}" }`,
        '  maxAttempts: 1',
        'flink:',
        '  discoverManaged: true',
        'healer:',
        '  mode: act',
        '  tickInterval: 5s',
        '  suspectCheckInterval: 3s',
        `  journal: ${join(dir, 'unused.db')}`,
        '  daemon: { listen: "127.0.0.1:0", logLevel: debug }',
        `  store: { url: { env: SHARDS_STORE_URL }, leaseTtl: ${LEASE}, replicaId: ${id}, shards: ${K} }`,
      ].join('\n'),
    );
    process.env.SHARDS_STORE_URL = db;
    const d = startDaemon(cfg, `shards ${id}`);
    daemons.push(d);
    return d;
  }

  /** The shards each replica holds, once they cover 0..K-1 exactly once, ceil(K/n) at most each. */
  async function balanced(ds: DaemonProc[]): Promise<number[][] | undefined> {
    const sets = await Promise.all(ds.map(held));
    const all = sets.flat().sort((a, b) => a - b);
    const fair = sets.every((s) => s.length <= Math.ceil(K / ds.length));
    return fair && all.length === K && all.every((s, i) => s === i) ? sets : undefined;
  }

  beforeAll(async () => {
    bindPidDir();
    pgServer = await startPostgresServer({ onSpawn: (p, l) => trackPid(p, l), onExit: (p) => untrackPid(p) });
    db = await freshDatabaseOn(pgServer.info().url);
    emu = await startAwsEmulator({
      flink: new FakeFlinkBackend(() => Date.now(), 5_000),
      sampleIntervalMs: 1_000,
      pollMs: 100,
    });
    c = sdkClients(emu.endpoint);
    for (const name of APPS) {
      await c.msf.send(new CreateApplicationCommand(createInput(name, { snapshots: true, mode: 'healthy' })));
      await c.msf.send(
        new StartApplicationCommand({
          ApplicationName: name,
          RunConfiguration: {
            ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
          },
        }),
      );
    }
    await emu.settled();
  }, 300_000);

  afterAll(async () => {
    for (const d of daemons) {
      d.child.kill('SIGCONT');
      if (d.child.exitCode === null && d.child.signalCode === null) await stopPid(d.child.pid);
    }
    await emu?.stop();
    await pgServer?.destroy();
  });

  // The scenarios run in order on the same three replicas (each one's end is the next one's start).
  let a: DaemonProc;
  let b: DaemonProc;
  let cc: DaemonProc;

  it('three replicas balance the 8 shards (2–3 each) and show them on /healthz and /metrics', async () => {
    [a, b, cc] = [start('replica-a'), start('replica-b'), start('replica-c')];
    const sets = await eventually(() => balanced([a, b, cc]), '8 shards spread over 3 replicas', 90_000);
    for (const s of sets) expect(s.length).toBeGreaterThanOrEqual(2); // ceil(8/3) = 3 at most, 2 at least
    for (const s of sets) expect(s.length).toBeLessThanOrEqual(3);
    // Under load a heartbeat can lapse for a round: the view of the membership settles.
    await eventually(
      async () => ((await health(a)).liveReplicas === 3 ? true : undefined),
      'a sees 3 live replicas',
      30_000,
    );
    expect(await health(a)).toMatchObject({ role: 'leader', shardTarget: 3 });
    const metrics = await (await fetch(`${await a.url}/metrics`)).text();
    expect(metrics).toMatch(/streamctl_healer_shards_held \d/);
    expect(metrics).toMatch(/streamctl_healer_shard_lease_token\{shard="\d+"\} \d+/);
  }, 180_000);

  it('kill -9 of a replica: its shards move to the two others once its leases expire', async () => {
    // A bad deploy on one application while the shards move: whatever the healer decides about it
    // (the emulated loop needs minutes of restart history before a rollback), never twice.
    const bad = APPS[3]!;
    const version = (await c.msf.send(new DescribeApplicationCommand({ ApplicationName: bad })))
      .ApplicationDetail!.ApplicationVersionId!;
    await c.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: bad,
        CurrentApplicationVersionId: version,
        ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
      }),
    );
    const cShards = await held(cc);
    cc.child.kill('SIGKILL');
    await cc.exited;
    const after = await eventually(() => balanced([a, b]), 'c’s shards taken by a and b', 60_000);
    expect(after.map((s) => s.length)).toEqual([4, 4]);
    for (const s of cShards) expect(after.flat()).toContain(s);
  }, 180_000);

  it('SIGSTOP past the leases: the frozen replica’s tokens are refused, it gets shards back only under new ones', async () => {
    const store = await PostgresStore.open({ url: db });
    try {
      const frozen = (await health(b)).shards.map((s) => ({
        lease: shardLeaseName(s.shard),
        token: s.token,
      }));
      b.child.kill('SIGSTOP');
      await eventually(
        async () => ((await held(a)).length === K ? true : undefined),
        'a holds all 8',
        60_000,
      );
      for (const f of frozen) await expectStale(store, f);
      b.child.kill('SIGCONT');
      // b rejoins and gets shards back under NEW tokens (a releases its surplus after its tick).
      const rebalanced = await eventually(() => balanced([a, b]), 'a and b share the shards again', 60_000);
      expect(rebalanced.map((s) => s.length)).toEqual([4, 4]);
      const leases = new Map((await store.leases('healer/shard-')).map((l) => [l.name, l]));
      for (const s of (await health(b)).shards) {
        const f = frozen.find((x) => x.lease === shardLeaseName(s.shard));
        if (f) expect(s.token).toBeGreaterThan(f.token);
        expect(leases.get(shardLeaseName(s.shard))).toMatchObject({ holder: 'replica-b', token: s.token });
      }
      // No application got the same action twice, whoever held its shard meanwhile.
      const perApp = new Map<string, number>();
      for (const x of await store.journal().actions())
        perApp.set(`${x.app} ${x.action.type}`, (perApp.get(`${x.app} ${x.action.type}`) ?? 0) + 1);
      for (const n of perApp.values()) expect(n).toBe(1);
      expect(emu.control.callCounts()['kinesisanalyticsv2.RollbackApplication'] ?? 0).toBeLessThanOrEqual(1);
    } finally {
      await store.close();
    }
  }, 240_000);
});

/** A journal write and a fleet-count publication under `f` are both refused as stale. */
async function expectStale(store: PostgresStore, f: { lease: string; token: number }): Promise<void> {
  const err = await store
    .journal(f)
    .recordDecision({
      at: Date.now(),
      app: APPS.find((n) => shardLeaseName(shardOf(n, K)) === f.lease) ?? 'x',
      decision: { kind: 'ignore', reason: 'no-anomaly' },
      anomalies: [],
      evidence: {},
    })
    .catch((e) => e);
  expect(isStaleFence(err)).toBe(true);
  const pub = await store
    .shards()
    .publishFleetCounts(f, [], Date.now())
    .catch((e) => e);
  expect(isStaleFence(pub)).toBe(true);
}
