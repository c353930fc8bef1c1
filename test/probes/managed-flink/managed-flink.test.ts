import {
  CreateApplicationPresignedUrlCommand,
  CreateApplicationSnapshotCommand,
  DescribeApplicationCommand,
  DescribeApplicationOperationCommand,
  KinesisAnalyticsV2Client,
  ListApplicationOperationsCommand,
  ListApplicationSnapshotsCommand,
  ListApplicationsCommand,
  ListApplicationVersionsCommand,
  ListTagsForResourceCommand,
  RollbackApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  TagResourceCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamctlError } from '../../../src/core/errors.js';
import { clearRegisteredSecrets, redact, redactString } from '../../../src/core/redact.js';
import {
  ApplicationBusyError,
  ConcurrentModificationError,
  DashboardUnavailableError,
} from '../../../src/probes/managed-flink/errors.js';
import { createManagedFlinkProbe } from '../../../src/probes/managed-flink/index.js';
import { kpusFor, logTargetFromStreamArn, splitPresignedUrl } from '../../../src/probes/managed-flink/map.js';
import type { StartOptions } from '../../../src/probes/managed-flink/port.js';
import { awsException, strictMock } from '../aws-mock.js';

const kav = mockClient(KinesisAnalyticsV2Client);
const client = new KinesisAnalyticsV2Client({ region: 'eu-west-1' });
const probe = createManagedFlinkProbe(client, { region: 'eu-west-1' });
const APP = 'orders-enricher';
const ARN = `arn:aws:kinesisanalytics:eu-west-1:123456789012:application/${APP}`;

async function caught(p: Promise<unknown>): Promise<StreamctlError> {
  try {
    await p;
  } catch (e) {
    return e as StreamctlError;
  }
  throw new Error('expected a rejection');
}

function detail(over: Record<string, unknown> = {}) {
  return {
    ApplicationARN: ARN,
    ApplicationName: APP,
    RuntimeEnvironment: 'FLINK-1_20',
    ApplicationStatus: 'RUNNING',
    ApplicationVersionId: 7,
    ApplicationVersionUpdatedFrom: 6,
    ApplicationVersionRolledBackFrom: 5,
    ApplicationVersionRolledBackTo: 4,
    CreateTimestamp: new Date('2026-11-01T00:00:00Z'),
    LastUpdateTimestamp: new Date('2026-11-21T23:00:00Z'),
    ConditionalToken: 'ct-1',
    CloudWatchLoggingOptionDescriptions: [
      {
        CloudWatchLoggingOptionId: '1.1',
        LogStreamARN: `arn:aws:logs:eu-west-1:123456789012:log-group:/aws/kinesis-analytics/${APP}:log-stream:kinesis-analytics-log-stream`,
      },
    ],
    ApplicationConfigurationDescription: {
      FlinkApplicationConfigurationDescription: {
        CheckpointConfigurationDescription: {
          ConfigurationType: 'CUSTOM',
          CheckpointingEnabled: true,
          CheckpointInterval: 60000,
        },
        MonitoringConfigurationDescription: { MetricsLevel: 'APPLICATION', LogLevel: 'INFO' },
        ParallelismConfigurationDescription: {
          Parallelism: 4,
          ParallelismPerKPU: 1,
          CurrentParallelism: 6,
          AutoScalingEnabled: true,
        },
      },
      EnvironmentPropertyDescriptions: {
        PropertyGroupDescriptions: [{ PropertyGroupId: 'app', PropertyMap: { 'sink.topic': 'out' } }],
      },
      ApplicationSnapshotConfigurationDescription: { SnapshotsEnabled: true },
      ApplicationSystemRollbackConfigurationDescription: { RollbackEnabled: false },
    },
    ...over,
  };
}

beforeEach(() => {
  strictMock(kav);
  clearRegisteredSecrets();
});
afterEach(() => kav.reset());

