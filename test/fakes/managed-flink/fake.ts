import type { ApplicationOperation, ApplicationSnapshot } from '../../../src/domain/flink.js';
import {
  ApplicationBusyError,
  ApplicationNotFoundError,
  ConcurrentModificationError,
  DashboardUnavailableError,
  RequestRefusedError,
} from '../../../src/probes/managed-flink/errors.js';
import type {
  ApplicationVersionSummary,
  ManagedApplicationDetail,
  ManagedFlinkPort,
  OperationStarted,
  StartOptions,
} from '../../../src/probes/managed-flink/port.js';

/**
 * An in-memory ManagedFlinkPort for core and command tests. It enforces the service's own
 * refusals (the ones MSF documents: rollback only from RUNNING/UPDATING/AUTOSCALING and with a
 * snapshot, a stale version id, the dashboard only when RUNNING) so callers' handling is tested,
 * records every call, and lets a test finish in-progress operations with `settle`.
 */
export interface FakeApplication {
  detail: ManagedApplicationDetail;
  operations: ApplicationOperation[];
  snapshots: ApplicationSnapshot[];
  versions: ApplicationVersionSummary[];
}

export class FakeManagedFlink implements ManagedFlinkPort {
  readonly apps = new Map<string, FakeApplication>();
  readonly calls: Array<{ method: keyof ManagedFlinkPort; args: unknown[] }> = [];
  private readonly failures = new Map<string, Error[]>();
  private opSeq = 0;

  constructor(private now: () => number = () => 0) {}

  /** Adds an application (status RUNNING, version 1 unless given). */
  add(
    detail: Partial<ManagedApplicationDetail> & { applicationName: string },
    extra: Partial<Omit<FakeApplication, 'detail'>> = {},
  ): FakeApplication {
    const name = detail.applicationName;
    const app: FakeApplication = {
      detail: {
        name,
        kind: 'managed',
        applicationArn: `arn:aws:kinesisanalytics:us-east-1:123456789012:application/${name}`,
        status: 'RUNNING',
        versionId: 1,
        logTargets: [],
        environmentProperties: {},
        tags: {},
        ...detail,
      },
      operations: extra.operations ?? [],
      snapshots: extra.snapshots ?? [],
      versions: extra.versions ?? [{ versionId: detail.versionId ?? 1, status: detail.status ?? 'RUNNING' }],
    };
    this.apps.set(name, app);
    return app;
  }

  /** The next call of `method` throws `err` (queued, one per call). */
  failNext(method: keyof ManagedFlinkPort, err: Error): void {
    const q = this.failures.get(method) ?? [];
    q.push(err);
    this.failures.set(method, q);
  }

  /** Completes every IN_PROGRESS operation of an app: the app reaches its target status. */
  settle(name: string, outcome: 'SUCCESSFUL' | 'FAILED' = 'SUCCESSFUL'): void {
    const app = this.get('settle', name);
    const end = new Date(this.now()).toISOString();
    for (const op of app.operations) {
      if (op.status !== 'IN_PROGRESS') continue;
      op.status = outcome;
      op.endTime = end;
    }
    const s = app.detail.status;
    if (s === 'STOPPING' || s === 'FORCE_STOPPING') app.detail.status = 'READY';
    else if (s === 'STARTING' || s === 'UPDATING' || s === 'ROLLING_BACK' || s === 'AUTOSCALING')
      app.detail.status = outcome === 'SUCCESSFUL' ? 'RUNNING' : s === 'STARTING' ? 'READY' : 'RUNNING';
  }

  private enter(method: keyof ManagedFlinkPort, args: unknown[]): void {
    this.calls.push({ method, args });
    const err = this.failures.get(method)?.shift();
    if (err) throw err;
  }

  private get(api: string, name: string): FakeApplication {
    const app = this.apps.get(name);
    if (!app) throw new ApplicationNotFoundError(api, name, new Error(`Application ${name} not found`));
    return app;
  }

