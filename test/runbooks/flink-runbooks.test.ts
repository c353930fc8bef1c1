import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { runCli } from '../helpers/cli.js';
import type { AwsEmulator, FakeFlinkBackend } from '../peers/sandbox/aws-emulator/index.js';
import {
  createInput,
  deployMode,
  eventually,
  type sdkClients,
  startFakeEmulator,
} from '../sandbox/aws-emulator/helpers.js';
import { holdLockInChild } from '../store/lock-holder.js';
import { startFakeFlinkRest } from './fake-flink-rest.js';

/**
 * The Flink runbooks end to end and unattended, as automation runs them: the real CLI (no TTY),
 * the real SDK clients through the AWS emulator, applications backed by the in-memory Flink
 * backend (its jobs served over a loopback Flink REST endpoint the presigned dashboard proxies).
 * The situations are made the way AWS makes them: a bad deploy that loops (restart counter series
 * via putSeries), an update stuck UPDATING (forceStatus + an IN_PROGRESS operation).
 */
describe('runbook restart-loop and stuck-update through the AWS emulator', () => {
  let emu: AwsEmulator;
  let fake: FakeFlinkBackend;
  let c: ReturnType<typeof sdkClients>;
  let rest: Awaited<ReturnType<typeof startFakeFlinkRest>>;
  let dir: string;
  const cfgs: Record<string, string> = {};
  const cli = (cfg: string, ...args: string[]) =>
    runCli([
      ...args,
      '--config',
      cfgs[cfg]!,
      '--interval',
      '200ms',
      '--timeout',
      '2m',
      '--state-dir',
      join(dir, 'state'),
    ]);
  const describeApp = async (name: string) =>
    (await c.msf.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!;
  const running = (name: string) =>
    eventually(
      async () => ((await describeApp(name)).ApplicationStatus === 'RUNNING' ? true : undefined),
      `${name} RUNNING`,
      30_000,
    );

  /** v1 healthy with a snapshot, then v2 deployed in `mode`. */
  async function deployed(name: string, mode: string) {
    await c.msf.send(
      new CreateApplicationCommand(createInput(name, { snapshots: true, mode: 'healthy', version: 'v1' })),
    );
    await c.msf.send(
      new StartApplicationCommand({
        ApplicationName: name,
        RunConfiguration: {
          ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
        },
      }),
    );
    await running(name);
    await c.msf.send(
      new CreateApplicationSnapshotCommand({ ApplicationName: name, SnapshotName: `${name}-v1` }),
    );
    await running(name);
    await c.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: name,
        CurrentApplicationVersionId: (await describeApp(name)).ApplicationVersionId!,
        ApplicationConfigurationUpdate: deployMode(mode, 'v2'),
      }),
    );
    await running(name);
  }

  beforeAll(async () => {
    // The emulator on the wall clock: the CLI child process reads Date.now().
    ({ emu, fake, clients: c } = await startFakeEmulator({ clock: systemClock }));
    rest = await startFakeFlinkRest(fake);
    Object.assign(fake, { restUrl: rest.url });
    dir = mkdtempSync(join(tmpdir(), 'streamctl-runbooks-'));
    const write = (name: string, extra: string[] = []) => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(
        file,
        [
          'aws:',
          '  region: us-east-1',
          `  endpoints: { kinesisanalyticsv2: "${emu.endpoint}", cloudwatch: "${emu.endpoint}", logs: "${emu.endpoint}" }`,
          '  maxAttempts: 1',
          'flink:',
          '  applications:',
          '    - { name: orders, managed: { applicationName: rb-orders } }',
          '    - { name: stuck, managed: { applicationName: rb-stuck } }',
          // The coordination store (locks, operator journal) in the test's dir, not in the cwd.
          'healer:',
          `  journal: ${JSON.stringify(join(dir, 'store.db'))}`,
          ...extra,
        ].join('\n'),
      );
      cfgs[name] = file;
    };
    write('default');
    // A stuck timeout this short makes any UPDATING stuck at once (the boundary itself is unit-tested).
    write('short', ['  stuckTimeout: 1ms']);

    await deployed('rb-orders', 'user-error');
    // The loop as CloudWatch shows it: fullRestarts quiet, then +3 every minute for 8 minutes.
    const now = Date.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    const points = Array.from({ length: 17 }, (_, i) => ({
      timestamp: minute - (16 - i) * 60_000,
      value: Math.max(0, i - 8) * 3,
    }));
    emu.control.putSeries(
      'AWS/KinesisAnalytics',
      'fullRestarts',
      [{ Name: 'Application', Value: 'rb-orders' }],
      points,
    );

    await deployed('rb-stuck', 'healthy');
  });

  afterAll(async () => {
    await emu?.stop();
    await rest?.stop();
  });

  it('--dry-run diagnoses the loop, classifies the first failure as user code after a change, recommends rollback, and changes nothing', async () => {
    const r = await cli('default', 'runbook', 'restart-loop', 'orders', '--dry-run', '--json');
    const run = r.json();
    expect(r.code, r.stderr).toBe(2);
    expect(run.outcome).toBe('dry-run');
    const d = run.steps[0].data;
    expect(d.loop.state).toBe('loop');
    expect(d.firstFailure).toMatchObject({
      verdict: 'user',
      exception: 'java.lang.NullPointerException',
      source: 'flink-rest',
    });
    expect(d.recentChange.operation).toBe('UpdateApplication');
    const byId = Object.fromEntries(run.options.map((o: { id: string }) => [o.id, o]));
    expect(byId.rollback).toMatchObject({ available: true, recommended: true, destructive: true });
    expect(byId['force-stop'].consequences.join(' ')).toMatch(/NO snapshot/);
    expect(run.chosen).toBe('rollback');
    expect(run.steps.slice(2).map((s: { kind: string; status: string }) => `${s.kind}:${s.status}`)).toEqual([
      'confirm:skipped',
      'act:skipped',
      'verify:skipped',
    ]);
    expect((await describeApp('rb-orders')).ApplicationVersionRolledBackFrom).toBeUndefined();
  });

  it('without --yes and without a terminal it refuses to act: exit 64 naming --yes', async () => {
    const r = await cli('default', 'runbook', 'restart-loop', 'orders');
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--yes/);
    expect(r.stdout).toMatch(/Roll back to the previous version/);
    expect((await describeApp('rb-orders')).ApplicationVersionRolledBackFrom).toBeUndefined();
  });

  it('an unknown --option is a usage error listing the options', async () => {
    const r = await cli(
      'default',
      'runbook',
      'restart-loop',
      'orders',
      '--option',
      'reboot',
      '--yes',
      '--json',
    );
    expect(r.code).toBe(64);
    expect(r.json().error.message).toMatch(/rollback, force-stop, wait/);
  });

  it('refuses to act while another process holds the application lock, naming it', async () => {
    const holder = await holdLockInChild(join(dir, 'store.db'), 'flink:orders', 'streamctl flink force-stop');
    try {
      const r = await cli('default', 'runbook', 'restart-loop', 'orders', '--yes', '--json');
      const run = r.json();
      expect(run.steps.find((s: { kind: string }) => s.kind === 'act')).toMatchObject({
        status: 'failed',
        summary: expect.stringMatching(
          /streamctl flink force-stop \(pid \d+ on .*\) is acting on flink:orders/,
        ),
      });
      expect(r.code).toBe(75);
    } finally {
      await holder.kill();
    }
  });

  it('--yes rolls back and verifies by polling the subtasks until all RUNNING (exit 0)', async () => {
    const r = await cli('default', 'runbook', 'restart-loop', 'orders', '--yes', '--json');
    const run = r.json();
    expect(r.code, JSON.stringify(run.steps.at(-1))).toBe(0);
    expect(run).toMatchObject({ outcome: 'acted', chosen: 'rollback', verify: 'healed' });
    expect(run.steps.map((s: { kind: string; status: string }) => `${s.kind}:${s.status}`)).toEqual([
      'diagnose:done',
      'explain:done',
      'confirm:done',
      'act:done',
      'verify:done',
    ]);
    const d = await describeApp('rb-orders');
    expect(d.ApplicationVersionRolledBackFrom).toBeDefined();
    expect(d.ApplicationStatus).toBe('RUNNING');
    expect(r.stdout + r.stderr).not.toMatch(/authToken=(?!\[REDACTED\])/);
    // The act ran under the app's lock (released since) and is journaled before and after.
    const store = new SqliteStore(join(dir, 'store.db'));
    expect(
      (await store.operatorActions()).map((a) => [a.actor, a.target, a.action, a.outcome?.status]),
    ).toEqual([['runbook:restart-loop', 'flink:orders', 'rollback', 'done']]);
    expect(await store.locks()).toEqual([]);
    await store.close();
  });

  it('stuck-update within the timeout recommends waiting (WARNING, exit 1)', async () => {
    emu.control.forceStatus('rb-stuck', 'UPDATING', 3_600_000);
    emu.control.addOperation('rb-stuck', { operation: 'UpdateApplication', status: 'IN_PROGRESS' });
    const r = await cli('default', 'runbook', 'stuck-update', 'stuck', '--dry-run', '--json');
    const run = r.json();
    expect(r.code).toBe(1);
    expect(run.chosen).toBe('wait');
    expect(run.steps[0].data).toMatchObject({
      status: 'UPDATING',
      inProgress: { operation: 'UpdateApplication' },
      stuckTimeoutMs: 1_200_000,
    });
  });

  it('stuck-update past the timeout rolls back with --option rollback --yes and verifies', async () => {
    const r = await cli(
      'short',
      'runbook',
      'stuck-update',
      'stuck',
      '--option',
      'rollback',
      '--yes',
      '--json',
    );
    const run = r.json();
    expect(run.steps[0].data.status).toBe('UPDATING');
    expect(run.options.find((o: { id: string }) => o.id === 'rollback').recommended).toBe(true);
    expect(r.code, JSON.stringify(run.steps.at(-1))).toBe(0);
    expect(run).toMatchObject({ chosen: 'rollback', verify: 'healed' });
    expect((await describeApp('rb-stuck')).ApplicationVersionRolledBackFrom).toBeDefined();
  });

  it('a second rollback of a rolled-back version is refused up front, with the reason, and nothing acts', async () => {
    const r = await cli(
      'default',
      'runbook',
      'stuck-update',
      'stuck',
      '--option',
      'rollback',
      '--yes',
      '--json',
    );
    const run = r.json();
    const rollback = run.options.find((o: { id: string }) => o.id === 'rollback');
    expect(rollback).toMatchObject({ available: false });
    expect(rollback.unavailableReason).toMatch(/result of a rollback from version \d+/);
    expect(
      run.steps.some((s: { kind: string; status: string }) => s.kind === 'act' && s.status === 'done'),
    ).toBe(false);
  });

  it('a lifecycle operation that fails is reported by verify, not as healed (failNextOperation)', async () => {
    await c.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: 'rb-stuck',
        CurrentApplicationVersionId: (await describeApp('rb-stuck')).ApplicationVersionId!,
        ApplicationConfigurationUpdate: deployMode('healthy', 'v3'),
      }),
    );
    await running('rb-stuck');
    emu.control.forceStatus('rb-stuck', 'UPDATING', 3_600_000);
    emu.control.failNextOperation(
      'rb-stuck',
      'java.io.IOException: snapshot restore failed',
      'RollbackApplication',
    );
    const r = await cli(
      'short',
      'runbook',
      'stuck-update',
      'stuck',
      '--option',
      'rollback',
      '--yes',
      '--json',
    );
    const run = r.json();
    expect(run.chosen).toBe('rollback');
    expect(run.verify).not.toBe('healed');
    expect(r.code).not.toBe(0);
  });
});