describe('listApplications', () => {
  it('follows NextToken to the last page and keeps unknown statuses as strings', async () => {
    const row = (n: string, s: string) =>
      ({
        ApplicationName: n,
        ApplicationARN: `arn:${n}`,
        ApplicationStatus: s,
        ApplicationVersionId: 1,
        RuntimeEnvironment: 'FLINK-2_2',
      }) as never;
    kav
      .on(ListApplicationsCommand, { Limit: 50 }, true)
      .resolves({ ApplicationSummaries: [row('a', 'RUNNING')], NextToken: 't1' });
    kav
      .on(ListApplicationsCommand, { Limit: 50, NextToken: 't1' }, true)
      .resolves({ ApplicationSummaries: [row('b', 'HIBERNATING')] });

    const apps = await probe.listApplications();

    expect(apps.map((a) => [a.applicationName, a.status])).toEqual([
      ['a', 'RUNNING'],
      ['b', 'HIBERNATING'],
    ]);
    expect(kav).toHaveReceivedCommandTimes(ListApplicationsCommand, 2);
    expect(kav).toHaveReceivedNthCommandWith(ListApplicationsCommand, 2, { Limit: 50, NextToken: 't1' });
  });

  it('stops with a clear error when the service repeats a NextToken', async () => {
    kav
      .on(ListApplicationsCommand, { Limit: 50 }, true)
      .resolves({ ApplicationSummaries: [], NextToken: 'same' });
    kav
      .on(ListApplicationsCommand, { Limit: 50, NextToken: 'same' }, true)
      .resolves({ ApplicationSummaries: [], NextToken: 'same' });
    const err = await caught(probe.listApplications());
    expect(err.code).toBe('BAD_PAGINATION');
  });
});

describe('describeApplication', () => {
  it('maps status, versions, snapshot/rollback flags, checkpointing, parallelism, log group and tags', async () => {
    kav
      .on(DescribeApplicationCommand, { ApplicationName: APP }, true)
      .resolves({ ApplicationDetail: detail() as never });
    kav
      .on(ListTagsForResourceCommand, { ResourceARN: ARN }, true)
      .resolves({ Tags: [{ Key: 'streamctl:healing', Value: 'off' }] });

    const info = await probe.describeApplication(APP);

    expect(info).toEqual({
      name: APP,
      kind: 'managed',
      applicationName: APP,
      applicationArn: ARN,
      region: 'eu-west-1',
      status: 'RUNNING',
      runtime: 'FLINK-1_20',
      versionId: 7,
      versionUpdatedFrom: 6,
      versionRolledBackFrom: 5,
      versionRolledBackTo: 4,
      snapshotsEnabled: true,
      systemRollbackEnabled: false,
      checkpointingEnabled: true,
      checkpointIntervalMs: 60000,
      metricsLevel: 'APPLICATION',
      parallelism: 6,
      parallelismPerKpu: 1,
      autoScalingEnabled: true,
      kpus: 6,
      createTime: '2026-11-01T00:00:00.000Z',
      lastUpdateTime: '2026-11-21T23:00:00.000Z',
      tags: { 'streamctl:healing': 'off' },
      logTargets: [
        {
          logGroupName: `/aws/kinesis-analytics/${APP}`,
          logStreamName: 'kinesis-analytics-log-stream',
          region: 'eu-west-1',
          accountId: '123456789012',
        },
      ],
      environmentProperties: { app: { 'sink.topic': 'out' } },
      conditionalToken: 'ct-1',
    });
  });

  it('skips ListTagsForResource when tags are not wanted (one call per tick matters)', async () => {
    kav
      .on(DescribeApplicationCommand, { ApplicationName: APP }, true)
      .resolves({ ApplicationDetail: detail() as never });
    const info = await probe.describeApplication(APP, { tags: false });
    expect(info.tags).toBeUndefined();
    expect(kav).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 0);
  });

  it('keeps an unknown status as a string', async () => {
    kav
      .on(DescribeApplicationCommand, { ApplicationName: APP }, true)
      .resolves({ ApplicationDetail: detail({ ApplicationStatus: 'PAUSED_BY_AWS' }) as never });
    expect((await probe.describeApplication(APP, { tags: false })).status).toBe('PAUSED_BY_AWS');
  });

  it.each([
    ['ApplicationStatus', 'ApplicationDetail.ApplicationStatus: expected a string (got undefined)'],
    ['ApplicationVersionId', 'ApplicationDetail.ApplicationVersionId: expected a number (got undefined)'],
    ['ApplicationARN', 'ApplicationDetail.ApplicationARN: expected a string (got undefined)'],
  ])('rejects a response without %s, naming the API and the field', async (field, text) => {
    const d = detail();
    delete (d as Record<string, unknown>)[field];
    kav
      .on(DescribeApplicationCommand, { ApplicationName: APP }, true)
      .resolves({ ApplicationDetail: d as never });
    const err = await caught(probe.describeApplication(APP, { tags: false }));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.exitCode).toBe(65);
    expect(err.message).toBe(`kinesisanalyticsv2 DescribeApplication response: ${text}`);
  });

  it.each([
    ['AccessDeniedException', 'NOPERM', 77],
    ['ThrottlingException', 'TEMPFAIL', 75],
    ['ResourceNotFoundException', 'NOT_FOUND', 78],
    ['ServiceUnavailableException', 'UNAVAILABLE', 69],
  ])('maps %s to %s (exit %i)', async (name, code, exit) => {
    kav
      .on(DescribeApplicationCommand, { ApplicationName: APP }, true)
      .rejects(awsException(name, `${name} happened`));
    const err = await caught(probe.describeApplication(APP));
    expect([err.code, err.exitCode]).toEqual([code, exit]);
    expect(err.message).toContain(APP);
  });
});

