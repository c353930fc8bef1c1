import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import type { KafkaPeerInfo } from '../../peers/kinds/kafka.js';
import { usePeer } from '../../peers/use.js';
import { startFakeEmulator } from '../../sandbox/aws-emulator/helpers.js';

/**
 * An MSK cluster end to end: discovery (DescribeClusterV2, ListNodes, GetBootstrapBrokers) through
 * the AWS emulator pointing at the real local brokers, disk use and broker figures from CloudWatch
 * AWS/Kafka series, placement and ISR from the real brokers.
 */
describe('kafka monitors on an (emulated) MSK cluster backed by real brokers', () => {
  let env: Awaited<ReturnType<typeof startFakeEmulator>>;
  let cfg: string;

  beforeAll(async () => {
    const kafka = await usePeer<KafkaPeerInfo>('kafka', { version: '3.9', brokers: 3, scram: true });
    env = await startFakeEmulator();
    const { clusterArn } = env.emu.control.registerMskCluster({
      name: 'orders',
      instanceType: 'kafka.m5.large',
      volumeSizeGiB: 1000,
      brokers: kafka.brokers.map((b) => ({ id: b.id, port: b.port, host: '127.0.0.1', rack: b.rack })),
    });
    // The CLI reads CloudWatch with the wall clock: datapoints are stamped with real time.
    const now = Date.now();
    for (const b of kafka.brokers) {
      // Broker 1 grows 1% per hour from 70%: past the warning threshold and filling.
      const base = b.id === 1 ? 70 : 40;
      const grow = b.id === 1 ? 1 : 0;
      env.emu.control.putBrokerMetric(
        'orders',
        b.id,
        'KafkaDataLogsDiskUsed',
        Array.from({ length: 24 }, (_, h) => ({
          timestamp: now - (23 - h) * 3_600_000,
          value: base + grow * h,
        })),
      );
      for (const [m, v] of [
        ['CpuUser', 12],
        ['CpuSystem', 3],
        ['ConnectionCount', 42],
        ['BytesInPerSec', 1e6],
        ['BytesOutPerSec', 2e6],
      ] as const) {
        env.emu.control.putBrokerMetric('orders', b.id, m, [{ timestamp: now - 120_000, value: v }]);
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-msk-'));
    cfg = join(dir, 'streamctl.yaml');
    writeFileSync(
      cfg,
      [
        'aws:',
        '  region: us-east-1',
        `  endpoints: { kafka: "${env.emu.endpoint}", cloudwatch: "${env.emu.endpoint}" }`,
        'kafka:',
        `  clusters: [ { name: orders, msk: { arn: "${clusterArn}" }, auth: { type: none } } ]`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await env?.emu.stop();
  });

  it('kafka disk -c reads KafkaDataLogsDiskUsed per broker and forecasts from its trend', async () => {
    const r = await runCli(['kafka', 'disk', '-c', 'orders', '--config', cfg, '--json']);
    const out = r.json();
    const b1 = out.brokers.find((b: { id: number }) => b.id === 1);
    expect(b1.usedPercent).toBeCloseTo(93, 0);
    expect(b1.severity).toBe('CRITICAL');
    expect(b1.timeToFullMs).toBeGreaterThan(0);
    const advice = out.findings.find((f: { code: string }) => f.code === 'disk.add-storage');
    expect(advice?.advice).toMatch(/never be scaled down/);
    expect(r.code).toBe(2);
  });

  it('kafka partitions -c applies the kafka.m5.large limits; kafka brokers shows CloudWatch figures', async () => {
    const p = (await runCli(['kafka', 'partitions', '-c', 'orders', '--config', cfg, '--json'])).json();
    expect(p.limit).toMatchObject({ recommended: 1000, maximum: 1500 });
    const b = (await runCli(['kafka', 'brokers', '-c', 'orders', '--config', cfg, '--json'])).json();
    expect(b).toMatchObject({ brokerType: 'standard', instanceType: 'kafka.m5.large' });
    expect(b.brokers[0]).toMatchObject({
      cpuPercent: 15,
      connections: 42,
      bytesInPerSec: 1e6,
      bytesOutPerSec: 2e6,
    });
  });
});
