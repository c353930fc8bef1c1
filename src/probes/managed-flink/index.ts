import type * as MsfSdk from '@aws-sdk/client-kinesis-analytics-v2';
import type { KinesisAnalyticsV2Client, RunConfiguration } from '@aws-sdk/client-kinesis-analytics-v2';
import { usageError } from '../../core/errors.js';
import { registerSecret } from '../../core/redact.js';
import { parseResponse } from '../aws-response.js';
import { lazySdk } from '../lazy-sdk.js';
import { allPages } from '../paginate.js';
import { DashboardUnavailableError, msfError, statusInMessage } from './errors.js';
import {
  newestFirst,
  sortVersions,
  splitPresignedUrl,
  tagsToRecord,
  toApplicationDetail,
  toOperation,
  toOperationDetail,
  toSnapshot,
  toSummary,
} from './map.js';
import type { ManagedFlinkPort, OperationStarted, StartOptions } from './port.js';
import {
  DescribeApplicationSchema,
  DescribeOperationSchema,
  ListApplicationsSchema,
  ListOperationsSchema,
  ListSnapshotsSchema,
  ListTagsSchema,
  ListVersionsSchema,
  OperationIdSchema,
  OperationWithDetailSchema,
  PresignedUrlSchema,
} from './schema.js';

// The SDK package loads at the first call, not when a command imports this file (lazy-sdk.ts).
const msf = lazySdk<typeof MsfSdk>('@aws-sdk/client-kinesis-analytics-v2');

/** The list APIs' maximum page size. */
export const PAGE_LIMIT = 50;
/** CreateApplicationPresignedUrl SessionExpirationDurationInSeconds bounds. */
export const SESSION_SECONDS_MIN = 1800;
export const SESSION_SECONDS_MAX = 43_200;

const SVC = 'kinesisanalyticsv2';

