import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  KinesisAnalyticsV2Client,
  StartApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { Kafka, logLevel } from 'kafkajs';
import { StreamctlError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import { type DemoState, JOB_PROPERTY_GROUP } from './demo-state.js';
import { checkViews, type ViewsCheck } from './demo-views.js';

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
export const DEMO_APP = 'orders-enricher';

/** One line of the demo's narration. */
export type Narrate = (section: string, line: string) => void;

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
  healer: {
    detected: boolean;
    verdict?: string;
    action?: string;
    outcome?: string;
    timeline: string[];
    /** After the heal: what each view says (they must all say `healed`). */
    views?: ViewsCheck;
  };
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

/** What the demo reads of `healer history --json`. */
interface HistoryJson {
  actions?: Array<{ action?: { type?: string }; type?: string; outcomes?: Array<{ status: string }> }>;
  decisions?: unknown[];
}

/**
 * Runs `streamctl <args> --config <file> --json` and parses its JSON (stdout). `T` is the part of
 * the command's `--json` shape the demo reads: every field optional, since a failed command prints
 * an error object instead.
 */
async function cli<T = unknown>(
  state: DemoState,
  args: string[],
  opts: { json?: boolean } = {},
): Promise<{ code: number | null; out: T | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, ...args, '--config', state.configFile, ...(opts.json === false ? [] : ['--json'])],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      let out: T | undefined;
      try {
        out = JSON.parse(stdout) as T;
      } catch {
        out = undefined;
      }
      resolve({ code, out, text: stdout + stderr });
    });
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe().catch((e: unknown) => {
      if (e instanceof StreamctlError && e.code === 'DEMO_HEALER_EXITED') throw e;
      return undefined;
    });
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new StreamctlError('DEMO_TIMEOUT', `demo: gave up waiting for ${what}`, {
    exitCode: Sysexit.TEMPFAIL,
  });
}

/** Topics with skewed sizes, so the monitors have something to say and the rebalance moves bytes. */
async function seedKafka(state: DemoState): Promise<void> {
  const kafka = new Kafka({
    clientId: 'streamctl-demo',
    brokers: state.kafkaBootstrap.split(','),
    logLevel: logLevel.NOTHING,
  });
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

function msfClient(state: DemoState): KinesisAnalyticsV2Client {
  return new KinesisAnalyticsV2Client({
    endpoint: state.emulatorEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo-not-a-secret' },
    maxAttempts: 2,
  });
}

/** Creates and starts the emulated MSF application (healthy v1 on the real Flink), with a snapshot. */
async function startHealthyApp(state: DemoState, say: Narrate): Promise<void> {
  const msf = msfClient(state);
  const describe = async () =>
    (await msf.send(new DescribeApplicationCommand({ ApplicationName: DEMO_APP }))).ApplicationDetail!;
  const exists = await describe().catch(() => undefined);
  if (!exists) {
    await msf.send(
      new CreateApplicationCommand({
        ApplicationName: DEMO_APP,
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: 'arn:aws:iam::123456789012:role/demo',
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: {
              S3ContentLocation: { BucketARN: 'arn:aws:s3:::demo', FileKey: 'orders-enricher-v1.jar' },
            },
          },
          EnvironmentProperties: {
            PropertyGroups: [
              { PropertyGroupId: JOB_PROPERTY_GROUP, PropertyMap: { mode: 'healthy', version: 'v1' } },
            ],
          },
          ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
          ApplicationSystemRollbackConfiguration: { RollbackEnabled: true },
        },
      }),
    );
  }
  if ((await describe()).ApplicationStatus === 'READY') {
    await msf.send(
      new StartApplicationCommand({
        ApplicationName: DEMO_APP,
        RunConfiguration: {
          ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
        },
      }),
    );
  }
  say('flink', `started ${DEMO_APP} v1 (healthy) on the real Flink cluster behind the emulated MSF API`);
  const r = await cli(state, [
    'flink',
    'subtasks',
    'orders-enricher',
    '--wait',
    '--timeout',
    '5m',
    '--interval',
    '3s',
  ]);
  say(
    'flink',
    `streamctl flink subtasks --wait → exit ${r.code} (0 = all subtasks RUNNING, polled through the presigned dashboard URL)`,
  );
  await msf.send(
    new CreateApplicationSnapshotCommand({
      ApplicationName: DEMO_APP,
      SnapshotName: `demo-v1-${Date.now()}`,
    }),
  );
  await waitFor(
    'the snapshot',
    async () => ((await describe()).ApplicationStatus === 'RUNNING' ? true : undefined),
    120_000,
  );
  say('flink', 'took a snapshot of v1 (rollback restores from it)');
}

