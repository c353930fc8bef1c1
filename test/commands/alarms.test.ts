import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAlarmsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import { CreateApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createInput, startFakeEmulator } from '../sandbox/aws-emulator/helpers.js';

/** `alarms plan|install|remove` through the real SDK clients against the AWS emulator. */
describe('alarms commands against the AWS emulator', () => {
  let env: Awaited<ReturnType<typeof startFakeEmulator>>;
  let cfg: string;
  const cli = (...args: string[]) => runCli([...args, '--config', cfg]);

  beforeAll(async () => {
    env = await startFakeEmulator();
    await env.clients.msf.send(
      new CreateApplicationCommand(createInput('enricher', { runtime: 'FLINK-1_20' })),
    );
    await env.clients.msf.send(
      new CreateApplicationCommand(createInput('sessions', { runtime: 'FLINK-2_2' })),
    );
    const { clusterArn } = env.emu.control.registerMskCluster({
      name: 'orders',
      instanceType: 'kafka.m5.large',
      volumeSizeGiB: 1000,
      brokers: [1, 2, 3].map((id) => ({ id, port: 9092 + id })),
    });
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-alarms-'));
    cfg = join(dir, 'streamctl.yaml');
    writeFileSync(
      cfg,
      [
        'aws:',
        '  region: us-east-1',
        `  endpoints: { kinesisanalyticsv2: "${env.emu.endpoint}", cloudwatch: "${env.emu.endpoint}", kafka: "${env.emu.endpoint}" }`,
        'kafka:',
        `  clusters: [ { name: orders, msk: { arn: "${clusterArn}" }, diskWarnPercent: 65, diskCritPercent: 85 } ]`,
        'flink:',
        '  applications:',
        '    - { name: enricher, managed: { applicationName: enricher } }',
        '    - { name: sessions, managed: { applicationName: sessions } }',
        'notifications: { sns: { topicArn: "arn:aws:sns:us-east-1:123456789012:pages" } }',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await env?.emu.stop();
  });

  it('plan prints the exact PutMetricAlarm requests, using numRestarts on Flink 2.2', async () => {
    const r = await cli('alarms', 'plan', '--json');
    const reqs = r.json().requests.map((x: { request: { AlarmName: string } }) => x.request);
    const names = reqs.map((q: { AlarmName: string }) => q.AlarmName);
    expect(names).toEqual(
      expect.arrayContaining([
        'streamctl-flink-enricher-restart-loop',
        'streamctl-kafka-orders-disk-critical-broker-3',
        'streamctl-kafka-orders-no-active-controller',
      ]),
    );
    const loop22 = reqs.find(
      (q: { AlarmName: string }) => q.AlarmName === 'streamctl-flink-sessions-restart-loop',
    );
    expect(loop22.Metrics[0].MetricStat.Metric.MetricName).toBe('numRestarts');
    expect(loop22.AlarmActions).toEqual(['arn:aws:sns:us-east-1:123456789012:pages']);
    expect(reqs).toHaveLength(2 * 3 + 6 + 4);
    // The cluster's configured disk thresholds, as `kafka disk` uses them — not the defaults.
    const disk3 = reqs.filter(
      (q: { AlarmName: string }) => q.AlarmName.includes('disk-') && q.AlarmName.endsWith('broker-3'),
    );
    expect(disk3.map((q: { AlarmName: string; Threshold: number }) => [q.AlarmName, q.Threshold])).toEqual([
      ['streamctl-kafka-orders-disk-warning-broker-3', 65],
      ['streamctl-kafka-orders-disk-critical-broker-3', 85],
    ]);
  });

  it('kafka clusters lists the configured MSK cluster from DescribeClusterV2', async () => {
    const r = (await cli('kafka', 'clusters', '--json')).json();
    expect(r.clusters[0]).toMatchObject({
      name: 'orders',
      source: 'configured',
      kind: 'standard',
      state: 'ACTIVE',
      brokers: 3,
      instanceType: 'kafka.m5.large',
    });
  });

  it('install is idempotent: created, then updated in place; remove deletes only managed alarms', async () => {
    const first = (await cli('alarms', 'install', '--yes', '--json')).json();
    expect(first.created).toHaveLength(16);
    const second = (await cli('alarms', 'install', '--yes', '--json')).json();
    expect(second).toMatchObject({ created: [], updated: expect.any(Array) });
    expect(second.updated).toHaveLength(16);

    const all = await env.clients.cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'streamctl-' }));
    const one = all.MetricAlarms!.find((a) => a.AlarmName === 'streamctl-flink-enricher-restart-loop')!;
    const tags = await env.clients.cw.send(new ListTagsForResourceCommand({ ResourceARN: one.AlarmArn }));
    expect(tags.Tags).toContainEqual({ Key: 'streamctl:managed', Value: 'true' });

    const refused = await cli('alarms', 'remove');
    expect(refused.code).toBe(64);
    const removed = (await cli('alarms', 'remove', '--yes', '--json')).json();
    expect(removed.deleted).toHaveLength(16);
    const left = await env.clients.cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'streamctl-' }));
    expect(left.MetricAlarms ?? []).toHaveLength(0);
  });

  it('install with some targets unreachable is not success: the exit says so, and lists what was and was not installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-alarms-'));
    const partial = join(dir, 'partial.yaml');
    const e = env.emu.endpoint;
    writeFileSync(
      partial,
      [
        'aws:',
        '  region: us-east-1',
        `  endpoints: { kinesisanalyticsv2: "${e}", cloudwatch: "${e}", kafka: "http://127.0.0.1:1" }`,
        'flink:',
        '  applications:',
        '    - { name: enricher, managed: { applicationName: enricher } }',
        '    - { name: ghost, managed: { applicationName: ghost-app } }',
        'kafka:',
        '  clusters: [ { name: orders, msk: { arn: "arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc" } } ]',
      ].join('\n'),
    );
    const r = await runCli(['alarms', 'install', '--yes', '--config', partial]);
    const out = `${r.stdout}\n${r.stderr}`;
    // The first failure's own code: the missing application is a configuration error (78).
    expect(r.code).toBe(78);
    expect(out).toContain('alarms partly installed: 3 installed');
    expect(out).toContain('streamctl-flink-enricher-restart-loop');
    expect(out).toContain('NOT installed: flink/ghost (all its alarms)');
    expect(out).toMatch(/kafka\/orders \(all its alarms\): .*ECONNREFUSED/);

    // CloudWatch itself unreachable: every target described, no alarm put: 69, never 0.
    const noCw = join(dir, 'no-cloudwatch.yaml');
    writeFileSync(
      noCw,
      [
        'aws:',
        '  region: us-east-1',
        `  endpoints: { kinesisanalyticsv2: "${e}", cloudwatch: "http://127.0.0.1:1", kafka: "${e}" }`,
        'flink:',
        '  applications:',
        '    - { name: enricher, managed: { applicationName: enricher } }',
      ].join('\n'),
    );
    const none = await runCli(['alarms', 'install', '--yes', '--config', noCw]);
    expect(none.code).toBe(69);
    expect(`${none.stdout}\n${none.stderr}`).toContain('no alarm installed');
    await runCli(['alarms', 'remove', '--yes', '--config', partial]);
  });
});
