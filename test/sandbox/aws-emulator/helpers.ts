import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { KafkaClient } from '@aws-sdk/client-kafka';
import { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { VirtualClock } from '../../../src/core/clock.js';
import {
  type AwsEmulatorOptions,
  FakeFlinkBackend,
  startAwsEmulator,
} from '../../peers/sandbox/aws-emulator/index.js';

/** Real SDK v3 clients pointed at the emulator with fake credentials. */
export function sdkClients(endpoint: string) {
  const cfg = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  };
  return {
    msf: new KinesisAnalyticsV2Client(cfg),
    cw: new CloudWatchClient(cfg),
    logs: new CloudWatchLogsClient(cfg),
    kafka: new KafkaClient(cfg),
  };
}

/** 2026-11-22T00:00:00Z: a fixed emulator start for tests with a virtual clock. */
export const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);

/** An emulator over the in-memory FakeFlinkBackend and a virtual clock (no real Flink, no waiting). */
export async function startFakeEmulator(
  opts: Partial<AwsEmulatorOptions> & { restartEveryMs?: number } = {},
) {
  const clock = new VirtualClock(T0);
  let now = () => clock.now();
  const fake = new FakeFlinkBackend(() => now(), opts.restartEveryMs ?? 10_000);
  const emu = await startAwsEmulator({ flink: fake, clock, sampleIntervalMs: 0, pollMs: 1, ...opts });
  now = () => emu.control.now();
  return { emu, fake, clients: sdkClients(emu.endpoint) };
}

/** The minimal CreateApplication input for an emulated app running the test job in `mode`. */
export function createInput(
  name: string,
  opts: { mode?: string; snapshots?: boolean; runtime?: string; rollback?: boolean; version?: string } = {},
) {
  return {
    ApplicationName: name,
    RuntimeEnvironment: (opts.runtime ?? 'FLINK-1_20') as 'FLINK-1_20',
    ServiceExecutionRole: 'arn:aws:iam::123456789012:role/msf-test',
    ApplicationConfiguration: {
      ApplicationCodeConfiguration: {
        CodeContentType: 'ZIPFILE' as const,
        CodeContent: {
          S3ContentLocation: { BucketARN: 'arn:aws:s3:::jars', FileKey: 'orders-enricher.jar' },
        },
      },
      EnvironmentProperties: {
        PropertyGroups: [
          {
            PropertyGroupId: 'emulator.job',
            PropertyMap: { mode: opts.mode ?? 'healthy', version: opts.version ?? 'v1' },
          },
        ],
      },
      ApplicationSnapshotConfiguration: { SnapshotsEnabled: opts.snapshots ?? true },
      ApplicationSystemRollbackConfiguration: { RollbackEnabled: opts.rollback ?? false },
    },
  };
}

/** The property-group update that deploys the test job in another mode (a "new version"). */
export function deployMode(mode: string, version: string) {
  return {
    EnvironmentPropertyUpdates: {
      PropertyGroups: [{ PropertyGroupId: 'emulator.job', PropertyMap: { mode, version } }],
    },
  };
}

/** Runs a Logs Insights query to completion the way a real client polls. */
export async function runQuery(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  queryString: string,
  startTime: number,
  endTime: number,
) {
  const { queryId } = await logs.send(
    new StartQueryCommand({ logGroupName, queryString, startTime, endTime }),
  );
  const statuses: string[] = [];
  for (;;) {
    const r: GetQueryResultsCommandOutput = await logs.send(new GetQueryResultsCommand({ queryId }));
    statuses.push(String(r.status));
    if (r.status === 'Complete' || r.status === 'Failed' || r.status === 'Cancelled') {
      const rows = (r.results ?? []).map((row) => Object.fromEntries(row.map((f) => [f.field, f.value])));
      return { status: r.status, statuses, rows, statistics: r.statistics };
    }
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Polls `probe` until it returns a value (real peers move in real time; no timed assertions). */
export async function eventually<T>(
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
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
