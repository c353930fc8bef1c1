import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { expect } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { openKafkaAdmin } from '../../../src/probes/kafka-admin/index.js';
import type { KafkaAdminPort } from '../../../src/probes/kafka-admin/port.js';
import { parseReassignment } from '../../../src/rebalancer/plan.js';
import { clusterConfig } from '../../../src/services/kafka-observe.js';
import { runCli } from '../../helpers/cli.js';
import type { Json } from '../../helpers/json.js';
import { trackPid, untrackPid } from '../../peers/pids.js';

const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));

/** A CLI child process whose --json output is read line by line as it runs. */
/** One JSON line the CLI printed, walked by path in the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type JsonLine = Record<string, any>;

export interface LiveCli {
  child: ChildProcess;
  events: Array<Json /* a JSON line */>;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(
    what: string,
    pred: (e: Json /* a JSON line */) => boolean,
    timeoutMs?: number,
  ): Promise<Json /* a JSON line */>;
  last(): Json /* a JSON line */ | undefined;
}

/** Starts `streamctl <args>` as a child (recorded for the global teardown). */
export function startCli(args: string[]): LiveCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', STREAMCTL_CONFIG: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  trackPid(child.pid, `streamctl ${args.slice(0, 3).join(' ')}`);
  const events: Array<Json /* a JSON line */> = [];
  let buf = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    buf += c;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.trim()) events.push(JSON.parse(line));
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  child.stdin!.end();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      untrackPid(child.pid);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    events,
    stderr: () => err,
    exited,
    last: () => events.at(-1),
    async waitFor(what, pred, timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`streamctl exited before ${what}: ${JSON.stringify(events.at(-1))} ${err}`);
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; last event ${JSON.stringify(events.at(-1))}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

/** Writes streamctl.yaml for a cluster named `local`. */
export function writeConfig(dir: string, bootstrap: string, storeUrlEnv?: string): string {
  const file = join(dir, storeUrlEnv ? 'streamctl-pg.yaml' : 'streamctl.yaml');
  writeFileSync(
    file,
    [
      // The coordination store (locks, operator journal) beside the test's files, not in the cwd;
      // or a PostgreSQL store whose URL the environment variable holds.
      'healer:',
      `  journal: ${JSON.stringify(join(dir, 'store.db'))}`,
      ...(storeUrlEnv ? [`  store: { url: { env: ${storeUrlEnv} } }`] : []),
      'kafka:',
      '  clusters:',
      '    - name: local',
      `      bootstrap: [${bootstrap
        .split(',')
        .map((b) => `"${b}"`)
        .join(', ')}]`,
    ].join('\n'),
  );
  return file;
}

/** Our admin port to the cluster (for observations the test makes on its own). */
export async function adminFor(cfgFile: string): Promise<KafkaAdminPort> {
  const config = parseConfigText(readFileSync(cfgFile, 'utf8'), cfgFile);
  return openKafkaAdmin(clusterConfig(config, 'local'));
}

/** Creates topics with explicit placements and writes `bytesPerPartition` of incompressible data to each partition. */
export async function seedTopics(
  bootstrap: string,
  admin: KafkaAdminPort,
  topics: Array<{ name: string; assignments: number[][]; bytesPerPartition: number }>,
): Promise<void> {
  await admin.createTopics(topics.map((t) => ({ name: t.name, assignments: t.assignments })));
  const kafka = new Kafka({
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    clientId: 'rebalance-seed',
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const t of topics) {
      for (let p = 0; p < t.assignments.length; p++) {
        const count = Math.ceil(t.bytesPerPartition / 10_000);
        for (let i = 0; i < count; i += 20) {
          const messages = Array.from({ length: Math.min(20, count - i) }, () => ({
            value: Buffer.from(Array.from({ length: 10_000 }, () => Math.floor(Math.random() * 256))),
          }));
          await eventuallyOk(() =>
            producer.send({
              topic: t.name,
              acks: -1,
              messages: messages.map((m) => ({ ...m, partition: p })),
            }),
          );
        }
      }
    }
  } finally {
    await producer.disconnect();
  }
}

async function eventuallyOk<T>(fn: () => Promise<T>, tries = 30): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** `kafka snapshot` then `kafka rebalance plan` (D's command) through the CLI; returns the plan file. */
export async function planLive(
  dir: string,
  cfg: string,
  name: string,
  extra: string[] = [],
): Promise<{ planFile: string; figures: Json /* a JSON line */ }> {
  const snap = join(dir, `${name}.snapshot.json`);
  const s = await runCli(['kafka', 'snapshot', '-c', 'local', '-o', snap, '--config', cfg, '--json']);
  expect(s.code, s.stderr).toBe(0);
  const planFile = join(dir, `${name}.json`);
  const p = await runCli([
    'kafka',
    'rebalance',
    'plan',
    '--snapshot',
    snap,
    '-o',
    planFile,
    '--json',
    ...extra,
  ]);
  expect(p.code, p.stderr).toBe(0);
  return { planFile, figures: p.json().figures };
}

/** The plan's partitions, checked against the live cluster: replicas as planned, preferred leader leading. */
export async function expectPlacement(
  admin: KafkaAdminPort,
  planFile: string,
  leaders = true,
): Promise<void> {
  const plan = parseReassignment(readFileSync(planFile, 'utf8'), planFile);
  const meta = await admin.topicMetadata([...new Set(plan.partitions.map((p) => p.topic))]);
  for (const p of plan.partitions) {
    const live = meta.find((t) => t.name === p.topic)!.partitions.find((x) => x.partition === p.partition)!;
    expect(live.replicas, `${p.topic}-${p.partition}`).toEqual(p.replicas);
    if (leaders) expect(live.leader, `${p.topic}-${p.partition} leader`).toBe(p.replicas[0]);
  }
}

const THROTTLE_KEYS = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate'];
const REPLICA_KEYS = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];

/** Every dynamic throttle config on the cluster's brokers and the given topics. */
export async function liveThrottles(admin: KafkaAdminPort, topics: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const b of (await admin.describeCluster()).brokers) {
    const r = await admin.describeBrokerConfigs(b.id, THROTTLE_KEYS);
    for (const e of r.entries)
      if (e.source === 'dynamic-broker' && e.value) out.push(`broker ${b.id} ${e.name}=${e.value}`);
  }
  for (const r of await admin.describeTopicConfigs(topics, REPLICA_KEYS)) {
    for (const e of r.entries)
      if (e.source === 'dynamic-topic' && e.value) out.push(`topic ${r.name} ${e.name}=${e.value}`);
  }
  return out;
}

/** Polls until `fn` returns a value (or throws after `timeoutMs`). */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
