import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { runCli } from '../../helpers/cli.js';
import type { FlinkPeerInfo } from '../../peers/kinds/flink.js';
import { type AwsEmulator, startAwsEmulator } from '../../peers/sandbox/aws-emulator/index.js';
import { usePeer } from '../../peers/use.js';
import { createInput, deployMode, eventually, sdkClients } from '../../sandbox/aws-emulator/helpers.js';
import { holdLockInChild } from '../../store/lock-holder.js';

/**
 * The `flink …` commands end to end, as an operator runs them: the real CLI, the real SDK clients
 * through the AWS emulator, and an emulated MSF application backed by the real Flink cluster.
 * One application walks through a healthy start, a bad deploy that really loops, diagnosis,
 * rollback and force-stop.
 */
describe('flink commands against an emulated MSF application on real Flink', () => {
  const APP = 'cli-orders';
  let emu: AwsEmulator;
  let c: ReturnType<typeof sdkClients>;
  let cfg: string;
  let storeFile: string;
  const cli = (...args: string[]) => runCli([...args, '--config', cfg]);
  const describeApp = async () =>
    (await c.msf.send(new DescribeApplicationCommand({ ApplicationName: APP }))).ApplicationDetail!;

  beforeAll(async () => {
    const flink = await usePeer<FlinkPeerInfo>('flink', {});
    emu = await startAwsEmulator({ flink, sampleIntervalMs: 2000, pollMs: 250 });
    c = sdkClients(emu.endpoint);
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-flink-cli-'));
    cfg = join(dir, 'streamctl.yaml');
    storeFile = join(dir, 'store.db');
    writeFileSync(
      cfg,
      [
        'aws:',
        '  region: us-east-1',
        `  endpoints: { kinesisanalyticsv2: "${emu.endpoint}", cloudwatch: "${emu.endpoint}", logs: "${emu.endpoint}" }`,
        '  maxAttempts: 1',
        'flink:',
        '  applications:',
        `    - { name: orders, managed: { applicationName: ${APP} } }`,
        // The coordination store (locks, operator journal) in the test's dir, not in the cwd.
        'healer:',
        `  journal: ${JSON.stringify(storeFile)}`,
      ].join('\n'),
    );
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
  });

  afterAll(async () => {
    const status = await describeApp()
      .then((d) => d.ApplicationStatus)
      .catch(() => undefined);
    if (status && status !== 'READY')
      await c.msf
        .send(new StopApplicationCommand({ ApplicationName: APP, Force: true }))
        .catch(() => undefined);
    await emu?.settled?.().catch(() => undefined);
    await emu?.stop();
  });

  it('flink subtasks --wait polls through the presigned REST API until all subtasks RUNNING (exit 0)', async () => {
    const r = await cli(
      'flink',
      'subtasks',
      'orders',
      '--wait',
      '--timeout',
      '4m',
      '--interval',
      '2s',
      '--json',
    );
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ outcome: 'all-running', exitCode: 0 });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/authToken=(?!\[REDACTED\])/);
  });

  it('flink apps and flink status show the running application', async () => {
    const apps = (await cli('flink', 'apps', '--json')).json();
    expect(apps.apps[0]).toMatchObject({
      name: 'orders',
      status: 'RUNNING',
      runtime: 'FLINK-1_20',
      snapshotsEnabled: true,
    });
    const s = await cli('flink', 'status', 'orders', '--json');
    expect(s.json()).toMatchObject({ status: 'RUNNING', subtasks: { kind: 'all-running' } });
  });

  it('the dashboard is refused while UPDATING: UNKNOWN (exit 3), not an error storm', async () => {
    emu.control.forceStatus(APP, 'UPDATING', 30_000);
    const r = await cli('flink', 'subtasks', 'orders', '--json');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('dashboard unavailable: application is UPDATING');
    await eventually(
      async () => ((await describeApp()).ApplicationStatus === 'RUNNING' ? true : undefined),
      'RUNNING again',
      60_000,
    );
  });

  it('a bad deploy loops for real: subtasks exit 2, restarts shows the loop, exceptions classify it as user code', async () => {
    await c.msf.send(
      new CreateApplicationSnapshotCommand({ ApplicationName: APP, SnapshotName: 'before-v2' }),
    );
    await eventually(
      async () => ((await describeApp()).ApplicationStatus === 'RUNNING' ? true : undefined),
      'snapshot taken',
      120_000,
    );
    const version = (await describeApp()).ApplicationVersionId!;
    await c.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: APP,
        CurrentApplicationVersionId: version,
        ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
      }),
    );

    const sub = await eventually(
      async () => {
        const r = await cli(
          'flink',
          'subtasks',
          'orders',
          '--wait',
          '--timeout',
          '2m',
          '--interval',
          '2s',
          '--json',
        );
        return r.code === 2 ? r : undefined;
      },
      'subtasks FAILED',
      240_000,
    );
    expect(
      sub.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .at(-1),
    ).toMatchObject({ outcome: 'failed' });

    const loop = await eventually<{ assessment: { state: string }; metric: string }>(
      async () => {
        const r = await cli('flink', 'restarts', 'orders', '--since', '10m', '--json');
        return r.code === 2 ? r.json() : undefined;
      },
      'restart loop in CloudWatch',
      300_000,
    );
    expect(loop.assessment.state).toBe('loop');
    expect(loop.metric).toBe('fullRestarts');

    const ex = (await cli('flink', 'exceptions', 'orders', '--json')).json();
    expect(ex.source).toBe('flink-rest');
    expect(ex.firstFailure.classification.verdict).toBe('user');
    expect(ex.firstFailure.classification.rootCause.exception).toBe('java.lang.NullPointerException');

    // `flink classify APP` prints exactly the object of docs/design.md §3 for the loop's first failure.
    const cls = (await cli('flink', 'classify', 'orders', '--json')).json();
    expect(Object.keys(cls).sort()).toEqual(['confidence', 'rootCause', 'signals', 'subtype', 'verdict']);
    expect(cls.verdict).toBe('user');
    expect(cls.rootCause.frame).toMatch(/com\.acme\.streamctl\.testjob\.Enrich\.map/);
  });

  it('flink rollback explains its preconditions, then rolls back and waits for healthy subtasks', async () => {
    const dry = await cli('flink', 'rollback', 'orders', '--dry-run', '--json');
    expect(dry.json().plan).toMatchObject({ allowed: true, action: 'rollback' });
    const refused = await cli('flink', 'rollback', 'orders');
    expect(refused.code).toBe(64); // no TTY and no --yes: refuses to act
    // Another process (a runbook here) holds the application's lock: refused, naming it.
    const holder = await holdLockInChild(storeFile, 'flink:orders', 'streamctl runbook restart-loop');
    try {
      const locked = await cli('flink', 'rollback', 'orders', '--yes');
      expect(locked.code).toBe(75);
      expect(locked.stderr).toMatch(
        new RegExp(
          `streamctl runbook restart-loop \\(pid ${holder.pid} on .*since .*\\) is acting on flink:orders`,
        ),
      );
    } finally {
      await holder.kill();
    }
    const r = await cli('flink', 'rollback', 'orders', '--yes', '--wait', '--timeout', '4m');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const d = await describeApp();
    expect(d.ApplicationVersionRolledBackFrom).toBeDefined();
    // Journaled before and after as an operator action; the lock is released.
    const store = new SqliteStore(storeFile);
    expect(
      (await store.operatorActions()).map((a) => [a.actor, a.target, a.action, a.outcome?.status]),
    ).toEqual([['cli', 'flink:orders', 'rollback', 'done']]);
    expect(await store.locks()).toEqual([]);
    await store.close();
  });

  it('flink force-stop says no snapshot is taken, offers restart options, and stops the application', async () => {
    const dry = (await cli('flink', 'force-stop', 'orders', '--dry-run', '--json')).json();
    expect(dry.plan.explanation.join(' ')).toMatch(/NO SNAPSHOT IS TAKEN/);
    expect(dry.plan.restartOptions.map((o: { restoreType: string }) => o.restoreType)).toContain(
      'RESTORE_FROM_LATEST_SNAPSHOT',
    );
    const r = await cli('flink', 'force-stop', 'orders', '--yes', '--wait', '--timeout', '3m');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await describeApp()).ApplicationStatus).toBe('READY');
    const again = await cli('flink', 'rollback', 'orders', '--yes');
    expect(again.code).toBe(75);
    expect(again.stdout).toMatch(/Refused: status is READY/);
  });
});
