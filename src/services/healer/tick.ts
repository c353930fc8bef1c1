/**
 * One healer tick over the fleet (or a subset of suspects): observe → detect → classify → decide →
 * act → verify → record. This is the orchestration shared by the daemon (live ports),
 * `healer simulate` (simulated ports, virtual time) and the benchmark. All decisions are made by
 * the pure engine; this file only sequences the ports and the journal.
 */
import type { HealerActions } from '../../healer/act/port.js';
import type { Anomaly } from '../../healer/anomaly.js';
import type { FailureClassifier } from '../../healer/classifier.js';
import {
  actionAccepted,
  actionRejected,
  beginAction,
  detectApp,
  isLooping,
  type StepResult,
  stepApp,
} from '../../healer/engine.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import { type AppObservation, type FleetContext, fleetScope } from '../../healer/observation.js';
import type { HealerPolicy } from '../../healer/policy.js';
import { type AppHealerState, actionsInLastHour, type FleetHealerState } from '../../healer/state.js';
import { type ActionRun, performAction } from './act/runner.js';
import { notifyIncident, notifyVerification, resolveFleetIncidents } from './notify.js';

/** The observer port: the base tier for every app, the enriched tier for a few. */
export interface FleetObserver {
  /** Base tier: status, version, tags, restart counter (batched), for all apps or the named ones. */
  observe(now: number, apps?: readonly string[]): Promise<AppObservation[]>;
  /** Enriched tier: operations, snapshots, failure texts; subtasks (presigned REST) only for `subtasksFor`. */
  enrich(
    obs: AppObservation[],
    now: number,
    opts: { subtasksFor: ReadonlySet<string> },
  ): Promise<AppObservation[]>;
}

export interface TickDeps {
  observer: FleetObserver;
  actions: HealerActions;
  journal: HealerJournal;
  classifier: FailureClassifier;
  policy: HealerPolicy;
  /** flink.applications[].healing.enabled (true for discovered applications). */
  healingEnabled(app: string): boolean;
  /** The clock for journal timestamps inside the tick (virtual in simulation). */
  now(): number;
  /**
   * Sharded daemons (fleet-peers.ts): publishes this shard's fleet counts under its token and
   * returns the whole fleet's (the other shards' fresh counts added), so the fleet breaker sees
   * every shard. Absent: this tick sees the whole fleet already.
   */
  fleetPeers?: FleetPeers;
}

/** The fleet counts of the other shards (see TickDeps.fleetPeers). */
export interface FleetPeers {
  exchange(local: readonly FleetContext[], now: number): Promise<readonly FleetContext[]>;
  /** When the fleet's actions of the last hour started, every shard's (the hourly budget). */
  actionTimes(now: number): Promise<number[]>;
}

export interface AppTickReport extends StepResult {
  app: string;
  observation: AppObservation;
  action?: ActionRun;
  /** When this app should be looked at again (check/wait decisions), epoch ms. */
  nextCheckAt?: number;
}

export interface TickReport {
  at: number;
  apps: AppTickReport[];
  enriched: number;
}

const BUSY_STATUSES = new Set([
  'UPDATING',
  'AUTOSCALING',
  'MAINTENANCE',
  'ROLLING_BACK',
  'STARTING',
  'STOPPING',
  'FORCE_STOPPING',
]);
const CHANGE_STATUSES = new Set(['UPDATING', 'AUTOSCALING', 'ROLLING_BACK', 'STARTING', 'MAINTENANCE']);

/** Whether an app needs the enriched tier this tick (keeps DescribeApplication & co. off quiet apps). */
export function needsEnrichment(
  obs: AppObservation,
  base: readonly Anomaly[],
  s: AppHealerState | undefined,
): boolean {
  if (base.some((a) => a.kind !== 'restart-metric-unknown')) return true;
  if (BUSY_STATUSES.has(obs.app.status)) return true;
  // A stopped application seen for the first time (daemon start): it may have been left READY by
  // a failed update that nothing rolled back. Running ones show their trouble in the counter.
  if (!s && obs.app.status === 'READY') return true;
  if (s && (s.phase !== 'watching' || s.incident?.status === 'open')) return true;
  return s !== undefined && s.status !== undefined && s.status !== obs.app.status;
}

