import {
  ConcurrentModificationException,
  CreateApplicationCommand,
  CreateApplicationPresignedUrlCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  DescribeApplicationOperationCommand,
  InvalidApplicationConfigurationException,
  InvalidRequestException,
  ListApplicationOperationsCommand,
  ListApplicationSnapshotsCommand,
  ListApplicationsCommand,
  ListApplicationVersionsCommand,
  ListTagsForResourceCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  RollbackApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  TagResourceCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInput, deployMode, startFakeEmulator } from './helpers.js';

// The MSF state machine and API shapes, over the in-memory FakeFlinkBackend (the same engine runs
// against the real Flink cluster in real-flink.test.ts).
describe('emulated kinesisanalyticsv2 over a fake Flink backend', () => {
  let ctx: Awaited<ReturnType<typeof startFakeEmulator>>;
  beforeEach(async () => {
    ctx = await startFakeEmulator();
  });
  afterEach(async () => {
    await ctx.emu.stop();
  });

  const describeApp = async (name: string) =>
    (await ctx.clients.msf.send(new DescribeApplicationCommand({ ApplicationName: name })))
      .ApplicationDetail!;
  const started = async (name: string, opts: Parameters<typeof createInput>[1] = {}) => {
    await ctx.clients.msf.send(new CreateApplicationCommand(createInput(name, opts)));
    await ctx.clients.msf.send(new StartApplicationCommand({ ApplicationName: name }));
    await ctx.emu.control.settled();
  };
  const operations = async (name: string) =>
    (await ctx.clients.msf.send(new ListApplicationOperationsCommand({ ApplicationName: name })))
      .ApplicationOperationInfoList ?? [];

  it('creates an application in READY at version 1 with the configuration described back', async () => {
    const { ApplicationDetail: d } = await ctx.clients.msf.send(
      new CreateApplicationCommand(createInput('orders', { snapshots: true, rollback: true })),
    );
    expect(d).toMatchObject({
      ApplicationName: 'orders',
      ApplicationStatus: 'READY',
      ApplicationVersionId: 1,
      RuntimeEnvironment: 'FLINK-1_20',
    });
    expect(d!.CreateTimestamp).toBeInstanceOf(Date);
    const cfg = d!.ApplicationConfigurationDescription!;
    expect(cfg.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled).toBe(true);
    expect(cfg.ApplicationSystemRollbackConfigurationDescription?.RollbackEnabled).toBe(true);
    expect(cfg.FlinkApplicationConfigurationDescription?.CheckpointConfigurationDescription).toMatchObject({
      ConfigurationType: 'DEFAULT',
      CheckpointingEnabled: true,
      CheckpointInterval: 60_000,
    });
    expect(cfg.FlinkApplicationConfigurationDescription?.ParallelismConfigurationDescription).toMatchObject({
      Parallelism: 1,
      AutoScalingEnabled: true,
    });
    expect(cfg.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions?.[0]?.PropertyMap).toEqual({
      mode: 'healthy',
      version: 'v1',
    });
  });

  it.each([
    ['a duplicate name', () => createInput('dup'), ResourceInUseException],
    [
      'an unknown job mode',
      () => createInput('bad', { mode: 'explode' }),
      InvalidApplicationConfigurationException,
    ],
  ])('rejects %s', async (_what, input, error) => {
    await ctx.clients.msf.send(new CreateApplicationCommand(createInput('dup')));
    await expect(ctx.clients.msf.send(new CreateApplicationCommand(input()))).rejects.toBeInstanceOf(error);
  });

  it('pages ListApplications with Limit and NextToken in name order', async () => {
    for (const n of ['c', 'a', 'e', 'b', 'd'])
      await ctx.clients.msf.send(new CreateApplicationCommand(createInput(n)));
    const first = await ctx.clients.msf.send(new ListApplicationsCommand({ Limit: 2 }));
    const second = await ctx.clients.msf.send(
      new ListApplicationsCommand({ Limit: 2, NextToken: first.NextToken }),
    );
    const third = await ctx.clients.msf.send(
      new ListApplicationsCommand({ Limit: 2, NextToken: second.NextToken }),
    );
    expect(
      [first, second, third].flatMap((p) => p.ApplicationSummaries!.map((s) => s.ApplicationName)),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(third.NextToken).toBeUndefined();
  });

  it('answers ResourceNotFoundException for an unknown application', async () => {
    await expect(
      ctx.clients.msf.send(new DescribeApplicationCommand({ ApplicationName: 'nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('starts an application: STARTING, then RUNNING once its job runs, recorded as a successful operation', async () => {
    await ctx.clients.msf.send(new CreateApplicationCommand(createInput('orders')));
    const release = ctx.fake.hold();
    const { OperationId } = await ctx.clients.msf.send(
      new StartApplicationCommand({ ApplicationName: 'orders' }),
    );
    expect((await describeApp('orders')).ApplicationStatus).toBe('STARTING');
    release();
    await ctx.emu.control.settled();
    expect((await describeApp('orders')).ApplicationStatus).toBe('RUNNING');
    expect(ctx.emu.control.currentJob('orders')).toBeDefined();
    const op = await ctx.clients.msf.send(
      new DescribeApplicationOperationCommand({ ApplicationName: 'orders', OperationId }),
    );
    expect(op.ApplicationOperationInfoDetails).toMatchObject({
      Operation: 'StartApplication',
      OperationStatus: 'SUCCESSFUL',
    });
  });

  it('refuses to start an application that is not READY', async () => {
    await started('orders');
    await expect(
      ctx.clients.msf.send(new StartApplicationCommand({ ApplicationName: 'orders' })),
    ).rejects.toBeInstanceOf(ResourceInUseException);
  });

  it('force-stops without a snapshot: FORCE_STOPPING, then READY, and the job is canceled', async () => {
    await started('orders');
    const jobId = ctx.emu.control.currentJob('orders')!.jobId;
    const release = ctx.fake.hold();
    await ctx.clients.msf.send(new StopApplicationCommand({ ApplicationName: 'orders', Force: true }));
    expect((await describeApp('orders')).ApplicationStatus).toBe('FORCE_STOPPING');
    release();
    await ctx.emu.control.settled();
    expect((await describeApp('orders')).ApplicationStatus).toBe('READY');
    expect(await ctx.fake.jobState(jobId)).toBe('CANCELED');
    const snaps = await ctx.clients.msf.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'orders' }),
    );
    expect(snaps.SnapshotSummaries).toEqual([]);
  });

  it('stops gracefully with a snapshot when snapshots are enabled', async () => {
    await started('orders', { snapshots: true });
    const release = ctx.fake.hold();
    await ctx.clients.msf.send(new StopApplicationCommand({ ApplicationName: 'orders', Force: false }));
    expect((await describeApp('orders')).ApplicationStatus).toBe('STOPPING');
    release();
    await ctx.emu.control.settled();
    expect((await describeApp('orders')).ApplicationStatus).toBe('READY');
    const snaps = await ctx.clients.msf.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'orders' }),
    );
    expect(snaps.SnapshotSummaries).toHaveLength(1);
    expect(snaps.SnapshotSummaries![0]).toMatchObject({ SnapshotStatus: 'READY', ApplicationVersionId: 1 });
  });

  it.each([
    ['READY', false],
    ['RUNNING', true],
    ['UPDATING', true],
    ['AUTOSCALING', true],
    ['MAINTENANCE', false],
    ['ROLLING_BACK', false],
  ] as const)('StopApplication from %s is allowed: %s', async (status, allowed) => {
    await ctx.clients.msf.send(new CreateApplicationCommand(createInput('orders')));
    if (status !== 'READY') {
      await ctx.clients.msf.send(new StartApplicationCommand({ ApplicationName: 'orders' }));
      await ctx.emu.control.settled();
    }
    if (status === 'UPDATING' || status === 'AUTOSCALING' || status === 'MAINTENANCE')
      ctx.emu.control.forceStatus('orders', status, 60_000);
    let release = () => {};
    if (status === 'ROLLING_BACK') {
      await ctx.clients.msf.send(
        new UpdateApplicationCommand({
          ApplicationName: 'orders',
          CurrentApplicationVersionId: 1,
          ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
        }),
      );
      await ctx.emu.control.settled();
      release = ctx.fake.hold(); // keep the rollback in progress
      await ctx.clients.msf.send(
        new RollbackApplicationCommand({ ApplicationName: 'orders', CurrentApplicationVersionId: 2 }),
      );
    }
    const stop = ctx.clients.msf.send(new StopApplicationCommand({ ApplicationName: 'orders', Force: true }));
    if (allowed) await expect(stop).resolves.toHaveProperty('OperationId');
    else await expect(stop).rejects.toBeInstanceOf(ResourceInUseException);
    release();
  });

  it('updates a RUNNING application: new version, UPDATING then RUNNING on the new job, snapshot taken', async () => {
    await started('orders');
    const before = ctx.emu.control.currentJob('orders')!.jobId;
    const release = ctx.fake.hold();
    const { ApplicationDetail: d, OperationId } = await ctx.clients.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: 'orders',
        CurrentApplicationVersionId: 1,
        ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
      }),
    );
    expect(d).toMatchObject({
      ApplicationVersionId: 2,
      ApplicationVersionUpdatedFrom: 1,
      ApplicationStatus: 'UPDATING',
    });
    release();
    await ctx.emu.control.settled();
    expect((await describeApp('orders')).ApplicationStatus).toBe('RUNNING');
    expect(ctx.emu.control.currentJob('orders')).toMatchObject({ versionId: 2 });
    expect(ctx.emu.control.currentJob('orders')!.jobId).not.toBe(before);
    const op = await ctx.clients.msf.send(
      new DescribeApplicationOperationCommand({ ApplicationName: 'orders', OperationId }),
    );
    expect(op.ApplicationOperationInfoDetails).toMatchObject({
      Operation: 'UpdateApplication',
      OperationStatus: 'SUCCESSFUL',
      ApplicationVersionChangeDetails: { ApplicationVersionUpdatedFrom: 1, ApplicationVersionUpdatedTo: 2 },
    });
    const versions = await ctx.clients.msf.send(
      new ListApplicationVersionsCommand({ ApplicationName: 'orders' }),
    );
    expect(versions.ApplicationVersionSummaries!.map((v) => v.ApplicationVersionId)).toEqual([2, 1]);
    const snaps = await ctx.clients.msf.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'orders' }),
    );
    expect(snaps.SnapshotSummaries![0]).toMatchObject({ ApplicationVersionId: 1, SnapshotStatus: 'READY' });
  });

  it('fails an update of a looping job with snapshots enabled: the snapshot cannot be taken, the old version keeps running', async () => {
    await started('orders', { mode: 'user-error', snapshots: true });
    const { OperationId } = await ctx.clients.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: 'orders',
        CurrentApplicationVersionId: 1,
        ApplicationConfigurationUpdate: deployMode('healthy', 'v2'),
      }),
    );
    await ctx.emu.control.settled();
    const op = await ctx.clients.msf.send(
      new DescribeApplicationOperationCommand({ ApplicationName: 'orders', OperationId }),
    );
    expect(op.ApplicationOperationInfoDetails?.OperationStatus).toBe('FAILED');
    expect(op.ApplicationOperationInfoDetails?.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(
      /^Snapshot creation failed/,
    );
    expect(await describeApp('orders')).toMatchObject({
      ApplicationStatus: 'RUNNING',
      ApplicationVersionId: 1,
    });
  });

  it('rejects an update with a stale CurrentApplicationVersionId', async () => {
    await started('orders');
    await expect(
      ctx.clients.msf.send(
        new UpdateApplicationCommand({
          ApplicationName: 'orders',
          CurrentApplicationVersionId: 7,
          ApplicationConfigurationUpdate: deployMode('healthy', 'v2'),
        }),
      ),
    ).rejects.toBeInstanceOf(ConcurrentModificationException);
  });

  describe('RollbackApplication', () => {
    const deployBad = async () => {
      await started('orders', { snapshots: true });
      await ctx.clients.msf.send(
        new UpdateApplicationCommand({
          ApplicationName: 'orders',
          CurrentApplicationVersionId: 1,
          ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
        }),
      );
      await ctx.emu.control.settled();
    };

    it('restores the previous version from the latest snapshot and records the rollback', async () => {
      await deployBad();
      const release = ctx.fake.hold();
      const { ApplicationDetail: d, OperationId } = await ctx.clients.msf.send(
        new RollbackApplicationCommand({ ApplicationName: 'orders', CurrentApplicationVersionId: 2 }),
      );
      expect(d).toMatchObject({
        ApplicationStatus: 'ROLLING_BACK',
        ApplicationVersionId: 3,
        ApplicationVersionRolledBackFrom: 2,
        ApplicationVersionRolledBackTo: 1,
      });
      release();
      await ctx.emu.control.settled();
      const after = await describeApp('orders');
      expect(after.ApplicationStatus).toBe('RUNNING');
      expect(
        after.ApplicationConfigurationDescription?.EnvironmentPropertyDescriptions
          ?.PropertyGroupDescriptions?.[0]?.PropertyMap,
      ).toEqual({ mode: 'healthy', version: 'v1' });
      const job = ctx.fake.jobs.get(ctx.emu.control.currentJob('orders')!.jobId)!;
      expect(job.spec).toMatchObject({ mode: 'healthy', versionLabel: 'v1' });
      expect(job.spec.savepointPath).toMatch(/savepoint/);
      const op = await ctx.clients.msf.send(
        new DescribeApplicationOperationCommand({ ApplicationName: 'orders', OperationId }),
      );
      expect(op.ApplicationOperationInfoDetails).toMatchObject({
        Operation: 'RollbackApplication',
        OperationStatus: 'SUCCESSFUL',
      });
    });

    it('answers ConcurrentModificationException on a stale version id', async () => {
      await deployBad();
      await expect(
        ctx.clients.msf.send(
          new RollbackApplicationCommand({ ApplicationName: 'orders', CurrentApplicationVersionId: 1 }),
        ),
      ).rejects.toBeInstanceOf(ConcurrentModificationException);
    });

    it('is rejected when the application has no snapshot', async () => {
      await started('orders', { snapshots: false });
      await ctx.clients.msf.send(
        new UpdateApplicationCommand({
          ApplicationName: 'orders',
          CurrentApplicationVersionId: 1,
          ApplicationConfigurationUpdate: deployMode('user-error', 'v2'),
        }),
      );
      await ctx.emu.control.settled();
      await expect(
        ctx.clients.msf.send(
          new RollbackApplicationCommand({ ApplicationName: 'orders', CurrentApplicationVersionId: 2 }),
        ),
      ).rejects.toBeInstanceOf(ResourceInUseException);
    });

    it('is rejected when there is no previous version', async () => {
      await started('orders');
      await expect(
        ctx.clients.msf.send(
          new RollbackApplicationCommand({ ApplicationName: 'orders', CurrentApplicationVersionId: 1 }),
        ),
      ).rejects.toBeInstanceOf(InvalidRequestException);
    });

    it.each([
      ['RUNNING', true],
      ['UPDATING', true],
      ['AUTOSCALING', true],
      ['MAINTENANCE', false],
    ] as const)('from %s is allowed: %s', async (status, allowed) => {
      await deployBad();
      if (status !== 'RUNNING') ctx.emu.control.forceStatus('orders', status, 60_000);
      const rb = ctx.clients.msf.send(
        new RollbackApplicationCommand({ ApplicationName: 'orders', CurrentApplicationVersionId: 2 }),
      );
      if (allowed) await expect(rb).resolves.toHaveProperty('OperationId');
      else await expect(rb).rejects.toBeInstanceOf(ResourceInUseException);
    });

    it('fails with the queued ErrorString when the control API says so, leaving the version unchanged', async () => {
      await deployBad();
      ctx.emu.control.failNextOperation('orders', 'Rollback failed: internal error', 'RollbackApplication');
      const { OperationId } = await ctx.clients.msf.send(
        new RollbackApplicationCommand({ ApplicationName: 'orders', CurrentApplicationVersionId: 2 }),
      );
      await ctx.emu.control.settled();
      const op = await ctx.clients.msf.send(
        new DescribeApplicationOperationCommand({ ApplicationName: 'orders', OperationId }),
      );
      expect(op.ApplicationOperationInfoDetails).toMatchObject({
        OperationStatus: 'FAILED',
        OperationFailureDetails: { ErrorInfo: { ErrorString: 'Rollback failed: internal error' } },
      });
      expect(await describeApp('orders')).toMatchObject({
        ApplicationStatus: 'RUNNING',
        ApplicationVersionId: 2,
      });
    });
  });

  it('fails an update whose new job cannot start and, with system rollback, rolls back to the previous version', async () => {
    await started('orders', { snapshots: true, rollback: true });
    const { OperationId } = await ctx.clients.msf.send(
      new UpdateApplicationCommand({
        ApplicationName: 'orders',
        CurrentApplicationVersionId: 1,
        ApplicationConfigurationUpdate: deployMode('fail-in-main', 'v2'),
      }),
    );
    await ctx.emu.control.settled();
    const op = await ctx.clients.msf.send(
      new DescribeApplicationOperationCommand({ ApplicationName: 'orders', OperationId }),
    );
    const details = op.ApplicationOperationInfoDetails!;
    expect(details.OperationStatus).toBe('FAILED');
    expect(details.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(/main method caused an error/);
    expect(details.OperationFailureDetails?.RollbackOperationId).toBeDefined();
    const rb = await ctx.clients.msf.send(
      new DescribeApplicationOperationCommand({
        ApplicationName: 'orders',
        OperationId: details.OperationFailureDetails!.RollbackOperationId,
      }),
    );
    expect(rb.ApplicationOperationInfoDetails).toMatchObject({
      Operation: 'RollbackApplication',
      OperationStatus: 'SUCCESSFUL',
    });
    expect(await describeApp('orders')).toMatchObject({
      ApplicationStatus: 'RUNNING',
      ApplicationVersionId: 3,
      ApplicationVersionRolledBackTo: 1,
    });
  });

  it('lists operations newest first and filters them', async () => {
    await started('orders');
    ctx.emu.control.advanceClock(1000);
    ctx.emu.control.addOperation('orders', {
      operation: 'Maintenance',
      status: 'SUCCESSFUL',
      durationMs: 20_000,
    });
    const ops = await operations('orders');
    expect(ops.map((o) => o.Operation)).toEqual(['Maintenance', 'StartApplication']);
    const filtered = await ctx.clients.msf.send(
      new ListApplicationOperationsCommand({ ApplicationName: 'orders', Operation: 'Maintenance' }),
    );
    expect(filtered.ApplicationOperationInfoList).toHaveLength(1);
  });

  it('runs a maintenance: MAINTENANCE for its duration, a Maintenance operation, the job restarted from a snapshot', async () => {
    await started('orders', { snapshots: true });
    const before = ctx.emu.control.currentJob('orders')!.jobId;
    const operationId = ctx.emu.control.maintenance('orders', 30_000);
    expect((await describeApp('orders')).ApplicationStatus).toBe('MAINTENANCE');
    await ctx.emu.control.settled();
    const op = await ctx.clients.msf.send(
      new DescribeApplicationOperationCommand({ ApplicationName: 'orders', OperationId: operationId }),
    );
    expect(op.ApplicationOperationInfoDetails).toMatchObject({
      Operation: 'Maintenance',
      OperationStatus: 'SUCCESSFUL',
    });
    const after = ctx.emu.control.currentJob('orders')!;
    expect(after.jobId).not.toBe(before);
    expect(ctx.fake.jobs.get(after.jobId)!.spec.savepointPath).toMatch(/savepoint/);
    ctx.emu.control.advanceClock(30_000);
    expect(await describeApp('orders')).toMatchObject({
      ApplicationStatus: 'RUNNING',
      ApplicationVersionId: 1,
    });
  });

  it('reports a forced status only for its duration (emulator time)', async () => {
    await started('orders');
    ctx.emu.control.forceStatus('orders', 'AUTOSCALING', 60_000);
    expect((await describeApp('orders')).ApplicationStatus).toBe('AUTOSCALING');
    ctx.emu.control.advanceClock(59_999);
    expect((await describeApp('orders')).ApplicationStatus).toBe('AUTOSCALING');
    ctx.emu.control.advanceClock(1);
    expect((await describeApp('orders')).ApplicationStatus).toBe('RUNNING');
  });

  it('takes a snapshot on request only while RUNNING', async () => {
    await ctx.clients.msf.send(new CreateApplicationCommand(createInput('orders')));
    await expect(
      ctx.clients.msf.send(
        new CreateApplicationSnapshotCommand({ ApplicationName: 'orders', SnapshotName: 's1' }),
      ),
    ).rejects.toBeInstanceOf(ResourceInUseException);
    await ctx.clients.msf.send(new StartApplicationCommand({ ApplicationName: 'orders' }));
    await ctx.emu.control.settled();
    await ctx.clients.msf.send(
      new CreateApplicationSnapshotCommand({ ApplicationName: 'orders', SnapshotName: 's1' }),
    );
    await ctx.emu.control.settled();
    const snaps = await ctx.clients.msf.send(
      new ListApplicationSnapshotsCommand({ ApplicationName: 'orders' }),
    );
    expect(snaps.SnapshotSummaries).toEqual([
      expect.objectContaining({ SnapshotName: 's1', SnapshotStatus: 'READY' }),
    ]);
  });

  it('tags applications by ARN, and the control API replaces tags', async () => {
    const { ApplicationDetail: d } = await ctx.clients.msf.send(
      new CreateApplicationCommand(createInput('orders')),
    );
    await ctx.clients.msf.send(
      new TagResourceCommand({ ResourceARN: d!.ApplicationARN, Tags: [{ Key: 'team', Value: 'payments' }] }),
    );
    expect(
      (await ctx.clients.msf.send(new ListTagsForResourceCommand({ ResourceARN: d!.ApplicationARN }))).Tags,
    ).toEqual([{ Key: 'team', Value: 'payments' }]);
    ctx.emu.control.setTags('orders', { 'streamctl:healing': 'disabled' });
    expect(
      (await ctx.clients.msf.send(new ListTagsForResourceCommand({ ResourceARN: d!.ApplicationARN }))).Tags,
    ).toEqual([{ Key: 'streamctl:healing', Value: 'disabled' }]);
  });

  it.each([
    ['READY', false],
    ['RUNNING', true],
    ['UPDATING', false],
    ['AUTOSCALING', false],
  ] as const)('issues a dashboard URL only when RUNNING (%s → %s)', async (status, allowed) => {
    await ctx.clients.msf.send(new CreateApplicationCommand(createInput('orders')));
    if (status !== 'READY') {
      await ctx.clients.msf.send(new StartApplicationCommand({ ApplicationName: 'orders' }));
      await ctx.emu.control.settled();
    }
    if (status === 'UPDATING' || status === 'AUTOSCALING')
      ctx.emu.control.forceStatus('orders', status, 60_000);
    const presign = ctx.clients.msf.send(
      new CreateApplicationPresignedUrlCommand({ ApplicationName: 'orders', UrlType: 'FLINK_DASHBOARD_URL' }),
    );
    if (allowed)
      await expect(presign).resolves.toMatchObject({
        AuthorizedUrl: expect.stringMatching(/\/flinkdashboard\?authToken=[\w-]{20,}$/),
      });
    else await expect(presign).rejects.toBeInstanceOf(ResourceInUseException);
  });

  it('counts calls per operation', async () => {
    ctx.emu.control.resetCallCounts();
    await ctx.clients.msf.send(new ListApplicationsCommand({}));
    await ctx.clients.msf.send(new ListApplicationsCommand({}));
    expect(ctx.emu.control.callCounts()).toEqual({ 'kinesisanalyticsv2.ListApplications': 2 });
  });
});