/** The kinesisanalyticsv2 adapter for one region (`region` is only reported in the mapped info). */
export function createManagedFlinkProbe(
  client: KinesisAnalyticsV2Client,
  opts: { region?: string } = {},
): ManagedFlinkPort {
  const c: Msf = { client, ...(opts.region === undefined ? {} : { region: opts.region }) };
  return {
    listApplications: () => listApplications(c),
    describeApplication: (name, o = {}) => describeApplication(c, name, o),
    listOperations: (name, filter = {}) => listOperations(c, name, filter),
    describeOperation: (name, operationId) => describeOperation(c, name, operationId),
    listSnapshots: (name) => listSnapshots(c, name),
    listVersions: (name) => listVersions(c, name),
    createPresignedUrl: (name, o) => createPresignedUrl(c, name, o.sessionSeconds),
    rollback: (name, { currentVersionId }) =>
      act('RollbackApplication', name, () =>
        client.send(
          new msf.RollbackApplicationCommand({
            ApplicationName: name,
            CurrentApplicationVersionId: currentVersionId,
          }),
        ),
      ),
    stop: async (name, { force }) => {
      const out = await call('StopApplication', name, () =>
        client.send(new msf.StopApplicationCommand({ ApplicationName: name, Force: force })),
      );
      return started('StopApplication', parseResponse(OperationIdSchema, out, `${SVC} StopApplication`));
    },
    start: (name, o: StartOptions) =>
      act('StartApplication', name, () =>
        client.send(
          new msf.StartApplicationCommand({ ApplicationName: name, RunConfiguration: runConfiguration(o) }),
        ),
      ),
    updateEnvironment: (name, o) => updateEnvironment(c, name, o),
    createSnapshot: async (name, snapshotName) => {
      await call('CreateApplicationSnapshot', name, () =>
        client.send(
          new msf.CreateApplicationSnapshotCommand({ ApplicationName: name, SnapshotName: snapshotName }),
        ),
      );
    },
    tagResource: async (arn, tags) => {
      await call('TagResource', arn, () =>
        client.send(
          new msf.TagResourceCommand({
            ResourceARN: arn,
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
    },
  };
}

/** The client of one region, and the region the mapped details report. */
interface Msf {
  client: KinesisAnalyticsV2Client;
  region?: string;
}

type Port = ManagedFlinkPort;

/** Runs one API call; an SDK error becomes a StreamctlError naming the API and the application. */
async function call<T>(api: string, app: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw msfError(err, api, app);
  }
}

/** Runs a call that starts an operation, and reads what it started. */
async function act(api: string, app: string, fn: () => Promise<unknown>): Promise<OperationStarted> {
  return started(api, await call(api, app, fn));
}

/** The operation id and the new version of an answer that started an operation. */
function started(api: string, out: unknown): OperationStarted {
  const r = parseResponse(OperationWithDetailSchema, out, `${SVC} ${api}`);
  const s: OperationStarted = {};
  if (r.OperationId !== undefined) s.operationId = r.OperationId;
  if (r.ApplicationDetail !== undefined) s.versionId = r.ApplicationDetail.ApplicationVersionId;
  return s;
}

async function describeRaw({ client }: Msf, name: string) {
  const out = await call('DescribeApplication', name, () =>
    client.send(new msf.DescribeApplicationCommand({ ApplicationName: name })),
  );
  return parseResponse(DescribeApplicationSchema, out, `${SVC} DescribeApplication`).ApplicationDetail;
}

async function listApplications({ client }: Msf): ReturnType<Port['listApplications']> {
  const rows = await allPages(`${SVC} ListApplications`, async (NextToken) => {
    const out = await call('ListApplications', '*', () =>
      client.send(
        new msf.ListApplicationsCommand(NextToken ? { Limit: PAGE_LIMIT, NextToken } : { Limit: PAGE_LIMIT }),
      ),
    );
    const r = parseResponse(ListApplicationsSchema, out, `${SVC} ListApplications`);
    return { items: r.ApplicationSummaries, nextToken: r.NextToken };
  });
  return rows.map(toSummary);
}

/** DescribeApplication, and its tags unless `tags: false` (one more call). */
async function describeApplication(
  c: Msf,
  name: string,
  o: NonNullable<Parameters<Port['describeApplication']>[1]>,
): ReturnType<Port['describeApplication']> {
  const raw = await describeRaw(c, name);
  let tags: Record<string, string> | undefined;
  if (o.tags !== false) {
    const out = await call('ListTagsForResource', name, () =>
      c.client.send(new msf.ListTagsForResourceCommand({ ResourceARN: raw.ApplicationARN })),
    );
    tags = tagsToRecord(parseResponse(ListTagsSchema, out, `${SVC} ListTagsForResource`).Tags);
  }
  return toApplicationDetail(raw, c.region, tags);
}

async function listOperations(
  { client }: Msf,
  name: string,
  filter: NonNullable<Parameters<Port['listOperations']>[1]>,
): ReturnType<Port['listOperations']> {
  const base = {
    ApplicationName: name,
    Limit: PAGE_LIMIT,
    ...(filter.operation ? { Operation: filter.operation } : {}),
    ...(filter.status ? { OperationStatus: filter.status as never } : {}),
  };
  const rows = await allPages(`${SVC} ListApplicationOperations`, async (NextToken) => {
    const out = await call('ListApplicationOperations', name, () =>
      client.send(new msf.ListApplicationOperationsCommand(NextToken ? { ...base, NextToken } : base)),
    );
    const r = parseResponse(ListOperationsSchema, out, `${SVC} ListApplicationOperations`);
    return { items: r.ApplicationOperationInfoList, nextToken: r.NextToken };
  });
  return newestFirst(rows.map(toOperation));
}

async function describeOperation(
  { client }: Msf,
  name: string,
  operationId: string,
): ReturnType<Port['describeOperation']> {
  const out = await call('DescribeApplicationOperation', name, () =>
    client.send(
      new msf.DescribeApplicationOperationCommand({ ApplicationName: name, OperationId: operationId }),
    ),
  );
  const r = parseResponse(DescribeOperationSchema, out, `${SVC} DescribeApplicationOperation`);
  return toOperationDetail(operationId, r.ApplicationOperationInfoDetails);
}

async function listSnapshots({ client }: Msf, name: string): ReturnType<Port['listSnapshots']> {
  const rows = await allPages(`${SVC} ListApplicationSnapshots`, async (NextToken) => {
    const input = NextToken
      ? { ApplicationName: name, Limit: PAGE_LIMIT, NextToken }
      : { ApplicationName: name, Limit: PAGE_LIMIT };
    const out = await call('ListApplicationSnapshots', name, () =>
      client.send(new msf.ListApplicationSnapshotsCommand(input)),
    );
    const r = parseResponse(ListSnapshotsSchema, out, `${SVC} ListApplicationSnapshots`);
    return { items: r.SnapshotSummaries, nextToken: r.NextToken };
  });
  return newestFirst(rows.map(toSnapshot));
}

async function listVersions({ client }: Msf, name: string): ReturnType<Port['listVersions']> {
  const rows = await allPages(`${SVC} ListApplicationVersions`, async (NextToken) => {
    const input = NextToken
      ? { ApplicationName: name, Limit: PAGE_LIMIT, NextToken }
      : { ApplicationName: name, Limit: PAGE_LIMIT };
    const out = await call('ListApplicationVersions', name, () =>
      client.send(new msf.ListApplicationVersionsCommand(input)),
    );
    const r = parseResponse(ListVersionsSchema, out, `${SVC} ListApplicationVersions`);
    return { items: r.ApplicationVersionSummaries, nextToken: r.NextToken };
  });
  return sortVersions(rows.map((v) => ({ versionId: v.ApplicationVersionId, status: v.ApplicationStatus })));
}

/**
 * The Flink dashboard's presigned URL. It is a bearer credential: registered as a secret before
 * anything else reads it. A refusal because the application is not RUNNING says its status.
 */
async function createPresignedUrl(
  c: Msf,
  name: string,
  sessionSeconds: number,
): ReturnType<Port['createPresignedUrl']> {
  if (
    !Number.isInteger(sessionSeconds) ||
    sessionSeconds < SESSION_SECONDS_MIN ||
    sessionSeconds > SESSION_SECONDS_MAX
  ) {
    throw usageError(
      `sessionSeconds must be an integer from ${SESSION_SECONDS_MIN} to ${SESSION_SECONDS_MAX} (got ${sessionSeconds})`,
    );
  }
  let out: unknown;
  try {
    out = await c.client.send(
      new msf.CreateApplicationPresignedUrlCommand({
        ApplicationName: name,
        UrlType: 'FLINK_DASHBOARD_URL',
        SessionExpirationDurationInSeconds: sessionSeconds,
      }),
    );
  } catch (err) {
    const mapped = msfError(err, 'CreateApplicationPresignedUrl', name);
    if (mapped.code !== 'RESOURCE_IN_USE') throw mapped;
    // The service names the status in its message only sometimes; ask once if it does not.
    let status = statusInMessage((err as Error)?.message ?? '');
    if (!status)
      status = await describeRaw(c, name).then(
        (d) => d.ApplicationStatus,
        () => undefined,
      );
    throw new DashboardUnavailableError(name, status, err);
  }
  // Register before validating, so that not even a validation error path can leak it.
  const rawUrl = (out as { AuthorizedUrl?: unknown })?.AuthorizedUrl;
  if (typeof rawUrl === 'string') registerSecret(rawUrl);
  const { AuthorizedUrl } = parseResponse(PresignedUrlSchema, out, `${SVC} CreateApplicationPresignedUrl`);
  registerSecret(splitPresignedUrl(AuthorizedUrl).authToken);
  return { url: AuthorizedUrl };
}

/** UpdateApplication of the environment's property groups only. */
function updateEnvironment(
  c: Msf,
  name: string,
  { currentVersionId, propertyGroups }: Parameters<Port['updateEnvironment']>[1],
): Promise<OperationStarted> {
  const PropertyGroups = Object.entries(propertyGroups).map(([PropertyGroupId, PropertyMap]) => ({
    PropertyGroupId,
    PropertyMap,
  }));
  return act('UpdateApplication', name, () =>
    c.client.send(
      new msf.UpdateApplicationCommand({
        ApplicationName: name,
        CurrentApplicationVersionId: currentVersionId,
        ApplicationConfigurationUpdate: { EnvironmentPropertyUpdates: { PropertyGroups } },
      }),
    ),
  );
}

/**
 * StartApplication's RunConfiguration. AllowNonRestoredState is always sent: MSF resets it to
 * false when omitted, and an explicit value makes the request say what will happen.
 */
export function runConfiguration(o: StartOptions): RunConfiguration {
  const restore =
    typeof o.restore === 'string'
      ? { ApplicationRestoreType: o.restore }
      : {
          ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT' as const,
          SnapshotName: o.restore.snapshotName,
        };
  return {
    ApplicationRestoreConfiguration: restore,
    FlinkRunConfiguration: { AllowNonRestoredState: o.allowNonRestoredState ?? false },
  };
}
