import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { KafkaPeerInfo } from '../peers/kinds/kafka.js';
import kafkaKind, { type StartedKafkaPeer } from '../peers/kinds/kafka.js';
import { bindPidDir, usePeer } from '../peers/use.js';
import { eventually } from '../sandbox/aws-emulator/helpers.js';

const yaml = (name: string, bootstrap: string, dir: string) =>
  [
    // The coordination store (locks, operator journal) in the test's dir, not in the cwd.
    'healer:',
    `  journal: ${JSON.stringify(join(dir, 'store.db'))}`,
    'kafka:',
    '  clusters:',
    `    - name: ${name}`,
    `      bootstrap: [${bootstrap
      .split(',')
      .map((b) => `"${b}"`)
      .join(', ')}]`,
  ].join('\n');

async function topicWithData(bootstrap: string, topic: string, assignment: Record<number, number[]>) {
  const client = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
  const admin = client.admin();
  await admin.connect();
  // waitForLeaders can race the metadata of a busy shared cluster; the producer below retries.
  await admin.createTopics({
    topics: [
      {
        topic,
        replicaAssignment: Object.entries(assignment).map(([p, r]) => ({
          partition: Number(p),
          replicas: r,
        })),
      },
    ],
    waitForLeaders: false,
  });
  await admin.disconnect();
  const producer = client.producer();
  await producer.connect();
  const messages = Array.from({ length: 1200 }, (_, i) => ({
    key: String(i),
    value: 'x'.repeat(500),
    partition: i % Object.keys(assignment).length,
  }));
  // Right after creation a broker may not know the partition yet: retry until it does.
  await eventually(
    async () => {
      await producer.send({ topic, messages });
      return true;
    },
    `producing to ${topic}`,
    60_000,
  );
  await producer.disconnect();
}

/**
 * The Kafka runbooks' diagnosis on the shared real cluster (read only: nothing is changed there),
 * and the full add-brokers → broker-down story on a private 4-node cluster: a broker is added,
 * the runbook fills it (planner + executor, throttled) and verifies, then that broker dies and
 * broker-down diagnoses it.
 */
describe('Kafka runbooks on the shared Kafka 3.9 cluster (diagnose only)', () => {
  let cfg: string;
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--config', cfg, '--state-dir', join(dir, 'state')]);

  beforeAll(async () => {
    const kafka = await usePeer<KafkaPeerInfo>('kafka', { version: '3.9', brokers: 3, scram: true });
    dir = mkdtempSync(join(tmpdir(), 'streamctl-rb-kafka-'));
    cfg = join(dir, 'streamctl.yaml');
    writeFileSync(cfg, yaml('shared', kafka.bootstrap, dir));
    await topicWithData(kafka.bootstrap, `rb-disk-${Date.now()}`, { 0: [1, 2], 1: [2, 3], 2: [3, 1] });
  });

  it('disk-filling measures every broker from DescribeLogDirs and explains the options', async () => {
    const r = await cli('runbook', 'disk-filling', 'shared', '--dry-run', '--json');
    const run = r.json();
    expect(run.outcome).toBe('dry-run');
    const d = run.steps[0].data;
    expect(d.brokers).toHaveLength(3);
    for (const b of d.brokers) expect(b.usedPercent).toBeGreaterThan(0);
    expect(d.topTopics.length).toBeGreaterThan(0);
    expect(run.options.map((o: { id: string }) => o.id)).toEqual([
      'rebalance-light',
      'add-storage',
      'lower-retention',
      'none',
    ]);
    expect([0, 1, 2]).toContain(r.code);
    expect(r.code).toBe({ OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 }[run.severity as 'OK']);
  });

  it('broker-down on a healthy cluster: every broker up, nothing to move', async () => {
    const run = (await cli('runbook', 'broker-down', 'shared', '--dry-run', '--json')).json();
    const d = run.steps[0].data;
    expect(d.downBrokers).toEqual([]);
    expect(d.liveBrokers).toEqual([1, 2, 3]);
    expect(d.offlineCount).toBe(0);
    expect(run.options.find((o: { id: string }) => o.id === 'reassign-off')).toMatchObject({
      available: false,
      unavailableReason: 'no broker is down',
    });
  });

  it('add-brokers finds no empty broker and recommends nothing to do', async () => {
    const run = (await cli('runbook', 'add-brokers', 'shared', '--dry-run', '--json')).json();
    expect(run.steps[0].data.newBrokers).toEqual([]);
    expect(run.chosen).toBe('none');
  });
});

