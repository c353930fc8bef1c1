/**
 * The simulator's adapters for the healer's ports: an observer that reads the simulated world the
 * way the live observer reads AWS (and counts the API calls it would make), and HealerActions that
 * call the world. A scheduled daemon crash is raised from the actions port at the chosen moment.
 */
import type { FlinkApplicationInfo } from '../../domain/flink.js';
import type { ActionResult, ActionTarget, HealerActions, HealerNotification } from '../../healer/act/port.js';
import { type AppObservation, restartMetricFor } from '../../healer/observation.js';
import type { FleetObserver } from '../healer/tick.js';
import type { SimApp, SimWorld } from './world.js';

/** API calls the live observer would make, by API. */
export interface ApiCalls {
  ListApplications: number;
  DescribeApplication: number;
  ListApplicationOperations: number;
  ListApplicationSnapshots: number;
  ListTagsForResource: number;
  GetMetricData: number;
  GetMetricDataQueries: number;
  LogsQuery: number;
  CreateApplicationPresignedUrl: number;
  FlinkRest: number;
}

export function zeroCalls(): ApiCalls {
  return {
    ListApplications: 0,
    DescribeApplication: 0,
    ListApplicationOperations: 0,
    ListApplicationSnapshots: 0,
    ListTagsForResource: 0,
    GetMetricData: 0,
    GetMetricDataQueries: 0,
    LogsQuery: 0,
    CreateApplicationPresignedUrl: 0,
    FlinkRest: 0,
  };
}

/** ListApplications returns at most 50 applications per page; GetMetricData takes at most 500 queries. */
const LIST_PAGE = 50;
const METRIC_QUERIES_PER_CALL = 500;

export class SimObserver implements FleetObserver {
  calls = zeroCalls();
  /** Periods of restart counter read per app, as the live observer (`policy.loop.lookbackPeriods`). */
  private readonly periods: number;

  constructor(
    private readonly world: SimWorld,
    private readonly scope: { account: string; region: string },
    lookbackPeriods: number,
  ) {
    this.periods = lookbackPeriods;
  }

  private info(app: SimApp, withDetails: boolean): FlinkApplicationInfo {
    return {
      name: app.name,
      kind: app.kind,
      applicationName: app.name,
      region: this.scope.region,
      status: app.status,
      runtime: app.runtime,
      versionId: app.versionId,
      ...(withDetails
        ? {
            snapshotsEnabled: app.snapshotsEnabled,
            checkpointingEnabled: app.checkpointing,
            checkpointIntervalMs: app.checkpointIntervalMs,
            systemRollbackEnabled: app === this.world.main ? this.world.scenario.app.systemRollback : true,
            parallelism: app.parallelism,
            tags: { ...app.tags },
          }
        : {}),
    };
  }

  async observe(now: number, only?: readonly string[]): Promise<AppObservation[]> {
    const apps = only
      ? only.map((n) => this.world.apps.get(n)!).filter(Boolean)
      : [...this.world.apps.values()];
    // Full ticks list the fleet; suspect re-checks describe just the suspects.
    if (only) this.calls.DescribeApplication += apps.length;
    else this.calls.ListApplications += Math.max(1, Math.ceil(apps.length / LIST_PAGE));
    this.calls.GetMetricData += Math.ceil(apps.length / METRIC_QUERIES_PER_CALL);
    this.calls.GetMetricDataQueries += apps.length;
    return apps.map((app) => {
      const metric = restartMetricFor(app.runtime);
      const lastCheckpointAt = this.world.lastCheckpointAt(app, now);
      return {
        app: this.info(app, false),
        account: this.scope.account,
        observedAt: now,
        restarts: {
          metric,
          source: 'cloudwatch',
          periodMs: 60_000,
          points: this.world.restartSeries(app, metric, now, this.periods),
        },
        ...(lastCheckpointAt !== undefined ? { lastCheckpointAt } : {}),
        ...(app === this.world.main && this.world.scenario.app.checkpointStallAfter !== undefined
          ? { healing: { checkpointStallAfterMs: this.world.scenario.app.checkpointStallAfter } }
          : {}),
      } satisfies AppObservation;
    });
  }

