/**
 * Model → kinesisanalyticsv2 response shapes (ApplicationDetail, summaries, operations, snapshots).
 * Timestamps go out as epoch seconds, the AWS JSON 1.1 default the SDK turns into Date objects.
 */
import {
  type AppConfig,
  type AppOperation,
  type AppSnapshot,
  conditionalToken,
  type EmulatedApp,
  effectiveStatus,
} from './model.js';

/** Epoch seconds, as AWS JSON protocols carry timestamps. */
export const epochSeconds = (ms: number): number => ms / 1000;

/** The region and account every emulated ARN uses. */
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** ApplicationDetail for the current version, or for `versionId` (DescribeApplicationVersion). */
export function applicationDetail(
  app: EmulatedApp,
  nowMs: number,
  versionId = app.versionId,
): Record<string, unknown> {
  const config = app.versions.get(versionId);
  if (!config) throw new Error(`emulator bug: no version ${versionId}`);
  const current = versionId === app.versionId;
  const detail: Record<string, unknown> = {
    ApplicationARN: app.arn,
    ApplicationName: app.name,
    RuntimeEnvironment: config.runtime,
    ServiceExecutionRole: config.serviceExecutionRole,
    ApplicationStatus: current ? effectiveStatus(app, nowMs) : (app.versionStatus.get(versionId) ?? 'READY'),
    ApplicationVersionId: versionId,
    CreateTimestamp: epochSeconds(app.createMs),
    LastUpdateTimestamp: epochSeconds(app.lastUpdateMs),
    ApplicationConfigurationDescription: configurationDescription(app, config),
    CloudWatchLoggingOptionDescriptions: [
      {
        CloudWatchLoggingOptionId: '1.1',
        LogStreamARN: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${app.logGroupName}:log-stream:${app.logStreamName}`,
      },
    ],
    ApplicationMaintenanceConfigurationDescription: {
      ApplicationMaintenanceWindowStartTime: '06:00',
      ApplicationMaintenanceWindowEndTime: '14:00',
    },
    ApplicationMode: 'STREAMING',
  };
  if (config.description !== undefined) detail.ApplicationDescription = config.description;
  if (current) {
    detail.ApplicationVersionCreateTimestamp = epochSeconds(app.versionCreateMs);
    detail.ConditionalToken = conditionalToken(app);
    if (app.versionUpdatedFrom !== undefined) detail.ApplicationVersionUpdatedFrom = app.versionUpdatedFrom;
    if (app.rolledBackFrom !== undefined) detail.ApplicationVersionRolledBackFrom = app.rolledBackFrom;
    if (app.rolledBackTo !== undefined) detail.ApplicationVersionRolledBackTo = app.rolledBackTo;
  }
  return detail;
}

function configurationDescription(app: EmulatedApp, config: AppConfig): Record<string, unknown> {
  return {
    ApplicationCodeConfigurationDescription: {
      CodeContentType: config.code.CodeContentType,
      CodeContentDescription: {
        ...(config.code.S3 ? { S3ApplicationCodeLocationDescription: { ...config.code.S3 } } : {}),
        ...(config.code.TextContent !== undefined ? { TextContent: config.code.TextContent } : {}),
      },
    },
    RunConfigurationDescription: {
      ApplicationRestoreConfigurationDescription: { ...app.restore },
      FlinkRunConfigurationDescription: { AllowNonRestoredState: app.allowNonRestoredState },
    },
    FlinkApplicationConfigurationDescription: {
      CheckpointConfigurationDescription: { ...config.checkpoint },
      MonitoringConfigurationDescription: { ...config.monitoring },
      ParallelismConfigurationDescription: {
        ...config.parallelism,
        CurrentParallelism: config.parallelism.Parallelism,
      },
      ...(app.job ? { JobPlanDescription: `{"jid":"${app.job.jobId}"}` } : {}),
    },
    EnvironmentPropertyDescriptions: {
      PropertyGroupDescriptions: config.propertyGroups.map((g) => ({
        PropertyGroupId: g.PropertyGroupId,
        PropertyMap: { ...g.PropertyMap },
      })),
    },
    ApplicationSnapshotConfigurationDescription: { SnapshotsEnabled: config.snapshotsEnabled },
    ApplicationSystemRollbackConfigurationDescription: { RollbackEnabled: config.systemRollbackEnabled },
  };
}

/** One ListApplications entry. */
export function applicationSummary(app: EmulatedApp, nowMs: number): Record<string, unknown> {
  return {
    ApplicationName: app.name,
    ApplicationARN: app.arn,
    ApplicationStatus: effectiveStatus(app, nowMs),
    ApplicationVersionId: app.versionId,
    RuntimeEnvironment: app.versions.get(app.versionId)?.runtime,
    ApplicationMode: 'STREAMING',
  };
}

/** One ListApplicationOperations entry. */
export function operationSummary(op: AppOperation): Record<string, unknown> {
  return {
    Operation: op.operation,
    OperationId: op.id,
    StartTime: epochSeconds(op.startMs),
    ...(op.endMs !== undefined ? { EndTime: epochSeconds(op.endMs) } : {}),
    OperationStatus: op.status,
  };
}

/** DescribeApplicationOperation's ApplicationOperationInfoDetails. */
export function operationDetails(op: AppOperation): Record<string, unknown> {
  const d: Record<string, unknown> = {
    Operation: op.operation,
    StartTime: epochSeconds(op.startMs),
    ...(op.endMs !== undefined ? { EndTime: epochSeconds(op.endMs) } : {}),
    OperationStatus: op.status,
  };
  if (op.versionFrom !== undefined && op.versionTo !== undefined) {
    d.ApplicationVersionChangeDetails = {
      ApplicationVersionUpdatedFrom: op.versionFrom,
      ApplicationVersionUpdatedTo: op.versionTo,
    };
  }
  if (op.errorString !== undefined || op.rollbackOperationId !== undefined) {
    d.OperationFailureDetails = {
      ...(op.rollbackOperationId !== undefined ? { RollbackOperationId: op.rollbackOperationId } : {}),
      ...(op.errorString !== undefined ? { ErrorInfo: { ErrorString: op.errorString } } : {}),
    };
  }
  return d;
}

/** SnapshotDetails (ListApplicationSnapshots, DescribeApplicationSnapshot). */
export function snapshotDetails(s: AppSnapshot): Record<string, unknown> {
  return {
    SnapshotName: s.name,
    SnapshotStatus: s.status,
    ApplicationVersionId: s.versionId,
    SnapshotCreationTimestamp: epochSeconds(s.createMs),
    RuntimeEnvironment: s.runtime,
  };
}
