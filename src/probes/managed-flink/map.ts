import type { ApplicationOperation, ApplicationSnapshot } from '../../domain/flink.js';
import type {
  ApplicationVersionSummary,
  LogTarget,
  ManagedApplicationDetail,
  ManagedApplicationSummary,
} from './port.js';
import type { RawApplicationDetail, RawOperationDetails, RawOperationInfo, RawSnapshot } from './schema.js';

/** Pure mapping of validated kinesisanalyticsv2 payloads to streamctl's domain types. */

const iso = (d: Date | undefined): string | undefined => (d ? d.toISOString() : undefined);

/** ListApplications row → summary. */
export function toSummary(raw: {
  ApplicationName: string;
  ApplicationARN: string;
  ApplicationStatus: string;
  ApplicationVersionId: number;
  RuntimeEnvironment?: string | undefined;
  ApplicationMode?: string | undefined;
}): ManagedApplicationSummary {
  return dropUndefined({
    applicationName: raw.ApplicationName,
    applicationArn: raw.ApplicationARN,
    status: raw.ApplicationStatus,
    versionId: raw.ApplicationVersionId,
    runtime: raw.RuntimeEnvironment,
    mode: raw.ApplicationMode,
  });
}

/**
 * `arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesis-analytics/app:log-stream:kinesis-analytics-log-stream`
 * → { logGroupName: '/aws/kinesis-analytics/app', logStreamName, region, accountId }.
 * CloudWatch Logs forbids ':' in log group names, so splitting on the ARN markers is safe.
 */
export function logTargetFromStreamArn(arn: string): LogTarget | undefined {
  const m = /^arn:[^:]+:logs:([^:]*):([^:]*):log-group:([^:]+)(?::log-stream:(.+))?$/.exec(arn);
  if (!m?.[3]) return undefined;
  return dropUndefined({
    logGroupName: m[3],
    logStreamName: m[4] || undefined,
    region: m[1] || undefined,
    accountId: m[2] || undefined,
  });
}

/**
 * KPUs allocated to the job: ceil(parallelism / parallelismPerKPU). MSF also bills one KPU per
 * application for orchestration, which this does not include (the `KPUs` metric does).
 */
export function kpusFor(parallelism: number | undefined, perKpu: number | undefined): number | undefined {
  if (parallelism === undefined || perKpu === undefined || perKpu <= 0) return undefined;
  return Math.ceil(parallelism / perKpu);
}

/** DescribeApplication (+ tags) → domain detail. `name` defaults to the MSF ApplicationName. */
export function toApplicationDetail(
  raw: RawApplicationDetail,
  region: string | undefined,
  tags?: Record<string, string>,
): ManagedApplicationDetail {
  const cfg = raw.ApplicationConfigurationDescription;
  const flink = cfg?.FlinkApplicationConfigurationDescription;
  const par = flink?.ParallelismConfigurationDescription;
  const parallelism = par?.CurrentParallelism ?? par?.Parallelism;
  const environmentProperties: Record<string, Record<string, string>> = {};
  for (const g of cfg?.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions ?? []) {
    environmentProperties[g.PropertyGroupId] = { ...g.PropertyMap };
  }
  const logTargets = (raw.CloudWatchLoggingOptionDescriptions ?? [])
    .map((o) => logTargetFromStreamArn(o.LogStreamARN))
    .filter((t): t is LogTarget => t !== undefined);
  return dropUndefined({
    name: raw.ApplicationName,
    kind: 'managed' as const,
    applicationName: raw.ApplicationName,
    applicationArn: raw.ApplicationARN,
    region,
    status: raw.ApplicationStatus,
    runtime: raw.RuntimeEnvironment,
    versionId: raw.ApplicationVersionId,
    versionUpdatedFrom: raw.ApplicationVersionUpdatedFrom,
    versionRolledBackFrom: raw.ApplicationVersionRolledBackFrom,
    versionRolledBackTo: raw.ApplicationVersionRolledBackTo,
    snapshotsEnabled: cfg?.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled,
    systemRollbackEnabled: cfg?.ApplicationSystemRollbackConfigurationDescription?.RollbackEnabled,
    checkpointingEnabled: flink?.CheckpointConfigurationDescription?.CheckpointingEnabled,
    checkpointIntervalMs: flink?.CheckpointConfigurationDescription?.CheckpointInterval,
    metricsLevel: flink?.MonitoringConfigurationDescription?.MetricsLevel,
    parallelism,
    parallelismPerKpu: par?.ParallelismPerKPU,
    autoScalingEnabled: par?.AutoScalingEnabled,
    kpus: kpusFor(parallelism, par?.ParallelismPerKPU),
    createTime: iso(raw.CreateTimestamp),
    lastUpdateTime: iso(raw.LastUpdateTimestamp),
    tags,
    logTargets,
    environmentProperties,
    conditionalToken: raw.ConditionalToken,
  });
}