describe('operations', () => {
  const op = (id: string, start: string, status = 'SUCCESSFUL') =>
    ({
      OperationId: id,
      Operation: 'UpdateApplication',
      OperationStatus: status,
      StartTime: new Date(start),
    }) as never;

  it('lists every page, newest first, passing the filters', async () => {
    const base = {
      ApplicationName: APP,
      Limit: 50,
      Operation: 'UpdateApplication',
      OperationStatus: 'FAILED' as const,
    };
    kav
      .on(ListApplicationOperationsCommand, base, true)
      .resolves({ ApplicationOperationInfoList: [op('o1', '2026-11-21T10:00:00Z')], NextToken: 'n1' });
    kav.on(ListApplicationOperationsCommand, { ...base, NextToken: 'n1' }, true).resolves({
      ApplicationOperationInfoList: [op('o2', '2026-11-21T12:00:00Z', 'NEW_STATUS')],
    });

    const ops = await probe.listOperations(APP, { operation: 'UpdateApplication', status: 'FAILED' });

    expect(ops.map((o) => [o.operationId, o.status])).toEqual([
      ['o2', 'NEW_STATUS'],
      ['o1', 'SUCCESSFUL'],
    ]);
  });

  it('describes an operation with its versions, error string and rollback operation', async () => {
    kav.on(DescribeApplicationOperationCommand, { ApplicationName: APP, OperationId: 'o9' }, true).resolves({
      ApplicationOperationInfoDetails: {
        Operation: 'UpdateApplication',
        OperationStatus: 'FAILED',
        StartTime: new Date('2026-11-21T10:00:00Z'),
        EndTime: new Date('2026-11-21T10:05:00Z'),
        ApplicationVersionChangeDetails: { ApplicationVersionUpdatedFrom: 6, ApplicationVersionUpdatedTo: 7 },
        OperationFailureDetails: {
          RollbackOperationId: 'o10',
          ErrorInfo: { ErrorString: 'java.lang.NullPointerException at com.acme.Enrich.map' },
        },
      },
    });

    expect(await probe.describeOperation(APP, 'o9')).toEqual({
      operationId: 'o9',
      operation: 'UpdateApplication',
      status: 'FAILED',
      startTime: '2026-11-21T10:00:00.000Z',
      endTime: '2026-11-21T10:05:00.000Z',
      versionFrom: 6,
      versionTo: 7,
      errorString: 'java.lang.NullPointerException at com.acme.Enrich.map',
      rollbackOperationId: 'o10',
    });
  });

  it('lists snapshots (all pages, newest first) and versions (newest first)', async () => {
    const snap = (n: string, t: string) =>
      ({
        SnapshotName: n,
        SnapshotStatus: 'READY',
        ApplicationVersionId: 3,
        SnapshotCreationTimestamp: new Date(t),
      }) as never;
    kav
      .on(ListApplicationSnapshotsCommand, { ApplicationName: APP, Limit: 50 }, true)
      .resolves({ SnapshotSummaries: [snap('old', '2026-11-01T00:00:00Z')], NextToken: 's' });
    kav
      .on(ListApplicationSnapshotsCommand, { ApplicationName: APP, Limit: 50, NextToken: 's' }, true)
      .resolves({ SnapshotSummaries: [snap('new', '2026-11-20T00:00:00Z')] });
    kav.on(ListApplicationVersionsCommand, { ApplicationName: APP, Limit: 50 }, true).resolves({
      ApplicationVersionSummaries: [
        { ApplicationVersionId: 6, ApplicationStatus: 'RUNNING' },
        { ApplicationVersionId: 7, ApplicationStatus: 'RUNNING' },
      ],
    });

    expect((await probe.listSnapshots(APP)).map((s) => s.name)).toEqual(['new', 'old']);
    expect((await probe.listVersions(APP)).map((v) => v.versionId)).toEqual([7, 6]);
  });
});