  private begin(
    app: FakeApplication,
    operation: string,
    extra: Partial<ApplicationOperation> = {},
  ): OperationStarted {
    this.opSeq += 1;
    const operationId = `op-${this.opSeq}`;
    app.operations.unshift({
      operationId,
      operation,
      status: 'IN_PROGRESS',
      startTime: new Date(this.now()).toISOString(),
      ...extra,
    });
    return { operationId, versionId: app.detail.versionId };
  }

  private autoSnapshot(app: FakeApplication, versionId: number): void {
    const t = this.now();
    app.snapshots.unshift({
      name: `${app.detail.applicationName}-v${versionId}-${t}`,
      status: 'READY',
      versionId,
      createTime: new Date(t).toISOString(),
    });
  }

  async listApplications() {
    this.enter('listApplications', []);
    return [...this.apps.values()].map(({ detail: d }) => ({
      applicationName: d.applicationName,
      applicationArn: d.applicationArn,
      status: d.status,
      versionId: d.versionId,
      ...(d.runtime ? { runtime: d.runtime } : {}),
    }));
  }

  async describeApplication(name: string, opts: { tags?: boolean } = {}) {
    this.enter('describeApplication', [name, opts]);
    const d = structuredClone(this.get('DescribeApplication', name).detail);
    if (opts.tags === false) delete d.tags;
    return d;
  }

  async listOperations(name: string, filter: { operation?: string; status?: string } = {}) {
    this.enter('listOperations', [name, filter]);
    return structuredClone(this.get('ListApplicationOperations', name).operations).filter(
      (o) =>
        (!filter.operation || o.operation === filter.operation) &&
        (!filter.status || o.status === filter.status),
    );
  }

  async describeOperation(name: string, operationId: string) {
    this.enter('describeOperation', [name, operationId]);
    const op = this.get('DescribeApplicationOperation', name).operations.find(
      (o) => o.operationId === operationId,
    );
    if (!op)
      throw new ApplicationNotFoundError(
        'DescribeApplicationOperation',
        `${name} operation ${operationId}`,
        new Error('not found'),
      );
    return structuredClone(op);
  }

  async listSnapshots(name: string) {
    this.enter('listSnapshots', [name]);
    return structuredClone(this.get('ListApplicationSnapshots', name).snapshots);
  }

  async listVersions(name: string) {
    this.enter('listVersions', [name]);
    return structuredClone(this.get('ListApplicationVersions', name).versions);
  }

  async createPresignedUrl(name: string, opts: { sessionSeconds: number }) {
    this.enter('createPresignedUrl', [name, opts]);
    const app = this.get('CreateApplicationPresignedUrl', name);
    if (app.detail.status !== 'RUNNING')
      throw new DashboardUnavailableError(name, app.detail.status, new Error('ResourceInUseException'));
    return {
      url: `https://fake.kinesisanalytics.local/flinkdashboard/proxy/#/overview?authToken=fake-${name}`,
    };
  }

  async rollback(name: string, opts: { currentVersionId: number }) {
    this.enter('rollback', [name, opts]);
    const app = this.get('RollbackApplication', name);
    if (!['RUNNING', 'UPDATING', 'AUTOSCALING'].includes(app.detail.status)) {
      throw new ApplicationBusyError(
        'RollbackApplication',
        name,
        app.detail.status,
        new Error(`Application is in ${app.detail.status} state`),
      );
    }
    if (opts.currentVersionId !== app.detail.versionId)
      throw new ConcurrentModificationError('RollbackApplication', name, new Error('stale version'));
    const to = app.detail.versionUpdatedFrom;
    if (to === undefined)
      throw new RequestRefusedError(
        'RollbackApplication',
        name,
        new Error('No previous version to roll back to'),
      );
    // MSF rejects a rollback without a snapshot to restore from (ResourceInUseException).
    if (!app.snapshots.some((s) => s.status === 'READY')) {
      throw new ApplicationBusyError(
        'RollbackApplication',
        name,
        undefined,
        new Error(`Application ${name} has no snapshots`),
      );
    }
    const from = app.detail.versionId;
    const { versionUpdatedFrom: _dropped, ...rest } = app.detail;
    app.detail = {
      ...rest,
      status: 'ROLLING_BACK',
      versionId: from + 1,
      versionRolledBackFrom: from,
      versionRolledBackTo: to,
    };
    app.versions.unshift({ versionId: from + 1, status: 'ROLLING_BACK' });
    return this.begin(app, 'RollbackApplication', { versionFrom: from, versionTo: from + 1 });
  }