describe('add-brokers then broker-down on a private Kafka 3.9 cluster', () => {
  let peer: StartedKafkaPeer;
  let cfg: string;
  let dir: string;
  const topic = 'rb-fill';
  const cli = (...args: string[]) =>
    runCli([
      ...args,
      '--config',
      cfg,
      '--state-dir',
      join(dir, 'state'),
      '--interval',
      '1s',
      '--timeout',
      '3m',
    ]);

  beforeAll(async () => {
    bindPidDir();
    peer = await kafkaKind.start({ version: '3.9', brokers: 3 });
    await topicWithData(peer.info.bootstrap, topic, {
      0: [1, 2],
      1: [2, 3],
      2: [3, 1],
      3: [1, 3],
      4: [2, 1],
      5: [3, 2],
    });
    await peer.cluster.addBroker();
    dir = mkdtempSync(join(tmpdir(), 'streamctl-rb-own-'));
    cfg = join(dir, 'streamctl.yaml');
    writeFileSync(cfg, yaml('own', peer.cluster.info().bootstrap, dir));
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('add-brokers --dry-run finds the new empty broker and plans to fill it with figures and a duration', async () => {
    const r = await cli('runbook', 'add-brokers', 'own', '--dry-run', '--json', '--throttle', '5MB/s');
    const run = r.json();
    const d = run.steps[0].data;
    expect(d.newBrokers).toEqual([4]);
    expect(d.figures.replicaMoves).toBeGreaterThan(0);
    expect(d.figures.movedBytes).toBeGreaterThan(0);
    expect(d.figures.estimatedDurationMs).toBeGreaterThan(0);
    expect(run.chosen).toBe('execute');
    expect(run.steps[1].lines.join('\n')).toMatch(/execute \(recommended\): Execute the plan at \d/);
  });

  it('add-brokers --yes executes the plan in throttled batches and verifies by reassignment progress', async () => {
    const r = await cli('runbook', 'add-brokers', 'own', '--yes', '--json', '--throttle', '20MB/s');
    const run = r.json();
    expect(r.code, JSON.stringify(run.steps.slice(3))).toBe(0);
    expect(run).toMatchObject({ outcome: 'acted', chosen: 'execute', verify: 'healed' });
    expect(run.steps[3].data.result.phase).toBe('done');
    expect(r.stderr).toMatch(/\[act\] plan written to/);
    const admin = new Kafka({
      brokers: peer.cluster.info().bootstrap.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(md.topics[0]!.partitions.some((p) => p.replicas.includes(4))).toBe(true);
  });

  it('broker-down diagnoses the dead broker, what it held, and offers to bring it back or move its replicas', async () => {
    await peer.cluster.kill(4);
    const run = await eventually(
      async () => {
        const x = (await cli('runbook', 'broker-down', 'own', '--dry-run', '--json')).json();
        return x.steps?.[0]?.data?.downBrokers?.includes(4) ? x : undefined;
      },
      'broker 4 seen down',
      240_000,
    );
    const d = run.steps[0].data;
    expect(d.liveBrokers).toEqual([1, 2, 3]);
    expect(d.replicasOnDown).toBeGreaterThan(0);
    expect(d.offlineCount).toBe(0);
    expect(run.severity).toBe('CRITICAL');
    expect(run.chosen).toBe('restart-broker');
    expect(run.options.find((o: { id: string }) => o.id === 'reassign-off').available).toBe(true);
    const refused = await cli('runbook', 'broker-down', 'own', '--option', 'reassign-off');
    expect(refused.code).toBe(64);
    expect(refused.stderr).toMatch(/--yes/);
  }, 300_000);

  it('broker-down --option reassign-off --yes moves the dead broker’s replicas to the live brokers and verifies', async () => {
    const r = await cli(
      'runbook',
      'broker-down',
      'own',
      '--option',
      'reassign-off',
      '--yes',
      '--json',
      '--throttle',
      '20MB/s',
    );
    const run = r.json();
    expect(r.code, JSON.stringify(run.steps.slice(3))).toBe(0);
    expect(run).toMatchObject({ chosen: 'reassign-off', verify: 'healed' });
    const admin = new Kafka({
      brokers: peer.cluster.info().bootstrap.split(',').slice(0, 3),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    for (const p of md.topics[0]!.partitions) {
      expect(p.replicas).not.toContain(4);
      expect(p.isr).toHaveLength(2);
    }
  }, 300_000);
});
