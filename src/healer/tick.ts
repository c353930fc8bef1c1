/**
 * One healer tick over the fleet (or a subset of suspects): observe → detect → classify → decide →
 * act → verify → record. This is the orchestration shared by the daemon (live ports),
 * `healer simulate` (simulated ports, virtual time) and the benchmark. All decisions are made by
 * the pure engine; this file only sequences the ports and the journal.
 */
import type { HealerActions, HealerNotification } from './act/port.js';
import { type ActionRun, performAction } from './act/runner.js';
import type { Anomaly } from './anomaly.js';
import type { FailureClassifier } from './classifier.js';
import type { Decision } from './decide/decision.js';
import {
  actionAccepted,
  actionRejected,
  beginAction,
  detectApp,
  isLooping,
  type StepResult,
  stepApp,
} from './engine.js';
import type { Incident } from './incident.js';
import type { HealerJournal } from './journal/port.js';
import { type AppObservation, type FleetContext, fleetScope } from './observation.js';
import type { HealerPolicy } from './policy.js';
import { type AppHealerState, actionsInLastHour, type FleetHealerState } from './state.js';

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

function notificationFor(
  incident: Incident,
  d: Decision,
  event: HealerNotification['event'],
  now: number,
): HealerNotification | undefined {
  const base = { incidentKey: incident.key, app: incident.app, event };
  switch (d.kind) {
    case 'page':
      return {
        ...base,
        severity: d.severity,
        reason: d.reason,
        summary: d.diagnosis.summary,
        diagnosis: d.diagnosis,
      };
    case 'act':
      return {
        ...base,
        severity: d.thenPage ?? 'warning',
        reason: d.reason,
        summary: d.diagnosis.summary,
        diagnosis: d.diagnosis,
      };
    case 'record': {
      // A withheld action (dry-run, opt-out, outside hours) leaves the problem to a human: say so.
      const p = d.proposed;
      if (d.reason === 'gave-up' || (p.kind !== 'act' && p.kind !== 'page')) return undefined;
      return {
        ...base,
        severity: p.kind === 'act' ? 'critical' : p.severity,
        reason: d.reason,
        summary: `Not done (${d.reason}): ${p.diagnosis.summary}`,
        diagnosis: p.diagnosis,
      };
    }
    case 'wait':
      // A problem the healer must not touch for a while (cooldown, a rebalance holds the target).
      if (d.reason !== 'cooldown' && d.reason !== 'target-locked') return undefined;
      // The cooldown after this incident's own action is expected, not news.
      if (d.reason === 'cooldown' && incident.actions.length > 0) return undefined;
      return {
        ...base,
        severity: 'warning',
        reason: d.reason,
        summary: `${incident.app}: ${incident.kind} detected; no automatic action before ${new Date(now + d.afterMs).toISOString()} (${d.reason}).`,
      };
    default:
      return undefined;
  }
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
  let actionTimes = prev.actionTimes.filter((t) => t > now - 3_600_000);
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
    fleetView[o.app.name] = { scope: fleetScope(o), looping: isLooping(anomalies[i]!) };
  });
  const contexts = new Map<string, FleetContext>();
  for (const v of Object.values(fleetView)) {
    const c = contexts.get(v.scope) ?? { scope: v.scope, appsTotal: 0, appsLooping: 0 };
    c.appsTotal++;
    if (v.looping) c.appsLooping++;
    contexts.set(v.scope, c);
  }

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
      // The outcome of an action is news even when nothing was paged before (e.g. after a crash).
      const v = result.verification;
      await deps.actions.notify({
        incidentKey: s.incident.key,
        app: name,
        event: s.incident.lastNotified ? 'update' : 'trigger',
        severity: v.kind === 'healed' ? (v.via === 'stopped' ? 'critical' : 'info') : 'critical',
        reason: v.kind === 'healed' ? 'action-verified' : 'action-failed',
        summary:
          v.kind === 'healed'
            ? `${name}: ${v.via === 'stopped' ? 'stopped' : 'healed'} (${v.evidence}).`
            : `${name}: the action failed: ${v.reason} (${v.evidence}).`,
      });
      s = { ...s, incident: { ...s.incident, lastNotified: `verify:${v.kind}` } };
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

    // One incident per problem: notify on a new decision for it, and on resolution. A fleet-wide
    // event is one incident for the account/region, paged once, not once per looping app.
    if (s.incident) {
      let inc = s.incident;
      const key = `${d.kind}:${d.reason}`;
      if (d.kind === 'page' && d.reason === 'fleet-wide-event' && inc.lastNotified !== key) {
        const scope = fleetScope(obs);
        let fi = fleetIncidents[scope];
        if (!fi) {
          fi = { key: `fleet/${scope}/${new Date(now).toISOString()}`, openedAt: now, apps: [] };
          await deps.actions.notify({
            incidentKey: fi.key,
            app: scope,
            event: 'trigger',
            severity: d.severity,
            reason: d.reason,
            summary: d.diagnosis.summary,
            diagnosis: d.diagnosis,
          });
        }
        fleetIncidents[scope] = { ...fi, apps: [...new Set([...fi.apps, name])] };
        inc = { ...inc, lastNotified: key };
        s = { ...s, incident: inc };
        apps[name] = s;
      }
      const n =
        inc.status === 'open' && inc.lastNotified !== key
          ? notificationFor(inc, d, inc.lastNotified ? 'update' : 'trigger', now)
          : undefined;
      if (n) {
        await deps.actions.notify(n);
        inc = { ...inc, lastNotified: key };
        s = { ...s, incident: inc };
        apps[name] = s;
      }
      if (
        result.events.some((e) => e.type === 'resolved') &&
        inc.lastNotified &&
        inc.lastNotified !== 'page:fleet-wide-event'
      ) {
        await deps.actions.notify({
          incidentKey: inc.key,
          app: name,
          event: 'resolve',
          severity: 'info',
          reason: 'resolved',
          summary: `${name} is healthy again.`,
        });
      }
      if (inc !== before?.incident) await deps.journal.upsertIncident(inc);
    }

    if (d.kind === 'check' || d.kind === 'wait') report.nextCheckAt = now + d.afterMs;
    else if (s.phase === 'verifying') report.nextCheckAt = now + policy.suspectCheckIntervalMs;
    reports.push(report);
  }
  // A fleet-wide incident resolves when nothing in its scope loops any more.
  for (const [scope, fi] of Object.entries(fleetIncidents)) {
    if ((contexts.get(scope)?.appsLooping ?? 0) > 0) continue;
    await deps.actions.notify({
      incidentKey: fi.key,
      app: scope,
      event: 'resolve',
      severity: 'info',
      reason: 'resolved',
      summary: `No application in ${scope} is looping any more (${fi.apps.length} were).`,
    });
    delete fleetIncidents[scope];
  }
  return { state: state(), report: { at: now, apps: reports, enriched: toEnrich.length } };
}
