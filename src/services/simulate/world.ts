/**
 * The simulated world of `healer simulate`: applications whose status, versions, operations,
 * snapshots, restart counter, checkpoints and failures evolve in virtual time from the scenario's
 * events, and that react to the healer's actions (rollback, force-stop, redeploy). It also keeps
 * the ground truth the figures need (when the loop's third restart happened, whether a fault was
 * a system one, whether maintenance or a fleet-wide event was under way).
 */
import type { JobView, MetricPoint } from '../../domain/flink.js';
import type { ActionResult } from '../../healer/act/port.js';
import type { FailureText, RestartMetric } from '../../healer/observation.js';
import { applyScenarioEvent } from './events.js';
import type { Scenario, ScenarioEvent } from './scenario.js';
import { SimApp } from './sim-app.js';

export { SimApp } from './sim-app.js';

/** What the healer's calls did, for the figures. */
export interface WorldAction {
  t: number;
  app: string;
  type: 'rollback' | 'force-stop' | 'self-managed-redeploy';
  result: 'accepted' | 'rejected';
  harmful: string[];
}

/** The whole simulated fleet. */
export class SimWorld {
  readonly apps = new Map<string, SimApp>();
  readonly main: SimApp;
  readonly actions: WorldAction[] = [];
  readonly locks: { from: number; to: number; kind: 'rebalance' | 'streamctl-action'; holder: string }[] = [];
  readonly dashboardLog: { t: number; available: boolean }[];
  readonly externalChanges: { t: number; kind: 'iam' | 'endpoint' | 'network'; detail: string }[] = [];
  fleetEvent?: { from: number; to: number };

  constructor(readonly scenario: Scenario) {
    const a = scenario.app;
    this.main = new SimApp({ ...a });
    this.main.checkpointIntervalMs = a.checkpointInterval;
    this.addHistory(this.main, a.history);
    this.apps.set(a.name, this.main);
    this.dashboardLog = [{ t: 0, available: scenario.world.dashboard === 'available' }];
    for (const e of scenario.world.events) this.applyEvent(this.main, e);
    const f = scenario.fleet;
    for (let i = 1; i <= f.apps; i++) {
      const app = new SimApp({
        name: `fleet-${String(i).padStart(4, '0')}`,
        runtime: 'FLINK-1_20',
        kind: 'managed',
        status: 'RUNNING',
        versionId: 3,
        snapshots: 2,
        snapshotsEnabled: true,
        checkpointing: true,
        parallelism: 2,
        tags: {},
      });
      this.apps.set(app.name, app);
      if (f.looping && i <= f.looping.count) {
        app.loops.push({
          from: f.looping.at + i * 1_000,
          every: f.looping.every,
          endsAt: f.looping.until ?? Number.POSITIVE_INFINITY,
          cause: f.looping.cause,
          exception: f.looping.exception,
          truth: false,
        });
      }
    }
    if (f.looping) this.fleetEvent = { from: f.looping.at, to: f.looping.until ?? Number.POSITIVE_INFINITY };
  }

  /** Operations that finished before t = 0, as ListApplicationOperations lists them. */
  private addHistory(app: SimApp, history: Scenario['app']['history']): void {
    for (const e of history) {
      const end = -e.ago;
      const op = app.addOperation({
        operation: e.operation,
        status: e.status,
        startTime: new Date(end - e.duration).toISOString(),
        endTime: new Date(end).toISOString(),
        ...(e.toVersion !== undefined ? { versionFrom: e.toVersion - 1, versionTo: e.toVersion } : {}),
        ...(e.error ? { errorString: e.error.slice(0, 512) } : {}),
      });
      if (e.systemRollback) {
        const rb = app.addOperation({
          operation: 'RollbackApplication',
          status: 'SUCCESSFUL',
          startTime: new Date(end).toISOString(),
          endTime: new Date(end + 30_000).toISOString(),
        });
        op.rollbackOperationId = rb.operationId;
      }
    }
  }

  /** Applies a scenario event to any app of the fleet (the benchmark scripts a whole fleet this way). */
  applyEventTo(name: string, e: Scenario['world']['events'][number]): void {
    const app = this.apps.get(name);
    if (!app) throw new Error(`no simulated app ${name}`);
    this.applyEvent(app, e);
  }

  private applyEvent(app: SimApp, e: ScenarioEvent): void {
    applyScenarioEvent(this, app, e);
  }

  advanceTo(t: number): void {
    for (const app of this.apps.values()) app.advanceTo(t);
  }

  dashboardAvailable(t: number): boolean {
    let a = this.dashboardLog[0]!.available;
    for (const e of this.dashboardLog) if (e.t <= t) a = e.available;
    return a;
  }

  lockAt(t: number): (typeof this.locks)[number] | undefined {
    return this.locks.find((l) => l.from <= t && t < l.to);
  }

