import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
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
import { runCli } from '../../helpers/cli.js';
import type { FlinkPeerInfo } from '../../peers/kinds/flink.js';
import { stopPid } from '../../peers/pids.js';
import { type AwsEmulator, startAwsEmulator } from '../../peers/sandbox/aws-emulator/index.js';
import { usePeer } from '../../peers/use.js';
import { createInput, deployMode, eventually, sdkClients } from '../../sandbox/aws-emulator/helpers.js';
import {
  crashingProxy,
  type DaemonProc,
  history,
  intentCount,
  startDaemon,
  writeDaemonConfig,
} from './healer-helpers.js';

/**
 * The healer daemon end to end, as it runs in production: the real CLI (`healer run` as a child
 * process), the real SDK clients through the AWS emulator, and emulated MSF applications backed by
 * the shared real Flink cluster. Restart loops are real (the job throws, Flink restarts it); the
 * restart counter the healer reads is the emulator's CloudWatch series sampled from the real
 * numRestarts; verification reads the real subtasks through the presigned dashboard.
 */
const TOPIC_DEPLOY = 'arn:aws:sns:us-east-1:123456789012:healer-e2e-deploy';
const TOPIC_EXTERNAL = 'arn:aws:sns:us-east-1:123456789012:healer-e2e-external';
const snsTo = (topicArn: string) => ['notifications:', `  sns: { topicArn: "${topicArn}" }`];