describe('createPresignedUrl', () => {
  const URL_ =
    'https://abc.kinesisanalytics.eu-west-1.amazonaws.com/flinkdashboard/proxy/#/overview?authToken=SECRET-TOKEN-123';

  it('sends FLINK_DASHBOARD_URL with the session length and registers the URL and its token as secrets', async () => {
    kav
      .on(
        CreateApplicationPresignedUrlCommand,
        { ApplicationName: APP, UrlType: 'FLINK_DASHBOARD_URL', SessionExpirationDurationInSeconds: 1800 },
        true,
      )
      .resolves({
        AuthorizedUrl: URL_,
      });

    const r = await probe.createPresignedUrl(APP, { sessionSeconds: 1800 });

    expect(r.url).toBe(URL_);
    expect(redactString(`opening ${URL_}`)).not.toContain('SECRET-TOKEN-123');
    expect(redactString('token is SECRET-TOKEN-123')).not.toContain('SECRET-TOKEN-123');
    expect(JSON.stringify(redact(r))).not.toContain('SECRET-TOKEN-123');
  });

  it.each([
    [1799, false],
    [1800, true],
    [43200, true],
    [43201, false],
  ])('sessionSeconds %i accepted: %s', async (seconds, ok) => {
    kav
      .on(
        CreateApplicationPresignedUrlCommand,
        { ApplicationName: APP, UrlType: 'FLINK_DASHBOARD_URL', SessionExpirationDurationInSeconds: seconds },
        true,
      )
      .resolves({
        AuthorizedUrl: URL_,
      });
    const p = probe.createPresignedUrl(APP, { sessionSeconds: seconds });
    if (ok) await expect(p).resolves.toEqual({ url: URL_ });
    else {
      expect((await caught(p)).code).toBe('USAGE');
      expect(kav).toHaveReceivedCommandTimes(CreateApplicationPresignedUrlCommand, 0);
    }
  });

  it('maps ResourceInUseException to DashboardUnavailableError carrying the status named by the service', async () => {
    kav
      .on(CreateApplicationPresignedUrlCommand)
      .rejects(awsException('ResourceInUseException', `Application ${APP} is in UPDATING state`));
    const err = await caught(probe.createPresignedUrl(APP, { sessionSeconds: 3600 }));
    expect(err).toBeInstanceOf(DashboardUnavailableError);
    expect(err.code).toBe('DASHBOARD_UNAVAILABLE');
    expect((err as DashboardUnavailableError).status).toBe('UPDATING');
    expect(err.transient).toBe(true);
    expect(kav).toHaveReceivedCommandTimes(DescribeApplicationCommand, 0);
  });

  it('asks DescribeApplication for the status when the message does not name it', async () => {
    kav
      .on(CreateApplicationPresignedUrlCommand)
      .rejects(awsException('ResourceInUseException', 'Application is busy'));
    kav
      .on(DescribeApplicationCommand, { ApplicationName: APP }, true)
      .resolves({ ApplicationDetail: detail({ ApplicationStatus: 'AUTOSCALING' }) as never });
    const err = (await caught(
      probe.createPresignedUrl(APP, { sessionSeconds: 3600 }),
    )) as DashboardUnavailableError;
    expect(err.status).toBe('AUTOSCALING');
    expect(err.message).toContain('while AUTOSCALING');
  });

  it('never puts the URL in an error, even when the response is malformed', async () => {
    kav
      .on(CreateApplicationPresignedUrlCommand)
      .resolves({ AuthorizedUrl: 'ftp://x/flinkdashboard?authToken=LEAKY-TOKEN-999' });
    const err = await caught(probe.createPresignedUrl(APP, { sessionSeconds: 3600 }));
    expect(err.code).toBe('BAD_INPUT');
    expect(`${err.message} ${err.hint ?? ''}`).not.toContain('LEAKY-TOKEN-999');
    expect(err.message).toContain('CreateApplicationPresignedUrl response: AuthorizedUrl');
  });
});

