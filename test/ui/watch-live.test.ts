import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveFlinkPorts, liveObserveDeps } from '../../src/cli/live-ports.js';
import { parseConfigText } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { systemClock } from '../../src/core/clock.js';
import { gatherFleet } from '../../src/services/watch.js';
import { runCli } from '../helpers/cli.js';
import type { KafkaPeerInfo } from '../peers/kinds/kafka.js';
import type { AwsEmulator } from '../peers/sandbox/aws-emulator/index.js';
import { usePeer } from '../peers/use.js';
import {
  createInput,
  eventually,
  type sdkClients,
  startFakeEmulator,
} from '../sandbox/aws-emulator/helpers.js';

/**
 * The watch view's refresh against the AWS emulator (MSF apps in two regions, restart series put
 * the way CloudWatch would hold them) and the shared real Kafka cluster: one GetMetricData per
 * region per refresh, one DescribeApplication per app, never a presigned dashboard URL.
 */
describe('watch refresh through the AWS emulator and real Kafka', () => {
  let emu: AwsEmulator;
  let c: ReturnType<typeof sdkClients>;
  let cfgFile: string;
  let config: Config;

  beforeAll(async () => {
    const kafka = await usePeer<KafkaPeerInfo>('kafka', { version: '3.9', brokers: 3, scram: true });
    ({ emu, clients: c } = await startFakeEmulator({ clock: systemClock }));
    for (const name of ['w-loop', 'w-ok', 'w-west']) {
      await c.msf.send(new CreateApplicationCommand(createInput(name, { mode: 'healthy' })));
      await c.msf.send(
        new StartApplicationCommand({
          ApplicationName: name,
          RunConfiguration: {
            ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
          },
        }),
      );
    }
    await eventually(
      async () =>
        (await c.msf.send(new DescribeApplicationCommand({ ApplicationName: 'w-west' }))).ApplicationDetail
          ?.ApplicationStatus === 'RUNNING'
          ? true
          : undefined,
      'apps RUNNING',
      30_000,
    );
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const series = (f: (i: number) => number) =>
      Array.from({ length: 17 }, (_, i) => ({ timestamp: minute - (16 - i) * 60_000, value: f(i) }));
    emu.control.putSeries(
      'AWS/KinesisAnalytics',
      'fullRestarts',
      [{ Name: 'Application', Value: 'w-loop' }],
      series((i) => Math.max(0, i - 8) * 3),
    );
    emu.control.putSeries(
      'AWS/KinesisAnalytics',
      'fullRestarts',
      [{ Name: 'Application', Value: 'w-ok' }],
      series(() => 0),
    );
    emu.control.putSeries(
      'AWS/KinesisAnalytics',
      'fullRestarts',
      [{ Name: 'Application', Value: 'w-west' }],
      series(() => 1),
    );
    emu.control.putSeries(
      'AWS/KinesisAnalytics',
      'lastCheckpointDuration',
      [{ Name: 'Application', Value: 'w-ok' }],
      series(() => 1500),
    );
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-watch-'));
    cfgFile = join(dir, 'streamctl.yaml');
    const text = [
      'aws:',
      '  region: us-east-1',
      `  endpoints: { kinesisanalyticsv2: "${emu.endpoint}", cloudwatch: "${emu.endpoint}", logs: "${emu.endpoint}" }`,
      '  maxAttempts: 1',
      'kafka:',
      '  clusters:',
      `    - name: shared`,
      `      bootstrap: [${kafka.bootstrap
        .split(',')
        .map((b) => `"${b}"`)
        .join(', ')}]`,
      'flink:',
      '  applications:',
      '    - { name: looping, managed: { applicationName: w-loop } }',
      '    - { name: fine, managed: { applicationName: w-ok } }',
      '    - { name: west, managed: { applicationName: w-west, region: us-west-2 } }',
      '    - { name: onprem, rest: { url: "http://127.0.0.1:1" } }',
      'healer:',
      `  journal: ${join(dir, 'journal.db')}`,
    ].join('\n');
    writeFileSync(cfgFile, text);
    config = parseConfigText(text, cfgFile);
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('one refresh: one GetMetricData per region for all apps, one DescribeApplication per app, no Flink REST', async () => {
    const ports = liveFlinkPorts(config);
    try {
      emu.control.resetCallCounts();
      const v = await gatherFleet(config, { ports, kafkaDeps: liveObserveDeps() });
      const counts = emu.control.callCounts();
      expect(
        Object.entries(counts)
          .filter(([k]) => /GetMetricData/.test(k))
          .map(([, n]) => n),
      ).toEqual([2]); // us-east-1 and us-west-2
      expect(
        Object.entries(counts)
          .filter(([k]) => /DescribeApplication$/.test(k))
          .map(([, n]) => n),
      ).toEqual([3]);
      expect(Object.keys(counts).some((k) => /PresignedUrl/.test(k))).toBe(false);
      expect(v.calls).toMatchObject({
        'cloudwatch:GetMetricData': 2,
        'kinesisanalyticsv2:DescribeApplication': 3,
      });

      const byApp = Object.fromEntries(v.flink.map((f) => [f.app, f]));
      expect(byApp.looping).toMatchObject({ status: 'RUNNING', loop: 'loop', severity: 'CRITICAL' });
      expect(byApp.looping!.perMinute.slice(-3)).toEqual([3, 3, 3]);
      expect(byApp.fine).toMatchObject({ loop: 'quiet', severity: 'OK', lastCheckpointDurationMs: 1500 });
      expect(byApp.onprem).toMatchObject({ kind: 'self-managed', loop: 'not-polled' });
      expect(v.kafka[0]).toMatchObject({ cluster: 'shared', brokers: 3, brokersDown: [], offline: 0 });
      expect(v.kafka[0]!.perBroker).toHaveLength(3);
      expect(v.incidents).toEqual([]);
      expect(v.severity).toBe('CRITICAL');
    } finally {
      ports.close();
    }
  });

  it('watch without a terminal prints one snapshot and exits with the worst severity', async () => {
    const r = await runCli(['watch', '--config', cfgFile]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/looping\s+CRITICAL\s+RUNNING/);
    expect(r.stdout).toMatch(/shared\s+\w+\s+3 /);
    const j = await runCli(['watch', '--once', '--json', '--config', cfgFile]);
    expect(j.json().flink.map((f: { app: string }) => f.app)).toEqual(['looping', 'fine', 'west', 'onprem']);
  });

  it('refuses an interval shorter than the metrics period', async () => {
    const r = await runCli(['watch', '--interval', '2s', '--config', cfgFile]);
    expect(r.code).toBe(64);
  });
});