describe('healer run on emulated MSF applications backed by real Flink', () => {
  let emu: AwsEmulator;
  let c: ReturnType<typeof sdkClients>;
  const dir = mkdtempSync(join(tmpdir(), 'streamctl-healer-e2e-'));
  const apps: string[] = [];
  const daemons: DaemonProc[] = [];
  const describeApp = async (name: string) =>
    (await c.msf.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!;
  const running = (name: string) =>
    eventually(
      async () => ((await describeApp(name)).ApplicationStatus === 'RUNNING' ? true : undefined),
      `${name} RUNNING`,
      180_000,
    );

  /** A healthy v1 with a READY snapshot, as a team would have before a deploy. */
  async function healthyWithSnapshot(name: string): Promise<void> {
    apps.push(name);
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
      new CreateApplicationSnapshotCommand({ ApplicationName: name, SnapshotName: `${name}-before-v2` }),
    );
    await eventually(
      async () => {
        const s = await c.msf.send(new ListApplicationSnapshotsCommand({ ApplicationName: name }));
        return s.SnapshotSummaries?.some((x) => x.SnapshotStatus === 'READY') ? true : undefined;
      },
      'snapshot READY',
      120_000,
    );
  }

  async function badDeploy(name: string): Promise<void> {
    const version = (await describeApp(name)).ApplicationVersionId!;
    await c.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: name,
        CurrentApplicationVersionId: version,
        ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
      }),
    );
  }

  /** Frees the app's Flink slots for the other test files sharing the cluster. */
  async function release(name: string): Promise<void> {
    await c.msf
      .send(new StopApplicationCommand({ ApplicationName: name, Force: true }))
      .catch(() => undefined);
  }

  async function stopDaemon(d: DaemonProc): Promise<{ code: number | null }> {
    await stopPid(d.child.pid, 30_000);
    return d.exited;
  }

  beforeAll(async () => {
    const flink = await usePeer<FlinkPeerInfo>('flink', {});
    emu = await startAwsEmulator({ flink, sampleIntervalMs: 2000, pollMs: 250 });
    c = sdkClients(emu.endpoint);
  });

  afterAll(async () => {
    for (const d of daemons)
      if (d.child.exitCode === null && d.child.signalCode === null) await stopPid(d.child.pid);
    for (const name of apps) {
      const status = await describeApp(name)
        .then((d) => d.ApplicationStatus)
        .catch(() => undefined);
      if (status && status !== 'READY')
        await c.msf
          .send(new StopApplicationCommand({ ApplicationName: name, Force: true }))
          .catch(() => undefined);
    }
    await emu?.settled?.().catch(() => undefined);
    await emu?.stop();
  });

  it('a bad deploy loops for real: detected from CloudWatch, classified user, rolled back once, verified healthy through presigned REST', async () => {
    const APP = 'healer-e2e-deploy';
    await healthyWithSnapshot(APP);
    const cfg = join(dir, 'deploy.yaml');
    const journal = join(dir, 'deploy.db');
    writeDaemonConfig(cfg, emu.endpoint, {
      app: 'orders',
      applicationName: APP,
      journal,
      extra: snsTo(TOPIC_DEPLOY),
    });
    const d = startDaemon(cfg, 'deploy');
    daemons.push(d);
    const url = await d.url;
    emu.control.resetCallCounts();

    await badDeploy(APP);
    const h = await eventually(
      async () => {
        const j = await history(cfg, 'orders');
        return j.actions.some((a: { outcomes: Array<{ status: string }> }) =>
          a.outcomes.some((o) => o.status === 'healed' || o.status === 'failed'),
        )
          ? j
          : undefined;
      },
      'the rollback verified',
      540_000,
    );

    // The journal: one rollback, decided on a user-code verdict after the deploy, accepted, healed by subtasks.
    const act = h.decisions.find((x: { decision: { kind: string } }) => x.decision.kind === 'act');
    expect(act.decision).toMatchObject({ reason: 'bad-deploy-rollback', action: { type: 'rollback' } });
    expect(act.classification).toMatchObject({
      verdict: 'user',
      rootCause: { exception: 'java.lang.NullPointerException' },
    });
    expect(act.anomalies.map((a: { kind: string }) => a.kind)).toContain('restart-loop');
    expect(h.actions).toHaveLength(1);
    expect(h.actions[0].outcomes.map((o: { status: string }) => o.status)).toEqual(['accepted', 'healed']);
    expect(h.actions[0].outcomes[1].detail).toMatch(/^subtasks: all \d+ subtasks RUNNING/);

    // The emulator: exactly one RollbackApplication; the previous version runs again.
    expect(emu.control.callCounts()['kinesisanalyticsv2.RollbackApplication']).toBe(1);
    const after = await describeApp(APP);
    expect(after.ApplicationVersionRolledBackFrom).toBeDefined();
    expect(after.ApplicationStatus).toBe('RUNNING');

    // One incident, paged through SNS (the emulator's Publish), not a message per tick.
    const pages = emu.control.snsMessages(TOPIC_DEPLOY);
    expect(pages.some((m) => m.message.includes('reason: bad-deploy-rollback'))).toBe(true);
    expect(new Set(pages.map((m) => /incident: (\S+)/.exec(m.message)?.[1])).size).toBe(1);

    // Metrics and health while it runs.
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('streamctl_healer_actions_total{type="rollback",outcome="accepted"} 1');
    expect(metrics).toContain('streamctl_healer_actions_total{type="rollback",outcome="healed"} 1');
    expect(metrics).toMatch(/streamctl_healer_detections_total\{kind="restart-loop"\} [1-9]/);
    expect(metrics).toMatch(
      /streamctl_aws_api_calls_total\{service="cloudwatch",operation="GetMetricData"\} \d+/,
    );
    expect(metrics).toMatch(/streamctl_healer_tick_duration_seconds_count\{kind="full"\} \d+/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, status: 'ok', mode: 'act' });

    // `healer status` and the human history are readable; SIGTERM stops it cleanly.
    const status = await runCli(['healer', 'status', '--json', '--config', cfg]);
    expect(status.json().latest.find((l: { app: string }) => l.app === 'orders')).toBeDefined();
    const human = await runCli(['healer', 'history', 'orders', '--config', cfg]);
    expect(human.stdout).toMatch(/act\s+bad-deploy-rollback/);
    expect(human.stdout).toMatch(/accepted → healed/);
    const exit = await stopDaemon(d);
    expect(exit.code).toBe(0);
    expect(d.lines.some((l) => String(l.msg).startsWith('healer stopping'))).toBe(true);
    expect(d.stdout() + d.stderr()).not.toMatch(/authToken=(?!\[REDACTED\])/);
    await release(APP);
  }, 720_000);

  it('kill -9 mid-action (RollbackApplication reached MSF, its answer never did): the restarted daemon reconciles, never rolls back twice', async () => {
    const APP = 'healer-e2e-kill';
    await healthyWithSnapshot(APP);
    const cfg = join(dir, 'kill.yaml');
    const journal = join(dir, 'kill.db');
    let first: DaemonProc | undefined;
    // The daemon reaches MSF through a proxy that forwards its RollbackApplication, then kills it
    // before relaying the answer: the intent is journaled, the operation started, no outcome.
    const proxy = await crashingProxy(emu.endpoint, 'RollbackApplication', () =>
      first?.child.kill('SIGKILL'),
    );
    try {
      writeDaemonConfig(cfg, emu.endpoint, {
        app: 'orders',
        applicationName: APP,
        journal,
        msfEndpoint: proxy.endpoint,
      });
      first = startDaemon(cfg, 'kill-1');
      daemons.push(first);
      await first.url;
      emu.control.resetCallCounts();

      await badDeploy(APP);
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(proxy.held()).toBe(true);
      const atKill = await history(cfg, 'orders');
      expect(atKill.actions).toHaveLength(1);
      expect(atKill.actions[0].outcomes).toEqual([]);
      expect(intentCount(journal)).toBe(1);

      const second = startDaemon(cfg, 'kill-2');
      daemons.push(second);
      await second.url;
      const h = await eventually(
        async () => {
          const j = await history(cfg, 'orders');
          return j.actions[0]?.outcomes.some(
            (o: { status: string }) => o.status === 'healed' || o.status === 'failed',
          )
            ? j
            : undefined;
        },
        'the resumed action verified',
        480_000,
      );

      // One intent, one RollbackApplication: found in ListApplicationOperations, verified, never repeated.
      expect(h.actions).toHaveLength(1);
      expect(h.actions[0].outcomes.map((o: { status: string }) => o.status)).toEqual([
        'reconciled-happened',
        'healed',
      ]);
      expect(h.actions[0].outcomes[0].detail).toMatch(/^RollbackApplication (IN_PROGRESS|SUCCESSFUL)/);
      expect(emu.control.callCounts()['kinesisanalyticsv2.RollbackApplication']).toBe(1);
      expect(second.lines.some((l) => String(l.msg).startsWith('resuming an unfinished action'))).toBe(true);
      expect(second.lines.some((l) => l.msg === 'in-flight action reconciled')).toBe(true);
      expect((await stopDaemon(second)).code).toBe(0);
      await release(APP);
    } finally {
      await proxy.close();
    }
  }, 900_000);

  it("the job's external endpoint goes down (no deploy): classified system, no rollback, a page once it persists", async () => {
    const APP = 'healer-e2e-external';
    const sockets = new Set<Socket>();
    const sink: Server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.resume();
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    const port = (sink.address() as { port: number }).port;
    apps.push(APP);
    const input = createInput(APP, { snapshots: true, mode: 'external', version: 'v1' });
    input.ApplicationConfiguration.EnvironmentProperties.PropertyGroups[0]!.PropertyMap = {
      mode: 'external',
      version: 'v1',
      args: `--endpoint 127.0.0.1:${port}`,
    } as never;
    await c.msf.send(new CreateApplicationCommand(input));
    await c.msf.send(
      new StartApplicationCommand({
        ApplicationName: APP,
        RunConfiguration: {
          ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
        },
      }),
    );
    await running(APP);
    await eventually(
      async () => (sockets.size > 0 ? true : undefined),
      'the job writes to its endpoint',
      60_000,
    );

    const cfg = join(dir, 'external.yaml');
    const journal = join(dir, 'external.db');
    writeDaemonConfig(cfg, emu.endpoint, {
      app: 'enricher',
      applicationName: APP,
      journal,
      extra: ['  systemLoopPageAfter: 90s', ...snsTo(TOPIC_EXTERNAL)],
    });
    const d = startDaemon(cfg, 'external');
    daemons.push(d);
    await d.url;
    emu.control.resetCallCounts();

    // The external system goes down: close the listener and every open connection.
    await new Promise<void>((r) => {
      sink.close(() => r());
      for (const s of sockets) s.destroy();
    });

    const h = await eventually(
      async () => {
        const j = await history(cfg, 'enricher');
        return j.decisions.some(
          (x: { decision: { reason: string } }) => x.decision.reason === 'system-fault-persistent',
        )
          ? j
          : undefined;
      },
      'the persistent system fault paged',
      540_000,
    );

    const loopDecisions = h.decisions.filter((x: { anomalies: Array<{ kind: string }> }) =>
      x.anomalies.some((a) => a.kind === 'restart-loop'),
    );
    expect(loopDecisions.map((x: { decision: { reason: string } }) => x.decision.reason)).toEqual(
      expect.arrayContaining(['system-fault-flink-restarting', 'system-fault-persistent']),
    );
    const page = h.decisions.find(
      (x: { decision: { reason: string } }) => x.decision.reason === 'system-fault-persistent',
    );
    expect(page.decision.kind).toBe('page');
    expect(page.classification.verdict).toBe('system');
    expect(h.decisions.some((x: { decision: { kind: string } }) => x.decision.kind === 'act')).toBe(false);
    expect(h.actions).toEqual([]);
    const counts = emu.control.callCounts();
    expect(counts['kinesisanalyticsv2.RollbackApplication'] ?? 0).toBe(0);
    expect(counts['kinesisanalyticsv2.StopApplication'] ?? 0).toBe(0);
    const pages = emu.control.snsMessages(TOPIC_EXTERNAL);
    expect(pages.some((m) => m.message.includes('reason: system-fault-persistent'))).toBe(true);
    expect(new Set(pages.map((m) => /incident: (\S+)/.exec(m.message)?.[1])).size).toBe(1);
    expect((await stopDaemon(d)).code).toBe(0);
    await release(APP);
  }, 720_000);
});
