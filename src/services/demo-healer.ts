/**
 * The demo's healer act (demo-scenario.ts): a healthy application on the real Flink cluster behind
 * the emulated MSF API, `streamctl healer run` in act mode, then a bad deploy. The healer must
 * detect the loop, classify it as user code, roll back and verify; afterwards every view an
 * operator opens must tell the same story (demo-views.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  StartApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { StreamctlError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import { BIN, cli, DEMO_APP, msfClient, type Narrate, tail, waitFor } from './demo-cli.js';
import { type DemoState, JOB_PROPERTY_GROUP } from './demo-state.js';
import { checkViews, type ViewsCheck } from './demo-views.js';

/** What the healer act showed. */
export interface HealerSummary {
  detected: boolean;
  verdict?: string;
  action?: string;
  outcome?: string;
  timeline: string[];
  /** After the heal: what each view says (they must all say `healed`). */
  views?: ViewsCheck;
}

/** What the demo reads of `healer history --json`. */
interface HistoryJson {
  actions?: Array<{ action?: { type?: string }; type?: string; outcomes?: Array<{ status: string }> }>;
  decisions?: unknown[];
}

/** A journaled decision, as `healer history --json` prints it. */
interface HistoryDecision {
  at: number;
  decision: { kind: string; reason: string };
  classification?: { verdict: string; subtype: string };
}

/** 3. Flink: a healthy application, the healer, a bad deploy, the heal and the views after it. */
export async function healBadDeploy(
  state: DemoState,
  say: Narrate,
  dir: string,
  timeoutMs: number,
): Promise<HealerSummary> {
  await startHealthyApp(state, say);
  const healer = startHealer(state, dir);
  say('healer', `streamctl healer run started (mode act, logs in ${healer.log})`);
  try {
    await deployBadVersion(state, say);
    const healed = await waitForHeal(state, healer, timeoutMs);
    const summary: HealerSummary = {
      detected: true,
      action: 'rollback',
      outcome: healed.final,
      timeline: timelineOf(healed.decisions),
    };
    const verdict = healed.decisions.find((d) => d.classification)?.classification?.verdict;
    if (verdict !== undefined) summary.verdict = verdict;
    for (const t of summary.timeline) say('healer', `  ${t}`);
    say(
      'healer',
      `rollback ${healed.final}: all subtasks RUNNING again on v1 (verified through presigned REST)`,
    );
    // One story after the heal: every view an operator opens says the same.
    if (healed.final === 'healed') summary.views = await tellViews(state, say);
    return summary;
  } finally {
    await healer.stop();
    rmSync(join(dir, 'healer.pid'), { force: true });
  }
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

/** The healer daemon the demo runs: its log, its exit code once it exited, and how to stop it. */
interface HealerProcess {
  log: string;
  exitCode(): number | null | undefined;
  stop(): Promise<void>;
}

/** Starts `streamctl healer run`; a SIGINT or SIGTERM of the demo stops it too. */
function startHealer(state: DemoState, dir: string): HealerProcess {
  const log = join(dir, 'healer.log');
  const out = openSync(log, 'w');
  const healer: ChildProcess = spawn(process.execPath, [BIN, 'healer', 'run', '--config', state.configFile], {
    stdio: ['ignore', out, out],
    env: process.env,
  });
  // `demo down` stops it too if this process dies before the demo stops it.
  if (healer.pid) writeFileSync(join(dir, 'healer.pid'), String(healer.pid));
  const stopHealer = () => healer.kill('SIGTERM');
  process.once('SIGINT', stopHealer);
  process.once('SIGTERM', stopHealer);
  const exited = new Promise<number | null>((r) => healer.once('exit', (code) => r(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => {
    exitCode = c;
  });
  return {
    log,
    exitCode: () => exitCode,
    stop: async () => {
      if (exitCode === undefined) healer.kill('SIGTERM');
      await exited;
      process.off('SIGINT', stopHealer);
      process.off('SIGTERM', stopHealer);
    },
  };
}

/** Deploys v2, whose Enrich.map throws: a real fail-and-restart loop. */
async function deployBadVersion(state: DemoState, say: Narrate): Promise<void> {
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
}

/** Waits for the rollback's final outcome in `healer history`; a healer that exits first fails the demo. */
async function waitForHeal(
  state: DemoState,
  healer: HealerProcess,
  timeoutMs: number,
): Promise<{ final: string; decisions: HistoryDecision[] }> {
  return waitFor(
    'the healer to roll back and verify',
    async () => {
      const exited = healer.exitCode();
      if (exited !== undefined) {
        throw new StreamctlError('DEMO_HEALER_EXITED', `demo: the healer exited (${exited}) before healing`, {
          exitCode: Sysexit.SOFTWARE,
          hint: tail(healer.log),
        });
      }
      const h = await cli<HistoryJson>(state, ['healer', 'history', DEMO_APP]);
      const actions = h.out?.actions ?? [];
      const rollback = actions.find((a) => (a.action?.type ?? a.type) === 'rollback');
      const final = rollback?.outcomes?.map((o) => o.status).find((s) => s === 'healed' || s === 'failed');
      return final ? { final, decisions: (h.out?.decisions ?? []) as HistoryDecision[] } : undefined;
    },
    timeoutMs,
  );
}

/** The last decisions that were not `ignore`, one line each. */
function timelineOf(decisions: HistoryDecision[]): string[] {
  return decisions
    .filter((x) => x.decision.kind !== 'ignore')
    .slice(-8)
    .map(
      (d) =>
        `${new Date(d.at).toISOString().slice(11, 19)} ${d.decision.kind} (${d.decision.reason})${d.classification ? ` — ${d.classification.verdict}: ${d.classification.subtype}` : ''}`,
    );
}

/** Runs every view after the heal and says whether they agree. */
async function tellViews(state: DemoState, say: Narrate): Promise<ViewsCheck> {
  const views = await checkViews(state, DEMO_APP, cli);
  for (const v of views.views) say('story', `${v.view.padEnd(17)} ${v.state} — ${v.line}`);
  for (const e of views.errors ?? []) say('story', `! ${e}`);
  say(
    'story',
    `${views.agree ? 'every view agrees' : 'the views DISAGREE'}; the journal has the incident ${views.incident}; the loop's first failure ${views.firstFailureReachable ? 'stays reachable (flink exceptions)' : 'is NOT reachable'}`,
  );
  return views;
}