  /** Which restart counter the runtime publishes: Flink 2.x on MSF has only numRestarts. */
  publishes(app: SimApp, metric: RestartMetric): boolean {
    const major = Number(/^FLINK-(\d+)_/.exec(app.runtime)?.[1] ?? 1);
    return metric === 'numRestarts' || major < 2;
  }

  /**
   * CloudWatch Maximum of the counter per 1-minute period, as visible at `now` (a period's datapoint
   * appears `cloudwatchDelay` after the samples it covers); no datapoint while stopped, in the
   * scenario's missing windows, or for a metric the runtime does not publish.
   */
  restartSeries(app: SimApp, metric: RestartMetric, now: number, periods: number): MetricPoint[] {
    const delay = this.scenario.world.cloudwatchDelay;
    const restarts = app.restartsUntil(now);
    const lastPeriod = Math.floor(now / 60_000) * 60_000;
    const out: MetricPoint[] = [];
    for (let k = periods - 1; k >= 0; k--) {
      const p = lastPeriod - k * 60_000;
      const visibleEnd = Math.min(p + 60_000, now - delay);
      const missing =
        this.scenario.world.metricsMissing.some((m) => p >= m.from && p < m.to) && app === this.main;
      const running =
        ['RUNNING', 'UPDATING', 'AUTOSCALING', 'MAINTENANCE', 'ROLLING_BACK'].includes(app.statusAt(p)) ||
        ['RUNNING', 'UPDATING', 'AUTOSCALING', 'MAINTENANCE', 'ROLLING_BACK'].includes(
          app.statusAt(Math.max(p, visibleEnd - 1)),
        );
      if (visibleEnd <= p || missing || !running || !this.publishes(app, metric)) {
        out.push({ t: p, value: undefined });
        continue;
      }
      const samples = [
        p,
        visibleEnd - 1,
        ...restarts.filter((r) => r.t >= p && r.t < visibleEnd).map((r) => r.t),
        ...app.resets.filter((r) => r > p && r < visibleEnd).map((r) => r - 1),
      ];
      out.push({ t: p, value: Math.max(...samples.map((s) => app.counterAt(s, restarts))) });
    }
    return out;
  }

  /**
   * The failures of the last `lookbackMs`, oldest first, at most the newest 16 (Flink's exception
   * history keeps 16 by default, web.exception-history-size): a slow loop's first failure is
   * minutes old when it is detected.
   */
  failures(app: SimApp, now: number, lookbackMs: number): FailureText[] {
    return app
      .restartsUntil(now)
      .filter((r) => r.t > now - lookbackMs)
      .slice(-16)
      .map((r) => ({ at: r.t, text: r.text, source: 'exceptions' as const }));
  }

  /** The last completed checkpoint (every interval while RUNNING without a restart in the interval before). */
  lastCheckpointAt(app: SimApp, now: number): number | null | undefined {
    if (!app.checkpointing) return undefined;
    const restarts = app.restartsUntil(now);
    const every = app.checkpointIntervalMs;
    for (
      let c = Math.floor(Math.min(now, app.checkpointsStopAt) / every) * every;
      c > now - 6 * 3_600_000;
      c -= every
    ) {
      if (app.statusAt(c) !== 'RUNNING') continue;
      if (restarts.some((r) => r.t > c - every && r.t <= c)) continue;
      if (c >= app.checkpointsStopAt) continue;
      return c;
    }
    return null;
  }

  /** Subtasks as presigned Flink REST would show them at `now`. */
  job(app: SimApp, now: number): JobView {
    const loop = app.activeLoop(now);
    const restarts = app.restartsUntil(now);
    const last = restarts[restarts.length - 1];
    const recovering = loop && last && now - last.t < Math.min(loop.every / 2, 20_000);
    const p = app.parallelism;
    const subtasks = recovering ? { CANCELED: Math.max(1, p - 1), FAILED: 1 } : { RUNNING: p };
    return {
      id: `${app.name}-job`,
      name: app.name,
      state: recovering ? 'RESTARTING' : 'RUNNING',
      subtasks,
      vertices: [],
    };
  }

  private harm(app: SimApp, type: WorldAction['type'], t: number): string[] {
    const harm: string[] = [];
    const loop = app.activeLoop(t);
    if (type === 'rollback' && loop?.cause === 'system') harm.push('rollback on a system fault');
    if (app.inMaintenance(t) || app.status === 'MAINTENANCE') harm.push('action during maintenance');
    if (this.fleetEvent && t >= this.fleetEvent.from && t < this.fleetEvent.to)
      harm.push('action during a fleet-wide event');
    const expected = this.scenario.expect.actions;
    const accepted = this.actions.filter((a) => a.app === app.name && a.result === 'accepted').length;
    if (app === this.main && expected && accepted >= expected.length)
      harm.push(`action beyond the expected count (${expected.length})`);
    const cooldown = 30 * 60_000;
    if (
      this.actions.some(
        (a) => a.app === app.name && a.type === type && a.result === 'accepted' && t - a.t < cooldown,
      )
    )
      harm.push('duplicate action');
    return harm;
  }

