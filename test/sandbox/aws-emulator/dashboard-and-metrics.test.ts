import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateApplicationCommand,
  CreateApplicationPresignedUrlCommand,
  InvalidArgumentException,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeFlinkBackend } from '../../peers/sandbox/aws-emulator/index.js';
import { createInput, deployMode, startFakeEmulator, T0 } from './helpers.js';

/** A stand-in for Flink's REST API that answers /jobs with two jobs: the dashboard must show only its app's. */
class FakeRestFlink extends FakeFlinkBackend {
  restUrl = '';
}

describe('presigned Flink dashboard (fake Flink REST)', () => {
  let rest: Server;
  let restUrl: string;
  let ctx: Awaited<ReturnType<typeof startFakeEmulator>>;
  const seen: string[] = [];

  beforeAll(async () => {
    rest = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          jobs: [
            { id: '1'.padStart(32, '0'), status: 'RUNNING' },
            { id: 'f'.repeat(32), status: 'RUNNING' },
          ],
        }),
      );
    });
    await new Promise<void>((r) => rest.listen(0, '127.0.0.1', r));
    restUrl = `http://127.0.0.1:${(rest.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => rest.close(() => r()));
  });
  afterEach(async () => {
    await ctx?.emu.stop();
  });

  const runningApp = async () => {
    let now = () => T0;
    const fake = new FakeRestFlink(() => now());
    fake.restUrl = restUrl;
    ctx = await startFakeEmulator({ flink: fake });
    now = () => ctx.emu.control.now();
    await ctx.clients.msf.send(new CreateApplicationCommand(createInput('orders')));
    await ctx.clients.msf.send(new StartApplicationCommand({ ApplicationName: 'orders' }));
    await ctx.emu.control.settled();
  };
  const presign = async (seconds?: number) => {
    const url = new URL(
      (
        await ctx.clients.msf.send(
          new CreateApplicationPresignedUrlCommand({
            ApplicationName: 'orders',
            UrlType: 'FLINK_DASHBOARD_URL',
            SessionExpirationDurationInSeconds: seconds,
          }),
        )
      ).AuthorizedUrl!,
    );
    return { base: `${url.origin}${url.pathname}`, token: url.searchParams.get('authToken')! };
  };

  it.each([
    [3 * 60_000, 200],
    [3 * 60_000 + 1, 403],
  ])('first use %i ms after issue answers %i', async (delay, status) => {
    await runningApp();
    const { base, token } = await presign();
    ctx.emu.control.advanceClock(delay);
    expect((await fetch(`${base}/jobs?authToken=${token}`)).status).toBe(status);
  });

  it('filters /jobs to the application job and strips the token before forwarding', async () => {
    await runningApp();
    const { base, token } = await presign();
    const body = (await (await fetch(`${base}/jobs?authToken=${token}`)).json()) as {
      jobs: { id: string }[];
    };
    expect(body.jobs.map((j) => j.id)).toEqual([ctx.emu.control.currentJob('orders')!.jobId]);
    expect(seen.at(-1)).toBe('/jobs');
  });

  it('keeps a used session for SessionExpirationDurationInSeconds, with the token or the session cookie', async () => {
    await runningApp();
    const { base, token } = await presign(1800);
    const first = await fetch(`${base}/jobs?authToken=${token}`);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    ctx.emu.control.advanceClock(1800 * 1000);
    expect((await fetch(`${base}/jobs`, { headers: { cookie } })).status).toBe(200);
    ctx.emu.control.advanceClock(1);
    expect((await fetch(`${base}/jobs?authToken=${token}`)).status).toBe(403);
  });

  it('answers 503 once the application is no longer RUNNING, and refuses writes', async () => {
    await runningApp();
    const { base, token } = await presign();
    expect(
      (
        await fetch(
          `${base}/jobs/${ctx.emu.control.currentJob('orders')!.jobId}?mode=cancel&authToken=${token}`,
          { method: 'PATCH' },
        )
      ).status,
    ).toBe(405);
    await ctx.clients.msf.send(new StopApplicationCommand({ ApplicationName: 'orders', Force: true }));
    await ctx.emu.control.settled();
    expect((await fetch(`${base}/jobs?authToken=${token}`)).status).toBe(503);
  });

  it.each([1799, 43201])('rejects SessionExpirationDurationInSeconds %i', async (seconds) => {
    await runningApp();
    await expect(presign(seconds)).rejects.toBeInstanceOf(InvalidArgumentException);
  });
});

describe('AWS/KinesisAnalytics series sampled from the job', () => {
  let ctx: Awaited<ReturnType<typeof startFakeEmulator>>;
  afterEach(async () => {
    await ctx.emu.stop();
  });

  const series = async (metric: string, stat = 'Maximum') => {
    const r = await ctx.clients.cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0),
        EndTime: new Date(ctx.emu.control.now() + 60_000),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/KinesisAnalytics',
                MetricName: metric,
                Dimensions: [{ Name: 'Application', Value: 'orders' }],
              },
              Period: 60,
              Stat: stat,
            },
          },
        ],
      }),
    );
    return r.MetricDataResults![0]!.Values!;
  };
  /** Samples every 20 s of emulator time for `minutes`. */
  const sampleFor = async (minutes: number) => {
    for (let i = 0; i < minutes * 3; i++) {
      await ctx.emu.control.sampleMetrics();
      ctx.emu.control.advanceClock(20_000);
    }
  };

  it('publishes fullRestarts and numRestarts per minute (Maximum) that grow in a loop and reset on update', async () => {
    ctx = await startFakeEmulator({ restartEveryMs: 15_000 });
    // Snapshots off: a looping job cannot take the update snapshot (that update would fail).
    await ctx.clients.msf.send(
      new CreateApplicationCommand(createInput('orders', { mode: 'user-error', snapshots: false })),
    );
    await ctx.clients.msf.send(new StartApplicationCommand({ ApplicationName: 'orders' }));
    await ctx.emu.control.settled();
    await sampleFor(3);
    expect(await series('fullRestarts')).toEqual([2, 6, 10]);
    await ctx.clients.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: 'orders',
        ApplicationConfigurationUpdate: deployMode('healthy', 'v2'),
        RunConfigurationUpdate: {
          ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
        },
      }),
    );
    await ctx.emu.control.settled();
    await sampleFor(1);
    expect(await series('numRestarts')).toEqual([2, 6, 10, 0]);
    expect(await series('uptime')).not.toHaveLength(0);
  });

  it('does not publish fullRestarts on FLINK-2_2 (numRestarts only), nor anything while READY', async () => {
    ctx = await startFakeEmulator();
    await ctx.clients.msf.send(new CreateApplicationCommand(createInput('orders', { runtime: 'FLINK-2_2' })));
    await sampleFor(1);
    expect(await series('numRestarts')).toEqual([]);
    await ctx.clients.msf.send(new StartApplicationCommand({ ApplicationName: 'orders' }));
    await ctx.emu.control.settled();
    await sampleFor(1);
    expect(await series('numRestarts')).toEqual([0]);
    expect(await series('fullRestarts')).toEqual([]);
  });
});