  async stop(name: string, opts: { force: boolean }) {
    this.enter('stop', [name, opts]);
    const app = this.get('StopApplication', name);
    if (!['STARTING', 'UPDATING', 'STOPPING', 'AUTOSCALING', 'RUNNING'].includes(app.detail.status)) {
      throw new ApplicationBusyError(
        'StopApplication',
        name,
        app.detail.status,
        new Error(`Application is in ${app.detail.status} state`),
      );
    }
    // A normal stop snapshots the job when snapshots are enabled; Force never does.
    if (!opts.force && app.detail.status === 'RUNNING' && app.detail.snapshotsEnabled)
      this.autoSnapshot(app, app.detail.versionId);
    app.detail.status = opts.force ? 'FORCE_STOPPING' : 'STOPPING';
    return this.begin(app, 'StopApplication');
  }

  async start(name: string, opts: StartOptions) {
    this.enter('start', [name, opts]);
    const app = this.get('StartApplication', name);
    if (app.detail.status !== 'READY') {
      throw new ApplicationBusyError(
        'StartApplication',
        name,
        app.detail.status,
        new Error(`Application is in ${app.detail.status} state`),
      );
    }
    app.detail.status = 'STARTING';
    return this.begin(app, 'StartApplication');
  }

  async updateEnvironment(
    name: string,
    opts: { currentVersionId: number; propertyGroups: Record<string, Record<string, string>> },
  ) {
    this.enter('updateEnvironment', [name, opts]);
    const app = this.get('UpdateApplication', name);
    if (opts.currentVersionId !== app.detail.versionId)
      throw new ConcurrentModificationError('UpdateApplication', name, new Error('stale version'));
    const from = app.detail.versionId;
    // With snapshots enabled, MSF snapshots the running job before applying an update.
    if (app.detail.status === 'RUNNING' && app.detail.snapshotsEnabled) this.autoSnapshot(app, from);
    app.detail = {
      ...app.detail,
      versionId: from + 1,
      versionUpdatedFrom: from,
      environmentProperties: structuredClone(opts.propertyGroups),
      status: app.detail.status === 'RUNNING' ? 'UPDATING' : app.detail.status,
    };
    app.versions.unshift({ versionId: from + 1, status: app.detail.status });
    return {
      ...this.begin(app, 'UpdateApplication', { versionFrom: from, versionTo: from + 1 }),
      versionId: from + 1,
    };
  }

  async createSnapshot(name: string, snapshotName: string) {
    this.enter('createSnapshot', [name, snapshotName]);
    const app = this.get('CreateApplicationSnapshot', name);
    app.snapshots.unshift({
      name: snapshotName,
      status: 'READY',
      versionId: app.detail.versionId,
      createTime: new Date(this.now()).toISOString(),
    });
  }

  async tagResource(arn: string, tags: Record<string, string>) {
    this.enter('tagResource', [arn, tags]);
    const app = [...this.apps.values()].find((a) => a.detail.applicationArn === arn);
    if (!app) throw new ApplicationNotFoundError('TagResource', arn, new Error('not found'));
    app.detail.tags = { ...app.detail.tags, ...tags };
  }
}