  async enrich(
    obs: AppObservation[],
    now: number,
    opts: { subtasksFor: ReadonlySet<string> },
  ): Promise<AppObservation[]> {
    return obs.map((o) => {
      const app = this.world.apps.get(o.app.name)!;
      this.calls.DescribeApplication++;
      this.calls.ListApplicationOperations++;
      this.calls.ListApplicationSnapshots++;
      this.calls.ListTagsForResource++;
      this.calls.LogsQuery++;
      const snaps = app.snapshots.filter((s) => s.status === 'READY');
      const lock = this.world.lockAt(now);
      const out: AppObservation = {
        ...o,
        app: this.info(app, true),
        operations: app.operations.map((op) => ({ ...op })),
        snapshots: {
          count: snaps.length,
          ...(snaps.length ? { latest: snaps[snaps.length - 1]! } : {}),
          items: snaps.map((s) => ({ ...s })),
        },
        failures: this.world.failures(app, now, 60 * 60_000),
        externalChanges: this.world.externalChanges
          .filter((c) => c.t <= now)
          .map((c) => ({ at: c.t, kind: c.kind, detail: c.detail })),
        ...(app === this.world.main && lock
          ? { lock: { kind: lock.kind, holder: lock.holder, since: lock.from } }
          : {}),
      };
      if (opts.subtasksFor.has(app.name)) {
        if (!this.world.dashboardAvailable(now)) {
          this.calls.CreateApplicationPresignedUrl++;
          out.subtasks = {
            available: false,
            observedAt: now,
            reason: 'dashboard-unavailable',
            detail: 'CreateApplicationPresignedUrl failed',
          };
        } else if (app.status !== 'RUNNING') {
          out.subtasks = { available: false, observedAt: now, reason: 'not-running' };
        } else {
          this.calls.CreateApplicationPresignedUrl++;
          this.calls.FlinkRest += 2;
          out.subtasks = { available: true, observedAt: now, job: this.world.job(app, now) };
        }
      }
      return out;
    });
  }
}

/** Thrown by the simulated actions port to kill the simulated daemon (kill -9) at a chosen point. */
export class DaemonCrash extends Error {
  constructor(
    readonly at: number,
    readonly during: 'after-intent' | 'after-call',
  ) {
    super(`daemon killed (${during})`);
    this.name = 'DaemonCrash';
  }
}

export class SimActions implements HealerActions {
  readonly notifications: (HealerNotification & { t: number })[] = [];
  private crash: { at: number; during: 'after-intent' | 'after-call' } | undefined;

  constructor(
    private readonly world: SimWorld,
    private readonly now: () => number,
    crash?: { at: number; during: 'after-intent' | 'after-call' | 'idle' },
  ) {
    if (crash && crash.during !== 'idle') this.crash = { at: crash.at, during: crash.during };
  }

  private maybeCrash(phase: 'after-intent' | 'after-call'): void {
    const c = this.crash;
    if (c && c.during === phase && this.now() >= c.at) {
      this.crash = undefined;
      throw new DaemonCrash(this.now(), phase);
    }
  }

  private call(fn: () => ActionResult): ActionResult {
    this.maybeCrash('after-intent');
    const r = fn();
    this.maybeCrash('after-call');
    return r;
  }

  async rollback(target: ActionTarget, currentVersionId: number): Promise<ActionResult> {
    return this.call(() => this.world.rollback(target.name, this.now(), currentVersionId, 'rollback'));
  }
  async forceStop(target: ActionTarget): Promise<ActionResult> {
    return this.call(() => this.world.forceStop(target.name, this.now()));
  }
  async redeploySelfManaged(target: ActionTarget): Promise<ActionResult> {
    return this.call(() => this.world.rollback(target.name, this.now(), undefined, 'self-managed-redeploy'));
  }
  async notify(n: HealerNotification): Promise<void> {
    this.notifications.push({ ...n, t: this.now() });
  }
}