/** Whether to poll subtasks (presigned REST): only right after an operation or while verifying — never continuously. */
export function wantsSubtasks(obs: AppObservation, s: AppHealerState | undefined): boolean {
  if (obs.app.status !== 'RUNNING') return false;
  if (s?.phase === 'verifying') return true;
  return s?.status !== undefined && CHANGE_STATUSES.has(s.status);
}

function summarize(o: AppObservation): Record<string, unknown> {
  const pts = o.restarts?.points.slice(-6).map((p) => p.value ?? null);
  return {
    status: o.app.status,
    versionId: o.app.versionId,
    runtime: o.app.runtime,
    restarts: o.restarts ? { metric: o.restarts.metric, last: pts } : 'unknown',
    snapshots: o.snapshots?.count,
    subtasks: o.subtasks ? (o.subtasks.available ? o.subtasks.job.subtasks : o.subtasks.reason) : undefined,
  };
}

/** Each account/region's counts over the apps this tick's state knows (the fleet breaker's input). */
function localContexts(fleetView: FleetHealerState['fleetView']): Map<string, FleetContext> {
  const contexts = new Map<string, FleetContext>();
  for (const v of Object.values(fleetView)) {
    const c = contexts.get(v.scope) ?? { scope: v.scope, appsTotal: 0, appsLooping: 0, appsRestarting: 0 };
    c.appsTotal++;
    if (v.looping) c.appsLooping++;
    if (v.restarting) c.appsRestarting = (c.appsRestarting ?? 0) + 1;
    contexts.set(v.scope, c);
  }
  return contexts;
}

