/**
 * The demo's scenario, every step through the real CLI as an operator would run it: the Kafka
 * monitors on real brokers, a rebalance onto an added broker, then a bad deploy that the healer
 * detects, classifies, rolls back and verifies (demo-healer.ts).
 */
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { cli, type Narrate } from './demo-cli.js';
import { type HealerSummary, healBadDeploy } from './demo-healer.js';
import type { DemoState } from './demo-state.js';

export { DEMO_APP, type Narrate, tail } from './demo-cli.js';

/** What the demo showed, for the summary and the smoke test's assertions. */
export interface DemoSummary {
  kafka: { health: string; findings: string[] };
  rebalance: {
    addedBroker: number;
    partitionsChanged: number;
    movedBytes: number;
    lowerBoundBytes: number;
    executed: boolean;
    exitCode: number | null;
  };
  healer: HealerSummary;
  configFile: string;
}

/** What the demo reads of `kafka health --json`. */
interface HealthJson {
  severity?: string;
  clusters?: Array<{ findings?: Array<{ severity: string; message: string }> }>;
}

/** What the demo reads of `kafka rebalance plan --json`. */
interface PlanJson {
  figures?: { partitionsChanged?: number; movedBytes?: number; lowerBoundBytes?: number };
}

/** Topics with skewed sizes, so the monitors have something to say and the rebalance moves bytes. */
async function seedKafka(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = [
      { topic: 'orders', numPartitions: 12, replicationFactor: 3 },
      { topic: 'clicks', numPartitions: 6, replicationFactor: 3 },
      { topic: 'audit-log', numPartitions: 3, replicationFactor: 2 },
    ].filter((t) => !existing.has(t.topic));
    if (topics.length) await admin.createTopics({ topics, waitForLeaders: false });
  } finally {
    await admin.disconnect();
  }
  await new Promise((r) => setTimeout(r, 2000));
  const producer = kafka.producer();
  await producer.connect();
  try {
    const payload = 'x'.repeat(2000);
    for (const [topic, n] of [
      ['orders', 4000],
      ['clicks', 1000],
      ['audit-log', 300],
    ] as const) {
      for (let i = 0; i < n; i += 500) {
        await producer.send({
          topic,
          messages: Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
            key: `${topic}-${(i + k) % 97}`,
            value: payload,
          })),
        });
      }
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * The demo: monitors on real brokers, a rebalance after adding a broker, and a bad deploy that the
 * healer detects, classifies as user code, rolls back and verifies — every step through the real
 * CLI, as an operator would run it. `kafka` is the sandbox's kafkajs client (the command builds it),
 * which seeds the topics.
 */
export async function runDemoScenario(
  state: DemoState,
  say: Narrate,
  kafkaClient: Kafka,
  opts: { healerTimeoutMs?: number } = {},
): Promise<DemoSummary> {
  const dir = join(state.configFile, '..');
  const kafka = await kafkaMonitors(state, kafkaClient, say);
  const rebalance = await rebalanceOntoNewBroker(state, say, dir);
  const healer = await healBadDeploy(state, say, dir, opts.healerTimeoutMs ?? 10 * 60_000);
  return { kafka, rebalance, healer, configFile: state.configFile };
}

/** 1. Kafka monitors: seed skewed topics, then `kafka health`. */
async function kafkaMonitors(state: DemoState, client: Kafka, say: Narrate): Promise<DemoSummary['kafka']> {
  say('kafka', 'creating topics (orders, clicks, audit-log with RF 2) and producing data…');
  await seedKafka(client);
  const health = await cli<HealthJson>(state, ['kafka', 'health']);
  const kafka = {
    health: health.out?.severity ?? 'UNKNOWN',
    findings: (health.out?.clusters?.[0]?.findings ?? []).map(
      (f: { severity: string; message: string }) => `${f.severity} ${f.message}`,
    ),
  };
  say('kafka', `streamctl kafka health → ${kafka.health}`);
  for (const f of kafka.findings.slice(0, 6)) say('kafka', `  ${f}`);
  return kafka;
}

/** 2. Add a broker, snapshot, plan a rebalance onto it and execute the plan. */
async function rebalanceOntoNewBroker(
  state: DemoState,
  say: Narrate,
  dir: string,
): Promise<DemoSummary['rebalance']> {
  const added = (await (await fetch(`${state.controlUrl}/kafka/add-broker`, { method: 'POST' })).json()) as {
    id: number;
    rack: string;
  };
  say('rebalance', `added broker ${added.id} (${added.rack}): it holds no partitions yet`);
  const snap = join(dir, 'snapshot.json');
  await cli(state, ['kafka', 'snapshot', '-c', 'demo', '-o', snap]);
  const planFile = join(dir, 'plan.json');
  const plan = await cli<PlanJson>(state, [
    'kafka',
    'rebalance',
    'plan',
    '--snapshot',
    snap,
    '--add-broker',
    String(added.id),
    '--throttle',
    '20MB/s',
    '-o',
    planFile,
  ]);
  const figures = plan.out?.figures ?? {};
  const partitionsChanged = figures.partitionsChanged ?? 0;
  const movedBytes = figures.movedBytes ?? 0;
  const lowerBoundBytes = figures.lowerBoundBytes ?? 0;
  say(
    'rebalance',
    `streamctl kafka rebalance plan --add-broker ${added.id} → ${partitionsChanged} partitions change, ${(movedBytes / 1e6).toFixed(1)} MB to move (lower bound ${(lowerBoundBytes / 1e6).toFixed(1)} MB)`,
  );
  const exec = await cli(state, [
    'kafka',
    'rebalance',
    'execute',
    '--plan',
    planFile,
    '-c',
    'demo',
    '--throttle',
    '20MB/s',
    '--yes',
    '--state-dir',
    join(dir, 'state'),
  ]);
  say(
    'rebalance',
    `streamctl kafka rebalance execute → exit ${exec.code}${exec.code === 0 ? ' (all moves done, throttles cleared, preferred leaders elected)' : ''}`,
  );
  return {
    addedBroker: added.id,
    partitionsChanged,
    movedBytes,
    lowerBoundBytes,
    executed: exec.code === 0,
    exitCode: exec.code,
  };
}
