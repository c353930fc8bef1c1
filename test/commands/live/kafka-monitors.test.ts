import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../../src/domain/snapshot.js';
import { runCli } from '../../helpers/cli.js';
import type { KafkaPeerInfo } from '../../peers/kinds/kafka.js';
import { usePeer } from '../../peers/use.js';

/**
 * The Kafka monitor commands against a real 3-broker KRaft cluster (racks, two log dirs per
 * broker): what an operator runs, as a child process, with a real streamctl.yaml.
 */
describe.each(['3.9', '4'] as const)('kafka monitors on a live Kafka %s cluster', (version) => {
  let cfg: string;
  let dir: string;
  const topic = `monitored-${version.replace('.', '')}`;

  beforeAll(async () => {
    const kafka = await usePeer<KafkaPeerInfo>('kafka', { version, brokers: 3, scram: true });
    dir = mkdtempSync(join(tmpdir(), 'streamctl-live-'));
    cfg = join(dir, 'streamctl.yaml');
    writeFileSync(
      cfg,
      [
        'kafka:',
        '  clusters:',
        `    - name: local`,
        `      bootstrap: [${kafka.bootstrap
          .split(',')
          .map((b) => `"${b}"`)
          .join(', ')}]`,
        `    - name: local-scram`,
        `      bootstrap: ["${kafka.scram!.bootstrap.split(',')[0]}"]`,
        '      auth: { type: scram, mechanism: scram-sha-512, username: admin, password: { env: TEST_SCRAM_PASSWORD }, tls: false }',
        `    - name: down`,
        `      bootstrap: ["127.0.0.1:1"]`,
      ].join('\n'),
    );
    process.env.TEST_SCRAM_PASSWORD = kafka.scram!.password;
    const client = new Kafka({ brokers: kafka.bootstrap.split(','), logLevel: logLevel.NOTHING });
    const admin = client.admin();
    await admin.connect();
    // kafkajs's waitForLeaders races KRaft metadata ("does not host this topic-partition"): poll instead.
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 6,
          replicationFactor: 3,
          configEntries: [{ name: 'min.insync.replicas', value: '3' }],
        },
      ],
      waitForLeaders: false,
    });
    for (let i = 0; i < 120; i++) {
      const md = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      if (md?.topics[0]?.partitions.length === 6 && md.topics[0].partitions.every((p) => p.leader >= 0))
        break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await admin.disconnect();
    const producer = client.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 600 }, (_, i) => ({ key: String(i), value: 'x'.repeat(1000) })),
    });
    await producer.disconnect();
  });

  it('kafka partitions -c reads placement, ISR and min.insync.replicas live', async () => {
    const r = await runCli(['kafka', 'partitions', '-c', 'local', '--config', cfg, '--json']);
    const out = r.json();
    expect(out.source).toBe('live');
    expect(out.brokers.map((b: { rack: string }) => b.rack).sort()).toEqual([
      'use1-az1',
      'use1-az2',
      'use1-az3',
    ]);
    expect(out.totals.underReplicated).toBe(0);
    // min.insync.replicas = RF = 3 on our topic: any broker restart blocks acks=all producers.
    expect(out.findings).toContainEqual(
      expect.objectContaining({ code: 'topics.min-isr-equals-rf', subject: topic, severity: 'WARNING' }),
    );
    expect(r.code).toBe(1);
  });

  it('kafka disk -c uses DescribeLogDirs volume totals for self-managed brokers', async () => {
    const r = await runCli(['kafka', 'disk', '-c', 'local', '--config', cfg, '--json']);
    const out = r.json();
    expect(out.brokers).toHaveLength(3);
    for (const b of out.brokers) {
      expect(b.capacityBytes).toBeGreaterThan(0);
      expect(b.usedPercent).toBeGreaterThan(0);
      expect(b.logDirs).toHaveLength(2);
    }
    expect([0, 1, 2]).toContain(r.code);
  });

  it('kafka snapshot -c writes a snapshot the offline monitors and planner read', async () => {
    const file = join(dir, 'snap.json');
    const r = await runCli(['kafka', 'snapshot', '-c', 'local', '-o', file, '--config', cfg, '--json']);
    expect(r.code).toBe(0);
    const snap = readSnapshotFile(file);
    const ours = snap.partitions.filter((p) => p.topic === topic);
    expect(ours).toHaveLength(6);
    expect(ours.reduce((s, p) => s + p.sizeBytes, 0)).toBeGreaterThan(600_000);
    const offline = await runCli(['kafka', 'partitions', '--snapshot', file, '--json']);
    expect(offline.json().totals.partitions).toBe(snap.partitions.length);
  });

  it('kafka rebalance plan -c plans from the live cluster and writes the plan and its report', async () => {
    const out = join(dir, 'live-plan.json');
    const r = await runCli([
      'kafka',
      'rebalance',
      'plan',
      '-c',
      'local',
      '-o',
      out,
      '--config',
      cfg,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().snapshotFile).toMatch(/^live:local@/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      version: 1,
      partitions: expect.any(Array),
    });
  });

  it('authenticates with SCRAM and never prints the password', async () => {
    const r = await runCli(['kafka', 'partitions', '-c', 'local-scram', '--config', cfg, '--debug'], {
      env: { TEST_SCRAM_PASSWORD: process.env.TEST_SCRAM_PASSWORD! },
    });
    expect(r.stdout).toContain('local-scram partitions (live)');
    expect(r.stdout + r.stderr).not.toContain(process.env.TEST_SCRAM_PASSWORD!);
  });

  it('kafka health: one verdict per cluster; an unreachable cluster is UNKNOWN, the others still checked', async () => {
    const r = await runCli(['kafka', 'health', '--config', cfg, '--json'], {
      env: { TEST_SCRAM_PASSWORD: process.env.TEST_SCRAM_PASSWORD! },
    });
    const out = r.json();
    const by = Object.fromEntries(
      out.clusters.map((c: { target: string; severity: string }) => [c.target, c.severity]),
    );
    expect(by.down).toBe('UNKNOWN');
    expect(by.local).toBe('WARNING');
    expect(r.code).toBe(3);
  });
});
