/**
 * kinesisanalyticsv2 (AWS JSON 1.1, X-Amz-Target `KinesisAnalytics_20180523.<Operation>`): the
 * operations streamctl uses, over the MsfEngine. Request validation follows the API reference
 * (required members, ranges); lifecycle rules live in the engine.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorClock } from '../clock.js';
import { AwsError, err, requireString } from '../errors.js';
import { paginate } from '../pagination.js';
import { configFromCreate, configFromUpdate } from './config.js';
import type { DashboardTokens } from './dashboard.js';
import {
  ACCOUNT,
  applicationDetail,
  applicationSummary,
  operationDetails,
  operationSummary,
  REGION,
  snapshotDetails,
} from './describe.js';
import type { MsfEngine } from './engine.js';
import type { EmulatedApp } from './model.js';

type Body = Record<string, unknown>;
export type Handler = (body: Body) => unknown | Promise<unknown>;

const NAME_RE = /^[a-zA-Z0-9_.-]{1,128}$/;

/** Builds the kinesisanalyticsv2 operation table. */
export function msfOperations(
  engine: MsfEngine,
  clock: EmulatorClock,
  dashboard: DashboardTokens,
): Record<string, Handler> {
  const now = () => clock.now();
  const app = (b: Body) => engine.get(requireString(b, 'ApplicationName'));
  const appByArn = (arn: unknown): EmulatedApp => {
    const found = [...engine.apps.values()].find((a) => a.arn === arn);
    if (!found) throw err.notFound(`Resource ${String(arn)} is not found`);
    return found;
  };
  const page = <T>(items: T[], b: Body, scope: string, max = 50) =>
    paginate(items, b.NextToken, b.Limit, { max, defaultLimit: max, scope, badToken: err.invalidArgument });

  return {
    CreateApplication(b) {
      const name = requireString(b, 'ApplicationName');
      if (!NAME_RE.test(name))
        throw err.invalidArgument(`ApplicationName ${name} must match [a-zA-Z0-9_.-]{1,128}`);
      if (engine.apps.has(name)) throw err.resourceInUse(`Application ${name} already exists`);
      const config = configFromCreate(b);
      const t = now();
      const created: EmulatedApp = {
        name,
        arn: `arn:aws:kinesisanalytics:${REGION}:${ACCOUNT}:application/${name}`,
        createMs: t,
        lastUpdateMs: t,
        status: 'READY',
        versionId: 1,
        versionCreateMs: t,
        versions: new Map([[1, config]]),
        versionStatus: new Map(),
        pastJobs: [],
        snapshots: [],
        operations: [],
        tags: new Map(),
        epoch: 0,
        logGroupName: `/aws/kinesis-analytics/${name}`,
        logStreamName: 'kinesis-analytics-log-stream',
        restore: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
        allowNonRestoredState: false,
      };
      const logOpt = Array.isArray(b.CloudWatchLoggingOptions)
        ? (b.CloudWatchLoggingOptions[0] as Body | undefined)
        : undefined;
      const m =
        typeof logOpt?.LogStreamARN === 'string'
          ? /:log-group:([^:]+):log-stream:(.+)$/.exec(logOpt.LogStreamARN)
          : null;
      if (m) {
        created.logGroupName = m[1]!;
        created.logStreamName = m[2]!;
      }
      for (const t of tagList(b.Tags)) created.tags.set(t.Key, t.Value);
      engine.apps.set(name, created);
      return { ApplicationDetail: applicationDetail(created, now()) };
    },

    DeleteApplication(b) {
      const a = app(b);
      const status = engine.status(a);
      if (!['READY'].includes(status))
        throw err.resourceInUse(`Application ${a.name} is in ${status} status; stop it before deleting`);
      engine.apps.delete(a.name);
      return {};
    },

    ListApplications(b) {
      const all = [...engine.apps.values()]
        .sort((x, y) => x.name.localeCompare(y.name))
        .map((a) => applicationSummary(a, now()));
      const { page: items, nextToken } = page(all, b, 'ListApplications');
      return { ApplicationSummaries: items, ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    DescribeApplication(b) {
      return { ApplicationDetail: applicationDetail(app(b), now()) };
    },

    DescribeApplicationVersion(b) {
      const a = app(b);
      const v = b.ApplicationVersionId;
      if (typeof v !== 'number' || !a.versions.has(v))
        throw err.notFound(`Version ${String(v)} of application ${a.name} is not found`);
      return { ApplicationVersionDetail: applicationDetail(a, now(), v) };
    },

    ListApplicationVersions(b) {
      const a = app(b);
      const versions = [...a.versions.keys()]
        .sort((x, y) => y - x)
        .map((v) => ({
          ApplicationVersionId: v,
          ApplicationStatus: v === a.versionId ? engine.status(a) : (a.versionStatus.get(v) ?? 'READY'),
        }));
      const { page: items, nextToken } = page(versions, b, `ListApplicationVersions:${a.name}`);
      return { ApplicationVersionSummaries: items, ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    StartApplication(b) {
      const a = app(b);
      const run =
        b.RunConfiguration && typeof b.RunConfiguration === 'object'
          ? (b.RunConfiguration as Body)
          : undefined;
      return { OperationId: engine.start(a, run) };
    },

    StopApplication(b) {
      const a = app(b);
      return { OperationId: engine.stop(a, b.Force === true) };
    },

    UpdateApplication(b) {
      const a = app(b);
      const current = a.versions.get(a.versionId)!;
      const next = configFromUpdate(current, b);
      const runUp = b.RunConfigurationUpdate as Body | undefined;
      const restore = runUp?.ApplicationRestoreConfiguration as Body | undefined;
      if (restore && typeof restore.ApplicationRestoreType === 'string') {
        a.restore = {
          ApplicationRestoreType: restore.ApplicationRestoreType,
          ...(typeof restore.SnapshotName === 'string' ? { SnapshotName: restore.SnapshotName } : {}),
        };
      }
      const flinkRun = runUp?.FlinkRunConfiguration as Body | undefined;
      if (flinkRun && typeof flinkRun.AllowNonRestoredState === 'boolean')
        a.allowNonRestoredState = flinkRun.AllowNonRestoredState;
      const operationId = engine.update(a, next, {
        versionId: b.CurrentApplicationVersionId,
        token: b.ConditionalToken,
      });
      return { ApplicationDetail: applicationDetail(a, now()), OperationId: operationId };
    },

    RollbackApplication(b) {
      const a = app(b);
      const { operationId } = engine.rollback(a, b.CurrentApplicationVersionId);
      return { ApplicationDetail: applicationDetail(a, now()), OperationId: operationId };
    },

    CreateApplicationSnapshot(b) {
      const a = app(b);
      const name = requireString(b, 'SnapshotName');
      if (!/^[a-zA-Z0-9_.-]{1,256}$/.test(name))
        throw err.invalidArgument(`SnapshotName ${name} must match [a-zA-Z0-9_.-]{1,256}`);
      engine.createSnapshot(a, name);
      return {};
    },

    ListApplicationSnapshots(b) {
      const a = app(b);
      const snaps = [...a.snapshots].sort((x, y) => y.createMs - x.createMs).map(snapshotDetails);
      const { page: items, nextToken } = page(snaps, b, `ListApplicationSnapshots:${a.name}`);
      return { SnapshotSummaries: items, ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    DescribeApplicationSnapshot(b) {
      const a = app(b);
      const name = requireString(b, 'SnapshotName');
      const s = a.snapshots.find((x) => x.name === name);
      if (!s) throw err.notFound(`Snapshot ${name} of application ${a.name} is not found`);
      return { SnapshotDetails: snapshotDetails(s) };
    },

    DeleteApplicationSnapshot(b) {
      const a = app(b);
      const name = requireString(b, 'SnapshotName');
      const i = a.snapshots.findIndex((x) => x.name === name);
      if (i < 0) throw err.notFound(`Snapshot ${name} of application ${a.name} is not found`);
      a.snapshots.splice(i, 1);
      return {};
    },

    ListApplicationOperations(b) {
      const a = app(b);
      const ops = [...a.operations]
        .filter((o) => (typeof b.Operation === 'string' ? o.operation === b.Operation : true))
        .filter((o) => (typeof b.OperationStatus === 'string' ? o.status === b.OperationStatus : true))
        .sort((x, y) => y.startMs - x.startMs)
        .map(operationSummary);
      const { page: items, nextToken } = page(ops, b, `ListApplicationOperations:${a.name}`);
      return { ApplicationOperationInfoList: items, ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    DescribeApplicationOperation(b) {
      const a = app(b);
      const id = requireString(b, 'OperationId');
      const op = a.operations.find((o) => o.id === id);
      if (!op) throw err.notFound(`Operation ${id} of application ${a.name} is not found`);
      return { ApplicationOperationInfoDetails: operationDetails(op) };
    },

    TagResource(b) {
      const a = appByArn(b.ResourceARN);
      const tags = tagList(b.Tags);
      if (a.tags.size + tags.filter((t) => !a.tags.has(t.Key)).length > 50)
        throw new AwsError('TooManyTagsException', `Application ${a.name} would have more than 50 tags`);
      for (const t of tags) a.tags.set(t.Key, t.Value);
      return {};
    },

    UntagResource(b) {
      const a = appByArn(b.ResourceARN);
      for (const k of Array.isArray(b.TagKeys) ? b.TagKeys : []) a.tags.delete(String(k));
      return {};
    },

    ListTagsForResource(b) {
      const a = appByArn(b.ResourceARN);
      return { Tags: [...a.tags].map(([Key, Value]) => ({ Key, Value })) };
    },

    CreateApplicationPresignedUrl(b) {
      const a = app(b);
      if (b.UrlType !== 'FLINK_DASHBOARD_URL')
        throw err.invalidArgument(`UrlType must be FLINK_DASHBOARD_URL (got ${String(b.UrlType)})`);
      const secs = b.SessionExpirationDurationInSeconds ?? 1800;
      if (typeof secs !== 'number' || !Number.isInteger(secs) || secs < 1800 || secs > 43200) {
        throw err.invalidArgument('SessionExpirationDurationInSeconds must be between 1800 and 43200');
      }
      const status = engine.status(a);
      // AWS: the dashboard URL is only issued while the application is RUNNING.
      if (status !== 'RUNNING')
        throw err.resourceInUse(
          `Application ${a.name} is in ${status} status; the Flink dashboard is available only when RUNNING`,
        );
      const token = randomBytes(24).toString('base64url');
      dashboard.issue(token, a.name, now(), secs);
      return { AuthorizedUrl: `${dashboard.baseUrl()}/flinkdashboard?authToken=${token}` };
    },
  };
}

function tagList(raw: unknown): { Key: string; Value: string }[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw err.invalidArgument('Tags must be a list');
  return raw.map((t, i) => {
    const tag = t as Body;
    if (typeof tag.Key !== 'string' || tag.Key.length === 0)
      throw err.invalidArgument(`Tags[${i}].Key is required`);
    return { Key: tag.Key, Value: typeof tag.Value === 'string' ? tag.Value : '' };
  });
}