describe('lifecycle actions', () => {
  it('rolls back with the current version id and returns the operation', async () => {
    kav
      .on(RollbackApplicationCommand, { ApplicationName: APP, CurrentApplicationVersionId: 7 }, true)
      .resolves({
        ApplicationDetail: detail({ ApplicationStatus: 'ROLLING_BACK', ApplicationVersionId: 8 }) as never,
        OperationId: 'rb-1',
      });
    expect(await probe.rollback(APP, { currentVersionId: 7 })).toEqual({ operationId: 'rb-1', versionId: 8 });
  });

  it.each([
    ['ConcurrentModificationException', ConcurrentModificationError, 'CONCURRENT_MODIFICATION'],
    ['ResourceInUseException', ApplicationBusyError, 'RESOURCE_IN_USE'],
    ['InvalidRequestException', StreamctlError, 'REFUSED'],
  ])('maps a rollback %s to a typed error', async (name, cls, code) => {
    kav.on(RollbackApplicationCommand).rejects(awsException(name, 'Application is in STARTING state'));
    const err = await caught(probe.rollback(APP, { currentVersionId: 7 }));
    expect(err).toBeInstanceOf(cls);
    expect(err.code).toBe(code);
  });

  it('carries the status of a busy application', async () => {
    kav
      .on(StopApplicationCommand)
      .rejects(
        awsException('ResourceInUseException', 'Application orders-enricher is in ROLLING_BACK state.'),
      );
    const err = (await caught(probe.stop(APP, { force: false }))) as ApplicationBusyError;
    expect(err.status).toBe('ROLLING_BACK');
  });

  it.each([true, false])('stops with Force=%s', async (force) => {
    kav
      .on(StopApplicationCommand, { ApplicationName: APP, Force: force }, true)
      .resolves({ OperationId: 'st-1' });
    expect(await probe.stop(APP, { force })).toEqual({ operationId: 'st-1' });
  });

  it.each<[string, StartOptions, object]>([
    [
      'skip restore',
      { restore: 'SKIP_RESTORE_FROM_SNAPSHOT' },
      {
        ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
        FlinkRunConfiguration: { AllowNonRestoredState: false },
      },
    ],
    [
      'latest snapshot',
      { restore: 'RESTORE_FROM_LATEST_SNAPSHOT', allowNonRestoredState: true },
      {
        ApplicationRestoreConfiguration: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
        FlinkRunConfiguration: { AllowNonRestoredState: true },
      },
    ],
    [
      'a named snapshot',
      { restore: { snapshotName: 'before-v7' } },
      {
        ApplicationRestoreConfiguration: {
          ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
          SnapshotName: 'before-v7',
        },
        FlinkRunConfiguration: { AllowNonRestoredState: false },
      },
    ],
  ])(
    'starts restoring from %s (AllowNonRestoredState always explicit)',
    async (_n, opts, runConfiguration) => {
      kav
        .on(StartApplicationCommand, { ApplicationName: APP, RunConfiguration: runConfiguration }, true)
        .resolves({ OperationId: 'sa-1' });
      expect(await probe.start(APP, opts)).toEqual({ operationId: 'sa-1' });
      expect(kav).toHaveReceivedCommandWith(StartApplicationCommand, {
        ApplicationName: APP,
        RunConfiguration: runConfiguration,
      });
    },
  );

  it('updates environment properties against the current version', async () => {
    const input = {
      ApplicationName: APP,
      CurrentApplicationVersionId: 7,
      ApplicationConfigurationUpdate: {
        EnvironmentPropertyUpdates: {
          PropertyGroups: [{ PropertyGroupId: 'app', PropertyMap: { 'fail.on': 'null' } }],
        },
      },
    };
    kav.on(UpdateApplicationCommand, input, true).resolves({
      ApplicationDetail: detail({ ApplicationVersionId: 8, ApplicationStatus: 'UPDATING' }) as never,
      OperationId: 'up-1',
    });
    expect(
      await probe.updateEnvironment(APP, {
        currentVersionId: 7,
        propertyGroups: { app: { 'fail.on': 'null' } },
      }),
    ).toEqual({ operationId: 'up-1', versionId: 8 });
  });

  it('creates a snapshot and tags the application', async () => {
    kav
      .on(CreateApplicationSnapshotCommand, { ApplicationName: APP, SnapshotName: 'streamctl-1' }, true)
      .resolves({});
    kav
      .on(TagResourceCommand, { ResourceARN: ARN, Tags: [{ Key: 'streamctl:healing', Value: 'off' }] }, true)
      .resolves({});
    await probe.createSnapshot(APP, 'streamctl-1');
    await probe.tagResource(ARN, { 'streamctl:healing': 'off' });
    expect(kav).toHaveReceivedCommandTimes(CreateApplicationSnapshotCommand, 1);
    expect(kav).toHaveReceivedCommandTimes(TagResourceCommand, 1);
  });

  it('fails an unexpected call shape instead of passing silently', async () => {
    kav
      .on(StopApplicationCommand, { ApplicationName: APP, Force: true }, true)
      .resolves({ OperationId: 'x' });
    const err = await caught(probe.stop(APP, { force: false }));
    expect(err.message).toContain('UNEXPECTED AWS CALL');
  });
});

