import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  ListApplicationSnapshotsCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres.js';
import type { FlinkPeerInfo } from '../../peers/kinds/flink.js';
import { stopPid, trackPid, untrackPid } from '../../peers/pids.js';
import { type AwsEmulator, startAwsEmulator } from '../../peers/sandbox/aws-emulator/index.js';
import { type PostgresServer, startPostgresServer } from '../../peers/sandbox/postgres/server.js';
import { bindPidDir, usePeer } from '../../peers/use.js';
import { createInput, deployMode, eventually, sdkClients } from '../../sandbox/aws-emulator/helpers.js';
import { freshDatabaseOn } from '../../store/pg.js';
import { crashingProxy, type DaemonProc, startDaemon, writeDaemonConfig } from './healer-helpers.js';

/**
 * The healer in HA on a real PostgreSQL store (Debian's server, started and stopped by PID), with
 * two real `healer run` replicas named replica-a and replica-b (named, so a takeover always waits
 * for the lease: as across hosts). Faults: kill -9 of the leader mid-rollback, SIGSTOP of the
 * leader past its lease then SIGCONT, PostgreSQL restarted mid-run, PostgreSQL down longer than a
 * lease. Each ends with no duplicate action and a readable journal.
 */
const LEASE = '6s';

describe('healer HA: two replicas on one PostgreSQL store', () => {
  let pgServer: PostgresServer;
  let emu: AwsEmulator;
  let c: ReturnType<typeof sdkClients>;
  const dir = mkdtempSync(join(tmpdir(), 'streamctl-healer-ha-'));
  const daemons: DaemonProc[] = [];
  const apps: string[] = [];

  const health = async (d: DaemonProc) =>
    (await (await fetch(`${await d.url}/healthz`)).json()) as Record<string, unknown>;
  const describeApp = async (name: string) =>
    (await c.msf.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!;

  /** Config of one replica on `db`, watching `apps` (name → MSF application). */
  async function replicaConfig(
    id: string,
    db: string,
    app: { name: string; applicationName: string } | undefined,
    msfEndpoint?: string,
  ): Promise<string> {
    const cfg = join(dir, `${id}-${Math.random().toString(36).slice(2)}.yaml`);
    process.env[`HA_STORE_${id.replace('-', '_').toUpperCase()}`] = db;
    writeDaemonConfig(cfg, emu.endpoint, {
      app: app?.name ?? 'idle',
      applicationName: app?.applicationName ?? 'ha-idle-not-created',
      journal: join(dir, 'unused.db'),
      ...(msfEndpoint ? { msfEndpoint } : {}),
      extra: [
        `  store: { url: { env: HA_STORE_${id.replace('-', '_').toUpperCase()} }, leaseTtl: ${LEASE}, replicaId: ${id} }`,
      ],
    });
    return cfg;
  }

  const start = (cfg: string, label: string) => {
    const d = startDaemon(cfg, label);
    daemons.push(d);
    return d;
  };
  const leads = (d: DaemonProc) => async () => ((await health(d)).role === 'leader' ? true : undefined);

  beforeAll(async () => {
    bindPidDir();
    pgServer = await startPostgresServer({ onSpawn: (p, l) => trackPid(p, l), onExit: (p) => untrackPid(p) });
    const flink = await usePeer<FlinkPeerInfo>('flink', {});
    emu = await startAwsEmulator({ flink, sampleIntervalMs: 2000, pollMs: 250 });
    c = sdkClients(emu.endpoint);
  });

  afterAll(async () => {
    for (const d of daemons) {
      d.child.kill('SIGCONT');
      if (d.child.exitCode === null && d.child.signalCode === null) await stopPid(d.child.pid);
    }
    for (const name of apps)
      await c.msf
        .send(new StopApplicationCommand({ ApplicationName: name, Force: true }))
        .catch(() => undefined);
    await emu?.settled?.().catch(() => undefined);
    await emu?.stop();
    await pgServer?.destroy();
  });

  it('kill -9 of the leader mid-rollback: the standby takes over, reconciles and verifies it, never repeats it', async () => {
    const APP = 'healer-ha-kill';
    apps.push(APP);
    await c.msf.send(
      new CreateApplicationCommand(createInput(APP, { snapshots: true, mode: 'healthy', version: 'v1' })),
    );
    await c.msf.send(
      new StartApplicationCommand({
        ApplicationName: APP,
        RunConfiguration: {
          ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
        },
      }),
    );
    await eventually(
      async () => ((await describeApp(APP)).ApplicationStatus === 'RUNNING' ? true : undefined),
      'RUNNING',
      180_000,
    );
    await c.msf.send(
      new CreateApplicationSnapshotCommand({ ApplicationName: APP, SnapshotName: `${APP}-v1` }),
    );
    await eventually(
      async () =>
        (
          await c.msf.send(new ListApplicationSnapshotsCommand({ ApplicationName: APP }))
        ).SnapshotSummaries?.some((x) => x.SnapshotStatus === 'READY')
          ? true
          : undefined,
      'snapshot READY',
      120_000,
    );
    const db = await freshDatabaseOn(pgServer.info().url);
    let leader: DaemonProc | undefined;
    const proxy = await crashingProxy(emu.endpoint, 'RollbackApplication', () =>
      leader?.child.kill('SIGKILL'),
    );
    try {
      const app = { name: 'orders', applicationName: APP };
      leader = start(await replicaConfig('replica-a', db, app, proxy.endpoint), 'ha-a');
      await eventually(leads(leader), 'replica-a leads', 60_000);
      const standby = start(await replicaConfig('replica-b', db, app, proxy.endpoint), 'ha-b');
      await eventually(
        async () => ((await health(standby)).role === 'standby' ? true : undefined),
        'b standby',
        60_000,
      );
      emu.control.resetCallCounts();
      const version = (await describeApp(APP)).ApplicationVersionId!;
      await c.msf.send(
        new UpdateApplicationCommand({
          ApplicationName: APP,
          CurrentApplicationVersionId: version,
          ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
        }),
      );
      expect((await leader.exited).signal).toBe('SIGKILL');
      const store = await PostgresStore.open({ url: db });
      try {
        const healed = await eventually(
          async () => {
            const [a] = await store.journal().actions();
            return a?.outcomes.some((o) => o.status === 'healed' || o.status === 'failed') ? a : undefined;
          },
          'the standby finished the action',
          480_000,
        );
        expect(await store.journal().actions()).toHaveLength(1);
        expect(healed.outcomes.map((o) => o.status)).toEqual(['reconciled-happened', 'healed']);
        expect(emu.control.callCounts()['kinesisanalyticsv2.RollbackApplication']).toBe(1);
        expect(await health(standby)).toMatchObject({ role: 'leader', replica: 'replica-b', token: 2 });
        expect(standby.lines.some((l) => String(l.msg).startsWith('leader: lease acquired'))).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      await proxy.close();
    }
  }, 900_000);

  it('SIGSTOP of the leader past its lease, then SIGCONT: it stands by and never acts with its old token', async () => {
    const db = await freshDatabaseOn(pgServer.info().url);
    const a = start(await replicaConfig('replica-a', db, undefined), 'ha-stop-a');
    await eventually(leads(a), 'replica-a leads', 60_000);
    const b = start(await replicaConfig('replica-b', db, undefined), 'ha-stop-b');
    await a.url;
    await b.url;
    a.child.kill('SIGSTOP');
    await eventually(leads(b), 'replica-b takes over', 60_000);
    expect(await health(b)).toMatchObject({ role: 'leader', token: 2 });
    a.child.kill('SIGCONT');
    await eventually(
      async () => ((await health(a)).leader === 'replica-b' ? true : undefined),
      'replica-a stands by after waking, naming replica-b',
      60_000,
    );
    expect(await health(a)).toMatchObject({ role: 'standby', leader: 'replica-b', token: 2 });
    // Whatever it was doing when frozen: nothing it wrote after the takeover carried token 1.
    const woke = a.lines.filter((l) => /lease (lost|acquired)/.test(String(l.msg)));
    expect(woke.some((l) => String(l.msg).startsWith('leader: lease acquired') && Number(l.token) < 2)).toBe(
      false,
    );
    expect(await health(b)).toMatchObject({ role: 'leader', token: 2 });
  }, 300_000);

  it('PostgreSQL restarted mid-run: the leader keeps (or retakes) the lease and ticks on; the journal stays readable', async () => {
    const db = await freshDatabaseOn(pgServer.info().url);
    const a = start(await replicaConfig('replica-a', db, undefined), 'ha-restart-a');
    await eventually(leads(a), 'replica-a leads', 60_000);
    const ticksBefore = a.lines.filter((l) => l.msg === 'tick').length;
    await pgServer.stop();
    await pgServer.start();
    await eventually(
      async () => {
        await health(a); // throws with its stderr if the daemon died
        return a.lines.filter((l) => l.msg === 'tick').length > ticksBefore + 1 ? true : undefined;
      },
      'ticks after the restart',
      60_000,
    );
    expect(await health(a)).toMatchObject({ role: 'leader' });
    const store = await PostgresStore.open({ url: db });
    expect((await store.leases('healer/')).map((l) => l.holder)).toEqual(['replica-a']);
    await store.close();
  }, 300_000);

  it('PostgreSQL down longer than a lease: every replica stops acting and says why, and one leads again when it returns', async () => {
    const db = await freshDatabaseOn(pgServer.info().url);
    const a = start(await replicaConfig('replica-a', db, undefined), 'ha-down-a');
    await eventually(leads(a), 'replica-a leads', 60_000);
    const b = start(await replicaConfig('replica-b', db, undefined), 'ha-down-b');
    await b.url;
    await pgServer.stop();
    for (const d of [a, b])
      await eventually(
        async () => {
          const h = await health(d);
          return h.role === 'standby' && String(h.notActingBecause).startsWith('store unavailable')
            ? h
            : undefined;
        },
        'not acting, store unavailable',
        60_000,
      );
    await pgServer.start();
    await eventually(
      async () => {
        const roles = [(await health(a)).role, (await health(b)).role];
        return roles.filter((r) => r === 'leader').length === 1 ? roles : undefined;
      },
      'exactly one leader again',
      90_000,
    );
  }, 300_000);
});