/**
 * The demo: monitors on real brokers, a rebalance after adding a broker, and a bad deploy that the
 * healer detects, classifies as user code, rolls back and verifies — every step through the real
 * CLI, as an operator would run it.
 */
export async function runDemoScenario(
  state: DemoState,
  say: Narrate,
  opts: { healerTimeoutMs?: number } = {},
): Promise<DemoSummary> {
  const summary: DemoSummary = {
    kafka: { health: 'UNKNOWN', findings: [] },
    rebalance: {
      addedBroker: 0,
      partitionsChanged: 0,
      movedBytes: 0,
      lowerBoundBytes: 0,
      executed: false,
      exitCode: null,
    },
    healer: { detected: false, timeline: [] },
    configFile: state.configFile,
  };
  const dir = join(state.configFile, '..');

  // 1. Kafka monitors.
  say('kafka', 'creating topics (orders, clicks, audit-log with RF 2) and producing data…');
  await seedKafka(state);
  const health = await cli<HealthJson>(state, ['kafka', 'health']);
  summary.kafka.health = health.out?.severity ?? 'UNKNOWN';
  summary.kafka.findings = (health.out?.clusters?.[0]?.findings ?? []).map(
    (f: { severity: string; message: string }) => `${f.severity} ${f.message}`,
  );
  say('kafka', `streamctl kafka health → ${summary.kafka.health}`);
  for (const f of summary.kafka.findings.slice(0, 6)) say('kafka', `  ${f}`);

  // 2. Add a broker and rebalance onto it.
  const added = (await (await fetch(`${state.controlUrl}/kafka/add-broker`, { method: 'POST' })).json()) as {
    id: number;
    rack: string;
  };
  summary.rebalance.addedBroker = added.id;
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
  summary.rebalance.partitionsChanged = figures.partitionsChanged ?? 0;
  summary.rebalance.movedBytes = figures.movedBytes ?? 0;
  summary.rebalance.lowerBoundBytes = figures.lowerBoundBytes ?? 0;
  say(
    'rebalance',
    `streamctl kafka rebalance plan --add-broker ${added.id} → ${summary.rebalance.partitionsChanged} partitions change, ${(summary.rebalance.movedBytes / 1e6).toFixed(1)} MB to move (lower bound ${(summary.rebalance.lowerBoundBytes / 1e6).toFixed(1)} MB)`,
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
  summary.rebalance.executed = exec.code === 0;
  summary.rebalance.exitCode = exec.code;
  say(
    'rebalance',
    `streamctl kafka rebalance execute → exit ${exec.code}${exec.code === 0 ? ' (all moves done, throttles cleared, preferred leaders elected)' : ''}`,
  );

  // 3. Flink: healthy app, then the healer and a bad deploy.
  await startHealthyApp(state, say);
  const healerLog = join(dir, 'healer.log');
  const out = openSync(healerLog, 'w');
  const healer = spawn(process.execPath, [BIN, 'healer', 'run', '--config', state.configFile], {
    stdio: ['ignore', out, out],
    env: process.env,
  });
  // `demo down` stops it too if this process dies before the finally below runs.
  if (healer.pid) writeFileSync(join(dir, 'healer.pid'), String(healer.pid));
  const stopHealer = () => healer.kill('SIGTERM');
  process.once('SIGINT', stopHealer);
  process.once('SIGTERM', stopHealer);
  const healerExited = new Promise<number | null>((r) => healer.once('exit', (code) => r(code)));
  let healerExitCode: number | null | undefined;
  void healerExited.then((c) => {
    healerExitCode = c;
  });
  say('healer', `streamctl healer run started (mode act, logs in ${healerLog})`);
  try {
    const msf = msfClient(state);
    const version = (await msf.send(new DescribeApplicationCommand({ ApplicationName: DEMO_APP })))
      .ApplicationDetail!.ApplicationVersionId!;
    await msf.send(
      new UpdateApplicationCommand({
        ApplicationName: DEMO_APP,
        CurrentApplicationVersionId: version,
        ApplicationConfigurationUpdate: {
          EnvironmentPropertyUpdates: {
            PropertyGroups: [
              { PropertyGroupId: JOB_PROPERTY_GROUP, PropertyMap: { mode: 'user-error', version: 'v2' } },
            ],
          },
        },
      }),
    );
    say(
      'healer',
      `deployed v2 of ${DEMO_APP}: it throws a NullPointerException in Enrich.map → a real fail-and-restart loop`,
    );
    const healed = await waitFor(
      'the healer to roll back and verify',
      async () => {
        if (healerExitCode !== undefined) {
          throw new StreamctlError(
            'DEMO_HEALER_EXITED',
            `demo: the healer exited (${healerExitCode}) before healing`,
            { exitCode: Sysexit.SOFTWARE, hint: tail(healerLog) },
          );
        }
        const h = await cli<HistoryJson>(state, ['healer', 'history', DEMO_APP]);
        const actions = h.out?.actions ?? [];
        const rollback = actions.find((a) => (a.action?.type ?? a.type) === 'rollback');
        const final = rollback?.outcomes?.map((o) => o.status).find((s) => s === 'healed' || s === 'failed');
        return final ? { h: h.out ?? {}, final } : undefined;
      },
      opts.healerTimeoutMs ?? 10 * 60_000,
    );
    summary.healer.detected = true;
    summary.healer.action = 'rollback';
    summary.healer.outcome = healed.final;
    const decisions = (healed.h.decisions ?? []) as Array<{
      at: number;
      decision: { kind: string; reason: string };
      classification?: { verdict: string; subtype: string };
    }>;
    summary.healer.verdict = decisions.find((d) => d.classification)?.classification?.verdict;
    for (const d of decisions.filter((x) => x.decision.kind !== 'ignore').slice(-8)) {
      summary.healer.timeline.push(
        `${new Date(d.at).toISOString().slice(11, 19)} ${d.decision.kind} (${d.decision.reason})${d.classification ? ` — ${d.classification.verdict}: ${d.classification.subtype}` : ''}`,
      );
    }
    for (const t of summary.healer.timeline) say('healer', `  ${t}`);
    say(
      'healer',
      `rollback ${healed.final}: all subtasks RUNNING again on v1 (verified through presigned REST)`,
    );
    if (healed.final === 'healed') {
      // One story after the heal: every view an operator opens says the same.
      const views = await checkViews(state, DEMO_APP, cli);
      summary.healer.views = views;
      for (const v of views.views) say('story', `${v.view.padEnd(17)} ${v.state} — ${v.line}`);
      for (const e of views.errors ?? []) say('story', `! ${e}`);
      say(
        'story',
        `${views.agree ? 'every view agrees' : 'the views DISAGREE'}; the journal has the incident ${views.incident}; the loop's first failure ${views.firstFailureReachable ? 'stays reachable (flink exceptions)' : 'is NOT reachable'}`,
      );
    }
  } finally {
    if (healerExitCode === undefined) healer.kill('SIGTERM');
    await healerExited;
    process.off('SIGINT', stopHealer);
    process.off('SIGTERM', stopHealer);
    rmSync(join(dir, 'healer.pid'), { force: true });
  }
  return summary;
}

/** The last lines of a file (for failure hints). */
export function tail(file: string, n = 15): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-n).join('\n') : '';
}