describe('pure mapping helpers', () => {
  it.each([
    [
      'https://h.amazonaws.com/flinkdashboard/proxy/#/overview?authToken=T1',
      'https://h.amazonaws.com/flinkdashboard',
      'T1',
    ],
    [
      'https://h.amazonaws.com/flinkdashboard?authToken=T2&x=1',
      'https://h.amazonaws.com/flinkdashboard',
      'T2',
    ],
    ['http://127.0.0.1:4566/flinkdashboard/?authToken=T3', 'http://127.0.0.1:4566/flinkdashboard', 'T3'],
  ])('splits %s into the REST base and token', (url, base, token) => {
    expect(splitPresignedUrl(url)).toEqual({ base, authToken: token });
  });

  it.each([
    [
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/kinesis-analytics/A:log-stream:s',
      {
        logGroupName: '/aws/kinesis-analytics/A',
        logStreamName: 's',
        region: 'us-east-1',
        accountId: '111122223333',
      },
    ],
    [
      'arn:aws:logs:us-east-1:111122223333:log-group:grp',
      { logGroupName: 'grp', region: 'us-east-1', accountId: '111122223333' },
    ],
    ['not-an-arn', undefined],
  ])('maps the log stream ARN %s', (arn, target) => {
    expect(logTargetFromStreamArn(arn)).toEqual(target);
  });

  it.each([
    [4, 1, 4],
    [5, 2, 3],
    [undefined, 1, undefined],
    [4, 0, undefined],
  ])('KPUs for parallelism %s at %s per KPU = %s', (p, per, kpus) => {
    expect(kpusFor(p, per)).toBe(kpus);
  });
});