/** ListApplicationOperations row → operation (no version or failure details: see toOperationDetail). */
export function toOperation(raw: RawOperationInfo): ApplicationOperation {
  return dropUndefined({
    operationId: raw.OperationId,
    operation: raw.Operation,
    status: raw.OperationStatus,
    startTime: iso(raw.StartTime),
    endTime: iso(raw.EndTime),
  });
}

/** DescribeApplicationOperation → operation with versions and failure details. */
export function toOperationDetail(operationId: string, raw: RawOperationDetails): ApplicationOperation {
  return dropUndefined({
    operationId,
    operation: raw.Operation,
    status: raw.OperationStatus,
    startTime: iso(raw.StartTime),
    endTime: iso(raw.EndTime),
    versionFrom: raw.ApplicationVersionChangeDetails?.ApplicationVersionUpdatedFrom,
    versionTo: raw.ApplicationVersionChangeDetails?.ApplicationVersionUpdatedTo,
    errorString: raw.OperationFailureDetails?.ErrorInfo?.ErrorString,
    rollbackOperationId: raw.OperationFailureDetails?.RollbackOperationId,
  });
}

/** ListApplicationSnapshots row → snapshot. */
export function toSnapshot(raw: RawSnapshot): ApplicationSnapshot {
  return dropUndefined({
    name: raw.SnapshotName,
    status: raw.SnapshotStatus,
    versionId: raw.ApplicationVersionId,
    createTime: iso(raw.SnapshotCreationTimestamp),
    runtime: raw.RuntimeEnvironment,
  });
}

/** Newest first by an ISO time (entries without a time last, original order kept among equals). */
export function newestFirst<T extends { startTime?: string; createTime?: string }>(items: T[]): T[] {
  const key = (x: T) => x.startTime ?? x.createTime ?? '';
  return items
    .map((x, i) => ({ x, i }))
    .sort((a, b) => (key(a.x) === key(b.x) ? a.i - b.i : key(a.x) < key(b.x) ? 1 : -1))
    .map((e) => e.x);
}

/** Versions newest first. */
export function sortVersions(v: ApplicationVersionSummary[]): ApplicationVersionSummary[] {
  return [...v].sort((a, b) => b.versionId - a.versionId);
}

/** Tag list → record. */
export function tagsToRecord(
  tags: Array<{ Key: string; Value?: string | undefined }>,
): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value ?? '']));
}

/**
 * Splits a presigned dashboard URL into the REST base and its token, as the aws-samples
 * task_status.sh does: `https://host/flinkdashboard/…?authToken=T` → base `https://host/flinkdashboard`.
 * REST calls then go to `<base>/<endpoint>?authToken=<token>`.
 */
export function splitPresignedUrl(url: string): { base: string; authToken: string | undefined } {
  const u = new URL(url);
  // The token may sit after a '#/…' dashboard route, where URL.searchParams does not look.
  const m = /[?&]authToken=([^&#\s]+)/.exec(url);
  const token = m?.[1] ? decodeURIComponent(m[1]) : undefined;
  const i = u.pathname.indexOf('/flinkdashboard');
  const path = i >= 0 ? u.pathname.slice(0, i + '/flinkdashboard'.length) : u.pathname.replace(/\/$/, '');
  return { base: `${u.origin}${path}`, authToken: token };
}

/** Removes undefined-valued keys so results compare cleanly and serialise minimally. */
export function dropUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