  private reject(
    app: SimApp,
    type: WorldAction['type'],
    t: number,
    code: string,
    message: string,
  ): ActionResult {
    this.actions.push({ t, app: app.name, type, result: 'rejected', harmful: this.harm(app, type, t) });
    return { ok: false, error: { code, message, transient: false } };
  }

  /** RollbackApplication (or a self-managed redeploy of the previous jar). */
  rollback(
    name: string,
    t: number,
    currentVersionId: number | undefined,
    type: 'rollback' | 'self-managed-redeploy',
  ): ActionResult {
    const app = this.apps.get(name)!;
    const resp =
      type === 'rollback' ? this.scenario.world.responses.rollback : this.scenario.world.responses.redeploy;
    if (type === 'rollback') {
      if (!['RUNNING', 'UPDATING', 'AUTOSCALING'].includes(app.status))
        return this.reject(
          app,
          type,
          t,
          'ResourceInUseException',
          `Application ${name} is in ${app.status} status`,
        );
      if (app.snapshots.filter((s) => s.status === 'READY').length === 0)
        return this.reject(app, type, t, 'InvalidRequestException', 'No snapshot available to roll back to');
      if (currentVersionId !== app.versionId)
        return this.reject(
          app,
          type,
          t,
          'ConcurrentModificationException',
          `Current version is ${app.versionId}`,
        );
    }
    if (resp.result === 'rejected')
      return this.reject(
        app,
        type,
        t,
        (resp.error ?? 'InvalidRequestException').split(':')[0]!,
        (resp.error ?? 'rejected').replace(/^\w+:\s*/, ''),
      );
    const harmful = this.harm(app, type, t);
    this.actions.push({ t, app: name, type, result: 'accepted', harmful });
    const settle = t + resp.settleAfter;
    const op = app.addOperation({
      operation: type === 'rollback' ? 'RollbackApplication' : 'SubmitJob',
      status: 'IN_PROGRESS',
      startTime: new Date(t).toISOString(),
    });
    for (const inflight of app.operations)
      if (inflight !== op && inflight.status === 'IN_PROGRESS') {
        inflight.status = 'CANCELLED';
        inflight.endTime = new Date(t).toISOString();
      }
    app.setStatus(t, type === 'rollback' ? 'ROLLING_BACK' : 'UPDATING');
    app.schedule(settle, () => {
      op.status = 'SUCCESSFUL';
      op.endTime = new Date(settle).toISOString();
      app.versionId += 1;
      app.resets.push(settle);
      app.setStatus(settle, 'RUNNING');
      if (resp.heals || resp.loop) for (const l of app.loops) if (l.endsAt > settle) l.endsAt = settle;
      // The world's answer to a rollback that does not heal: another loop (e.g. the old version
      // cannot read the state the new one wrote), or by default the same loop going on.
      if (!resp.heals && resp.loop)
        app.loops.push({
          from: settle + resp.loop.every,
          every: resp.loop.every,
          endsAt: resp.loop.until !== undefined ? settle + resp.loop.until : Number.POSITIVE_INFINITY,
          cause: resp.loop.cause,
          exception: resp.loop.exception,
          truth: false,
        });
    });
    return { ok: true, operationId: op.operationId };
  }

  /** StopApplication Force=true. */
  forceStop(name: string, t: number): ActionResult {
    const app = this.apps.get(name)!;
    const resp = this.scenario.world.responses.forceStop;
    if (!['STARTING', 'UPDATING', 'STOPPING', 'AUTOSCALING', 'RUNNING'].includes(app.status))
      return this.reject(
        app,
        'force-stop',
        t,
        'ResourceInUseException',
        `Application ${name} is in ${app.status} status`,
      );
    if (resp.result === 'rejected')
      return this.reject(app, 'force-stop', t, 'InvalidRequestException', resp.error ?? 'rejected');
    this.actions.push({
      t,
      app: name,
      type: 'force-stop',
      result: 'accepted',
      harmful: this.harm(app, 'force-stop', t),
    });
    const op = app.addOperation({
      operation: 'StopApplication',
      status: 'IN_PROGRESS',
      startTime: new Date(t).toISOString(),
    });
    app.setStatus(t, 'FORCE_STOPPING');
    for (const l of app.loops) if (l.endsAt > t) l.endsAt = t;
    const settle = t + resp.settleAfter;
    app.schedule(settle, () => {
      op.status = 'SUCCESSFUL';
      op.endTime = new Date(settle).toISOString();
      app.resets.push(settle);
      app.setStatus(settle, 'READY');
    });
    return { ok: true, operationId: op.operationId };
  }

  /** Ground truth: the time of the third restart of the main app's first scenario loop. */
  thirdLoopRestart(): number | undefined {
    const l = this.main.loops.find((x) => x.truth);
    if (!l) return undefined;
    const third = l.from + 2 * l.every;
    return third < l.endsAt ? third : undefined;
  }

  firstLoopRestart(): number | undefined {
    return this.main.loops.find((x) => x.truth)?.from;
  }
}
