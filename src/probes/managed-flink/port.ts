import type {
  ApplicationOperation,
  ApplicationSnapshot,
  ApplicationStatus,
  FlinkApplicationInfo,
} from '../../domain/flink.js';

/**
 * The port to Amazon Managed Service for Apache Flink (kinesisanalyticsv2) for one region.
 * Adapters: index.ts (the SDK), fake.ts (in memory, for core and command tests).
 *
 * Preconditions (status RUNNING for a rollback, a snapshot to restore, ...) are NOT checked here:
 * commands and the healer decide from describeApplication; the port only maps the service's
 * refusals to typed errors (errors.ts).
 */
export interface ManagedFlinkPort {
  /** Every application of the region (all pages). */
  listApplications(): Promise<ManagedApplicationSummary[]>;
  /** DescribeApplication (+ ListTagsForResource unless `tags: false`). */
  describeApplication(applicationName: string, opts?: { tags?: boolean }): Promise<ManagedApplicationDetail>;
  /** ListApplicationOperations, all pages, newest first. */
  listOperations(
    applicationName: string,
    filter?: { operation?: string; status?: string },
  ): Promise<ApplicationOperation[]>;
  /** DescribeApplicationOperation: versions and failure details of one operation. */
  describeOperation(applicationName: string, operationId: string): Promise<ApplicationOperation>;
  /** ListApplicationSnapshots, all pages, newest first. */
  listSnapshots(applicationName: string): Promise<ApplicationSnapshot[]>;
  /** ListApplicationVersions, all pages, newest first. */
  listVersions(applicationName: string): Promise<ApplicationVersionSummary[]>;
  /**
   * CreateApplicationPresignedUrl (FLINK_DASHBOARD_URL). The URL is a bearer credential: it is
   * registered for redaction before this returns. Throws DashboardUnavailableError (with the
   * status) when the application is not RUNNING.
   */
  createPresignedUrl(
    applicationName: string,
    opts: { sessionSeconds: number },
  ): Promise<PresignedDashboardUrl>;
  /** RollbackApplication to the previous version, restoring from the latest snapshot. */
  rollback(applicationName: string, opts: { currentVersionId: number }): Promise<OperationStarted>;
  /** StopApplication; `force: true` takes no snapshot. */
  stop(applicationName: string, opts: { force: boolean }): Promise<OperationStarted>;
  /** StartApplication with an explicit restore choice. */
  start(applicationName: string, opts: StartOptions): Promise<OperationStarted>;
  /** UpdateApplication with new environment properties (demo and tests: "a change was deployed"). */
  updateEnvironment(applicationName: string, opts: UpdateEnvironmentOptions): Promise<OperationStarted>;
  /** CreateApplicationSnapshot. */
  createSnapshot(applicationName: string, snapshotName: string): Promise<void>;
  /** TagResource on the application ARN. */
  tagResource(applicationArn: string, tags: Record<string, string>): Promise<void>;
}

/** One row of ListApplications. */
export interface ManagedApplicationSummary {
  applicationName: string;
  applicationArn: string;
  status: ApplicationStatus;
  versionId: number;
  runtime?: string;
  mode?: string;
}

/** Where an application logs: from CloudWatchLoggingOptionDescriptions[].LogStreamARN. */
export interface LogTarget {
  logGroupName: string;
  logStreamName?: string;
  region?: string;
  accountId?: string;
}

/** DescribeApplication mapped: the domain info plus what only the MSF adapter knows. */
export interface ManagedApplicationDetail extends FlinkApplicationInfo {
  kind: 'managed';
  applicationName: string;
  applicationArn: string;
  versionId: number;
  /** Log groups for CloudWatch Logs Insights (empty when logging is not configured). */
  logTargets: LogTarget[];
  /** Environment property groups (PropertyGroupId → map). */
  environmentProperties: Record<string, Record<string, string>>;
  /** Optimistic-locking token for updates (alternative to the version id). */
  conditionalToken?: string;
}

/** One row of ListApplicationVersions. */
export interface ApplicationVersionSummary {
  versionId: number;
  status: ApplicationStatus;
}

/** The presigned dashboard URL. Never log or print `url` (it is registered as a secret). */
export interface PresignedDashboardUrl {
  url: string;
}

/** An accepted lifecycle call: the operation to follow with describeOperation. */
export interface OperationStarted {
  operationId?: string;
  /** The application version after the call, when the API returns it. */
  versionId?: number;
}

/** How StartApplication restores state. */
export type RestoreChoice =
  | 'SKIP_RESTORE_FROM_SNAPSHOT'
  | 'RESTORE_FROM_LATEST_SNAPSHOT'
  | { snapshotName: string };

export interface StartOptions {
  restore: RestoreChoice;
  /**
   * FlinkRunConfiguration.AllowNonRestoredState. MSF resets it to false when omitted, so the
   * adapter always sends it (false by default) rather than inheriting a previous true.
   */
  allowNonRestoredState?: boolean;
}

export interface UpdateEnvironmentOptions {
  currentVersionId: number;
  /** The full set of property groups (UpdateApplication replaces them all). */
  propertyGroups: Record<string, Record<string, string>>;
}
