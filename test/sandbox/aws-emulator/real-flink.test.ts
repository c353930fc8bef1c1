import { GetMetricDataCommand, ValidationException } from '@aws-sdk/client-cloudwatch';
import {
  CreateApplicationCommand,
  CreateApplicationPresignedUrlCommand,
  DescribeApplicationCommand,
  ListApplicationOperationsCommand,
  ListApplicationsCommand,
  ResourceInUseException,
  RollbackApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlinkPeerInfo } from '../../peers/kinds/flink.js';
import { type AwsEmulator, startAwsEmulator } from '../../peers/sandbox/aws-emulator/index.js';
import { usePeer } from '../../peers/use.js';
import { createInput, deployMode, eventually, runQuery, sdkClients } from './helpers.js';

/**
 * The foundation's "done when": an SDK KinesisAnalyticsV2Client pointed at the emulator lists,
 * describes, presigns and force-stops an application backed by the real Flink cluster — plus a
 * bad deploy that really loops, its restarts in GetMetricData, a rollback, and Logs Insights over
 * the real Flink log. One application walks through the steps in order.
 */
describe('AWS emulator backed by the real Flink cluster', () => {
  const APP = 'orders-e2e';
  let flink: FlinkPeerInfo;
  let emu: AwsEmulator;
  let c: ReturnType<typeof sdkClients>;
  let createdAt: number;

  const describeApp = async () =>
    (await c.msf.send(new DescribeApplicationCommand({ ApplicationName: APP }))).ApplicationDetail!;
  const flinkJob = async (jobId: string) =>
    (await (await fetch(`${flink.restUrl}/jobs/${jobId}`)).json()) as { state: string; name: string };
  const presign = async () =>
    (
      await c.msf.send(
        new CreateApplicationPresignedUrlCommand({ ApplicationName: APP, UrlType: 'FLINK_DASHBOARD_URL' }),
      )
    ).AuthorizedUrl!;
  const restarts = async (metric: string, stat: 'Maximum' | 'Minimum') => {
    const now = emu.control.now();
    const r = await c.cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(createdAt - 60_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [
          {
            Id: 'r',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/KinesisAnalytics',
                MetricName: metric,
                Dimensions: [{ Name: 'Application', Value: APP }],
              },
              Period: 60,
              Stat: stat,
            },
          },
        ],
      }),
    );
    return r.MetricDataResults![0]!;
  };

  beforeAll(async () => {
    flink = await usePeer<FlinkPeerInfo>('flink', {});
    emu = await startAwsEmulator({ flink, sampleIntervalMs: 0, pollMs: 250 });
    c = sdkClients(emu.endpoint);
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('creates, lists and describes an application (READY, no job yet)', async () => {
    await c.msf.send(new CreateApplicationCommand(createInput(APP, { snapshots: true })));
    createdAt = emu.control.now();
    const list = await c.msf.send(new ListApplicationsCommand({}));
    expect(list.ApplicationSummaries).toEqual([
      expect.objectContaining({ ApplicationName: APP, ApplicationStatus: 'READY', ApplicationVersionId: 1 }),
    ]);
    expect(await describeApp()).toMatchObject({
      ApplicationStatus: 'READY',
      RuntimeEnvironment: 'FLINK-1_20',
    });
  });

  it('refuses a dashboard URL while the application is not RUNNING', async () => {
    await expect(presign()).rejects.toBeInstanceOf(ResourceInUseException);
  });

  it('starts: RUNNING once the real Flink job runs', async () => {
    await c.msf.send(
      new StartApplicationCommand({
        ApplicationName: APP,
        RunConfiguration: {
          ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
        },
      }),
    );
    await emu.control.settled();
    expect((await describeApp()).ApplicationStatus).toBe('RUNNING');
    const job = emu.control.currentJob(APP)!;
    expect(await flinkJob(job.jobId)).toMatchObject({ state: 'RUNNING', name: 'orders-enricher v1' });
  });

  it('presigns a dashboard URL that proxies the real Flink REST API, showing only this job', async () => {
    const url = new URL(await presign());
    const base = `${url.origin}${url.pathname}`;
    const token = url.searchParams.get('authToken');
    const jobs = (await (await fetch(`${base}/jobs?authToken=${token}`)).json()) as {
      jobs: { id: string; status: string }[];
    };
    const jobId = emu.control.currentJob(APP)!.jobId;
    expect(jobs.jobs).toEqual([{ id: jobId, status: 'RUNNING' }]);
    const detail = (await (await fetch(`${base}/jobs/${jobId}?authToken=${token}`)).json()) as {
      state: string;
      vertices: unknown[];
    };
    expect(detail.state).toBe('RUNNING');
    expect(detail.vertices.length).toBeGreaterThan(0);
    expect((await fetch(`${base}/jobs?authToken=not-a-token`)).status).toBe(403);
  });

  it('answers 403 when a presigned URL is first used more than 3 minutes after issue (emulator clock)', async () => {
    const url = new URL(await presign());
    emu.control.advanceClock(3 * 60_000 + 1);
    const res = await fetch(
      `${url.origin}${url.pathname}/jobs?authToken=${url.searchParams.get('authToken')}`,
    );
    expect(res.status).toBe(403);
  });

  it('deploys a bad version: UpdateApplication succeeds, the real job loops and fullRestarts grows in GetMetricData', async () => {
    const good = emu.control.currentJob(APP)!.jobId;
    await c.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: APP,
        CurrentApplicationVersionId: 1,
        ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
      }),
    );
    await emu.control.settled();
    expect(await describeApp()).toMatchObject({
      ApplicationStatus: 'RUNNING',
      ApplicationVersionId: 2,
      ApplicationVersionUpdatedFrom: 1,
    });
    expect((await flinkJob(good)).state).toBe('FINISHED'); // stopped with a savepoint (the update snapshot)
    const bad = emu.control.currentJob(APP)!.jobId;
    expect((await flinkJob(bad)).name).toBe('orders-enricher v2');
    const max = await eventually(async () => {
      await emu.control.sampleMetrics();
      const r = await restarts('fullRestarts', 'Maximum');
      const m = Math.max(0, ...(r.Values ?? []));
      return m >= 2 ? m : undefined;
    }, 'fullRestarts to reach 2');
    expect(max).toBeGreaterThanOrEqual(2);
    const ops = await c.msf.send(new ListApplicationOperationsCommand({ ApplicationName: APP }));
    expect(ops.ApplicationOperationInfoList?.[0]).toMatchObject({
      Operation: 'UpdateApplication',
      OperationStatus: 'SUCCESSFUL',
    });
  });

  it('rolls back to the previous version from the latest snapshot: healthy again, restart counter reset', async () => {
    await c.msf.send(
      new RollbackApplicationCommand({ ApplicationName: APP, CurrentApplicationVersionId: 2 }),
    );
    await emu.control.settled();
    expect(await describeApp()).toMatchObject({
      ApplicationStatus: 'RUNNING',
      ApplicationVersionId: 3,
      ApplicationVersionRolledBackFrom: 2,
      ApplicationVersionRolledBackTo: 1,
    });
    const job = emu.control.currentJob(APP)!;
    expect(await flinkJob(job.jobId)).toMatchObject({ state: 'RUNNING', name: 'orders-enricher v1' });
    await emu.control.sampleMetrics();
    const newest = await restarts('numRestarts', 'Minimum');
    expect(newest.Values?.[0]).toBe(0); // TimestampDescending: the newest period holds the reset counter
  });

  it('answers the Logs Insights transition query with real task transitions from the Flink log', async () => {
    const query =
      'fields @timestamp, message | parse message /^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)\\./ | filter ispresent(toStatus) | sort @timestamp asc';
    const r = await eventually(async () => {
      const res = await runQuery(
        c.logs,
        `/aws/kinesis-analytics/${APP}`,
        query,
        Math.floor((createdAt - 60_000) / 1000),
        Math.ceil((emu.control.now() + 60_000) / 1000),
      );
      return res.rows.some((x) => x.toStatus === 'RUNNING') ? res : undefined;
    }, 'RUNNING transitions in the logs');
    expect(r.statuses).toContain('Running');
    expect(r.rows.every((x) => /^[A-Z]+$/.test(x.fromStatus!) && /^[A-Z]+$/.test(x.toStatus!))).toBe(true);
    expect(r.rows.map((x) => x.task).join('\n')).toMatch(/Enrich|orders-source/);
    // Only this application's jobs (v1, the looping v2, the rolled-back v3): one execution graph each.
    const graphs = new Set(r.rows.map((x) => /\(([0-9a-f]{32})_/.exec(x.task!)?.[1]));
    expect(graphs.size).toBeLessThanOrEqual(3);
    expect(graphs.has(undefined)).toBe(false);
  });

  it('force-stops: the real job is canceled without a snapshot and the application is READY', async () => {
    const job = emu.control.currentJob(APP)!;
    const snapshotsBefore = (await describeApp()).ApplicationVersionId;
    await c.msf.send(new StopApplicationCommand({ ApplicationName: APP, Force: true }));
    await emu.control.settled();
    expect(await describeApp()).toMatchObject({
      ApplicationStatus: 'READY',
      ApplicationVersionId: snapshotsBefore,
    });
    expect((await flinkJob(job.jobId)).state).toBe('CANCELED');
    expect(emu.control.currentJob(APP)).toBeUndefined();
  });

  it('rejects GetMetricData with more than 500 queries', async () => {
    const q = Array.from({ length: 501 }, (_, i) => ({ Id: `q${i}`, Expression: 'q0' }));
    await expect(
      c.cw.send(
        new GetMetricDataCommand({ StartTime: new Date(0), EndTime: new Date(), MetricDataQueries: q }),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
  });
});
