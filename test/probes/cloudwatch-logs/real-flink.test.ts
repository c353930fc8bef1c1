import { CreateApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsClients, createAwsClients } from '../../../src/probes/aws-clients.js';
import {
  createCloudWatchLogsProbe,
  fetchFirstFailure,
  fetchTransitions,
} from '../../../src/probes/cloudwatch-logs/index.js';
import type { CloudWatchLogsPort, FirstFailure } from '../../../src/probes/cloudwatch-logs/port.js';
import { createManagedFlinkProbe } from '../../../src/probes/managed-flink/index.js';
import type { ManagedFlinkPort } from '../../../src/probes/managed-flink/port.js';
import type { FlinkPeerInfo } from '../../peers/kinds/flink.js';
import { type AwsEmulator, startAwsEmulator } from '../../peers/sandbox/aws-emulator/index.js';
import { usePeer } from '../../peers/use.js';

/**
 * The two named Logs Insights queries over REAL Flink 1.20 log lines: an MSF application (the
 * emulator over the shared real Flink cluster) runs a job whose user code throws a
 * NullPointerException, so Flink restarts it in a loop. The first-failure query must find attempt
 * #0 and the NPE with its frames; the transition query must see the tasks fail and come back.
 */
const APP = 'probe-logs-real-flink';
let emu: AwsEmulator;
let clients: AwsClients;
let msf: ManagedFlinkPort;
let logs: CloudWatchLogsPort;
let startedAt: number;

/** Polls (real time: the Flink job runs in real time) until `probe` returns a value. */
async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

beforeAll(async () => {
  const flink = await usePeer<FlinkPeerInfo>('flink', {});
  emu = await startAwsEmulator({ flink, sampleIntervalMs: 0, pollMs: 250 });
  clients = createAwsClients(
    {
      region: 'us-east-1',
      endpoints: { kinesisanalyticsv2: emu.endpoint, logs: emu.endpoint },
      maxAttempts: 1,
    },
    { credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'not-a-secret' } },
  );
  msf = createManagedFlinkProbe(clients.kinesisAnalytics());
  logs = createCloudWatchLogsProbe(clients.logs(), { pollIntervalMs: 100, timeoutMs: 30_000 });
  await clients.kinesisAnalytics().send(
    new CreateApplicationCommand({
      ApplicationName: APP,
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: 'arn:aws:iam::123456789012:role/msf-test',
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: {
            S3ContentLocation: { BucketARN: 'arn:aws:s3:::jars', FileKey: 'orders-enricher.jar' },
          },
        },
        EnvironmentProperties: {
          PropertyGroups: [
            { PropertyGroupId: 'emulator.job', PropertyMap: { mode: 'user-error', version: 'v1' } },
          ],
        },
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: false },
      },
    }),
  );
  startedAt = emu.control.now();
  await msf.start(APP, { restore: 'SKIP_RESTORE_FROM_SNAPSHOT' });
  await emu.control.settled();
});

afterAll(async () => {
  if (msf) await msf.stop(APP, { force: true }).catch(() => undefined);
  await emu?.control.settled();
  clients?.destroy();
  await emu?.stop();
});

describe('Logs Insights queries over a real Flink restart loop', () => {
  it('finds the log group from DescribeApplication', async () => {
    const d = await msf.describeApplication(APP, { tags: false });
    expect(d.logTargets.map((t) => t.logGroupName)).toEqual([`/aws/kinesis-analytics/${APP}`]);
  });

  it('finds the first failure of the loop: attempt #0 and the user NullPointerException with its frame', async () => {
    const window = () => ({
      logGroupNames: [`/aws/kinesis-analytics/${APP}`],
      start: startedAt - 60_000,
      end: emu.control.now() + 60_000,
    });
    // Wait for the loop: at least two failed attempts in the log.
    await eventually(async () => {
      const t = await fetchTransitions(logs, window());
      return t.filter((x) => x.to === 'FAILED').some((x) => (x.attempt ?? 0) >= 1) ? t : undefined;
    }, 'a second failed attempt');
    const first = (await fetchFirstFailure(logs, window())) as FirstFailure;
    expect(first).toBeDefined();
    expect(first.attempt).toBe(0);
    expect(first.exceptionText).toMatch(/java\.lang\.NullPointerException/);
    expect(first.exceptionText).toMatch(/at com\.acme\.streamctl\.testjob\.Enrich\.map\(Enrich\.java:\d+\)/);
  });

  it("shows why the query drops AWS's trailing `\\.`: real FAILED lines continue after the status", async () => {
    const q = (re: string) =>
      `fields @timestamp, message | parse message /${re}/ | filter ispresent(toStatus) | sort @timestamp asc | limit 1000`;
    const range = {
      logGroupNames: [`/aws/kinesis-analytics/${APP}`],
      start: startedAt - 60_000,
      end: emu.control.now() + 60_000,
    };
    const withDot = await logs.runInsightsQuery({
      ...range,
      queryString: q('^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)\\.'),
    });
    const without = await logs.runInsightsQuery({
      ...range,
      queryString: q('^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)'),
    });
    expect(withDot.records.some((r) => r.toStatus === 'RUNNING')).toBe(true);
    expect(withDot.records.filter((r) => r.toStatus === 'FAILED')).toEqual([]);
    expect(without.records.some((r) => r.toStatus === 'FAILED')).toBe(true);
  });

  it('returns typed transitions: tasks reach RUNNING, fail, and come back on a later attempt', async () => {
    const t = await fetchTransitions(logs, {
      logGroupNames: [`/aws/kinesis-analytics/${APP}`],
      start: startedAt - 60_000,
      end: emu.control.now() + 60_000,
    });
    expect(t.length).toBeGreaterThan(3);
    expect(t.every((x) => /^[A-Z]+$/.test(x.from) && /^[A-Z]+$/.test(x.to))).toBe(true);
    expect(t.map((x) => x.timestamp)).toEqual([...t.map((x) => x.timestamp)].sort((a, b) => a - b));
    const failed = t.find((x) => x.to === 'FAILED');
    expect(failed).toMatchObject({ attempt: 0 });
    expect(failed?.subtaskIndex).toBeGreaterThanOrEqual(0);
    expect(failed?.parallelism).toBeGreaterThanOrEqual(1);
    expect(t.some((x) => x.to === 'RUNNING' && (x.attempt ?? 0) >= 1)).toBe(true);
  });
});