/** Runs one tick. `only` restricts observation to suspects (the fast re-check). */
export async function runTick(
  deps: TickDeps,
  prev: FleetHealerState,
  now: number,
  only?: readonly string[],
): Promise<{ state: FleetHealerState; report: TickReport }> {
  const { policy } = deps;
  const apps: Record<string, AppHealerState> = { ...prev.apps };
  const fleetView = { ...prev.fleetView };
  let actionTimes = deps.fleetPeers
    ? await deps.fleetPeers.actionTimes(now)
    : prev.actionTimes.filter((t) => t > now - 3_600_000);
  const fleetIncidents = { ...(prev.fleetIncidents ?? {}) };
  const state = (): FleetHealerState => ({ apps, actionTimes, fleetView, fleetIncidents });

  // Observe (base tier), detect, enrich what needs it, detect again on the richer picture.
  let observations = await deps.observer.observe(now, only);
  const base = observations.map((o) => detectApp(o, apps[o.app.name], policy, now));
  const toEnrich = observations.filter((o, i) => needsEnrichment(o, base[i]!, apps[o.app.name]));
  let anomalies = base;
  if (toEnrich.length > 0) {
    const subtasksFor = new Set(
      toEnrich.filter((o) => wantsSubtasks(o, apps[o.app.name])).map((o) => o.app.name),
    );
    const enriched = new Map(
      (await deps.observer.enrich(toEnrich, now, { subtasksFor })).map((o) => [o.app.name, o]),
    );
    observations = observations.map((o) => enriched.get(o.app.name) ?? o);
    anomalies = observations.map((o, i) =>
      enriched.has(o.app.name) ? detectApp(o, apps[o.app.name], policy, now) : base[i]!,
    );
  }

  // Fleet context per account/region, from every app's latest detection.
  observations.forEach((o, i) => {
    const a = anomalies[i]!;
    fleetView[o.app.name] = {
      scope: fleetScope(o),
      looping: isLooping(a),
      restarting: isLooping(a) || a.some((x) => x.kind === 'restarts-below-threshold'),
    };
  });
  let contexts = localContexts(fleetView);
  if (deps.fleetPeers)
    contexts = new Map(
      (await deps.fleetPeers.exchange([...contexts.values()], now)).map((c) => [c.scope, c]),
    );

  const reports: AppTickReport[] = [];
  for (let i = 0; i < observations.length; i++) {
    const obs = observations[i]!;
    const name = obs.app.name;
    const before = apps[name];
    const { result, nextState } = stepApp(
      {
        obs,
        anomalies: anomalies[i]!,
        fleet: contexts.get(fleetScope(obs))!,
        policy,
        now,
        classifier: deps.classifier,
        actionsInLastHour: actionsInLastHour(state(), now),
        healingEnabled: deps.healingEnabled(name),
      },
      before,
    );
    let s = nextState;
    apps[name] = s;
    const report: AppTickReport = { app: name, observation: obs, ...result };
    const d = result.decision;

    if (result.reconciliation && before?.action) {
      const r = result.reconciliation;
      if (r.kind !== 'retry-later') {
        await deps.journal.recordOutcome({
          intentId: before.action.intentId,
          at: now,
          status: r.kind === 'happened' ? 'reconciled-happened' : 'reconciled-not-happened',
          ...(r.kind === 'happened' && r.operation.operationId
            ? { operationId: r.operation.operationId }
            : {}),
          detail:
            r.kind === 'happened'
              ? `${r.operation.operation} ${r.operation.status} started ${r.operation.startTime}`
              : 'no matching operation: the call never reached MSF',
        });
      }
    }
    if (result.verification && before?.action && result.verification.kind !== 'pending') {
      const v = result.verification;
      await deps.journal.recordOutcome({
        intentId: before.action.intentId,
        at: now,
        status: v.kind === 'healed' ? (v.via === 'stopped' ? 'stopped' : 'healed') : 'failed',
        detail: v.kind === 'healed' ? `${v.via}: ${v.evidence}` : `${v.reason}: ${v.evidence}`,
      });
    }
    if (result.verification && result.verification.kind !== 'pending' && s.incident) {
      s = { ...s, incident: await notifyVerification(deps.actions, s.incident, result.verification) };
      apps[name] = s;
    }
    if (result.decisionChanged || d.kind === 'act') {
      await deps.journal.recordDecision({
        at: now,
        app: name,
        ...(s.incident ? { incidentKey: s.incident.key } : {}),
        decision: d,
        anomalies: result.anomalies,
        ...(result.classification ? { classification: result.classification } : {}),
        evidence: summarize(obs),
      });
    }

    // The incident is durable before any action on it, and again once the intent is added to it,
    // so a crash between intent and outcome leaves a journal that resume can trust.
    if (s.incident && s.incident !== before?.incident && d.kind === 'act')
      await deps.journal.upsertIncident(s.incident);
    if (d.kind === 'act') {
      const run = await performAction(
        { actions: deps.actions, journal: deps.journal, now: deps.now },
        obs,
        d,
        s.incident?.key,
        async (intentId) => {
          s = beginAction(s, d.action, intentId, now, policy);
          apps[name] = s;
          actionTimes = [...actionTimes, now];
          if (s.incident) await deps.journal.upsertIncident(s.incident);
        },
      );
      s = run.result.ok ? actionAccepted(s, now, run.result.operationId) : actionRejected(s, now);
      apps[name] = s;
      report.action = run;
    }

    // One incident per problem, notified on change (notify.ts); durable after every change.
    if (s.incident) {
      const inc = await notifyIncident(
        deps.actions,
        s.incident,
        d,
        result.events,
        fleetScope(obs),
        fleetIncidents,
        now,
      );
      if (inc !== s.incident) {
        s = { ...s, incident: inc };
        apps[name] = s;
      }
      if (inc !== before?.incident) await deps.journal.upsertIncident(inc);
    }

    if (d.kind === 'check' || d.kind === 'wait') report.nextCheckAt = now + d.afterMs;
    else if (s.phase === 'verifying') report.nextCheckAt = now + policy.suspectCheckIntervalMs;
    reports.push(report);
  }
  await resolveFleetIncidents(deps.actions, fleetIncidents, contexts);
  return { state: state(), report: { at: now, apps: reports, enriched: toEnrich.length } };
}
