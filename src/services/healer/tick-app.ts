/**
 * One application's part of a healer tick (tick.ts): the pure step (healer/engine.ts), then its
 * records, the action and the incident's notifications, in the order that keeps the journal one
 * that resume can trust.
 */
import type { Anomaly } from '../../healer/anomaly.js';
import {
  actionAccepted,
  actionRejected,
  beginAction,
  type StepResult,
  stepApp,
} from '../../healer/engine.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import { type AppObservation, type FleetContext, fleetScope } from '../../healer/observation.js';
import { type AppHealerState, actionsInLastHour, type FleetHealerState } from '../../healer/state.js';
import { type ActionRun, performAction } from './act/runner.js';
import { notifyIncident, notifyVerification } from './notify.js';
import type { AppTickReport, TickDeps } from './tick-types.js';

/**
 * One application's part of the tick: the pure step, then its records in order (the outcome of
 * an earlier action, the decision), the action if any, and the incident notified and kept.
 * `w.apps` holds the app's latest state at every await, so what is journaled matches it.
 */
export async function tickApp(
  deps: TickDeps,
  w: Required<FleetHealerState>,
  obs: AppObservation,
  anomalies: Anomaly[],
  fleet: FleetContext,
  now: number,
): Promise<AppTickReport> {
  const { policy } = deps;
  const name = obs.app.name;
  const before = w.apps[name];
  const { result, nextState } = stepApp(
    {
      obs,
      anomalies,
      fleet,
      policy,
      now,
      classifier: deps.classifier,
      actionsInLastHour: actionsInLastHour(w, now),
      healingEnabled: deps.healingEnabled(name),
    },
    before,
  );
  const keep = (s: AppHealerState): AppHealerState => {
    w.apps[name] = s;
    return s;
  };
  let s = keep(nextState);
  const report: AppTickReport = { app: name, observation: obs, ...result };
  const d = result.decision;
  if (before?.action) await recordOutcome(deps.journal, before.action.intentId, result, now);
  if (result.verification && result.verification.kind !== 'pending' && s.incident) {
    s = keep({ ...s, incident: await notifyVerification(deps.actions, s.incident, result.verification) });
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
  if (d.kind === 'act') {
    const acted = await act(deps, w, obs, d, s, before, now);
    s = keep(acted.state);
    report.action = acted.run;
  }
  // One incident per problem, notified on change (notify.ts); durable after every change.
  if (s.incident) {
    const inc = await notifyIncident(
      deps.actions,
      s.incident,
      d,
      result.events,
      fleetScope(obs),
      w.fleetIncidents,
      now,
    );
    if (inc !== s.incident) s = keep({ ...s, incident: inc });
    if (inc !== before?.incident) await deps.journal.upsertIncident(inc);
  }
  if (d.kind === 'check' || d.kind === 'wait') report.nextCheckAt = now + d.afterMs;
  else if (s.phase === 'verifying') report.nextCheckAt = now + policy.suspectCheckIntervalMs;
  return report;
}

/** Journals what became of an earlier intent: reconciled after a crash, or verified. */
async function recordOutcome(
  journal: HealerJournal,
  intentId: string,
  result: StepResult,
  now: number,
): Promise<void> {
  const r = result.reconciliation;
  if (r && r.kind !== 'retry-later') {
    await journal.recordOutcome({
      intentId,
      at: now,
      status: r.kind === 'happened' ? 'reconciled-happened' : 'reconciled-not-happened',
      ...(r.kind === 'happened' && r.operation.operationId ? { operationId: r.operation.operationId } : {}),
      detail:
        r.kind === 'happened'
          ? `${r.operation.operation} ${r.operation.status} started ${r.operation.startTime}`
          : 'no matching operation: the call never reached MSF',
    });
  }
  const v = result.verification;
  if (v && v.kind !== 'pending') {
    await journal.recordOutcome({
      intentId,
      at: now,
      status: v.kind === 'healed' ? (v.via === 'stopped' ? 'stopped' : 'healed') : 'failed',
      detail: v.kind === 'healed' ? `${v.via}: ${v.evidence}` : `${v.reason}: ${v.evidence}`,
    });
  }
}

/**
 * Performs the decided action. The incident is durable before any action on it, and again once
 * the intent is added to it, so a crash between intent and outcome leaves a journal that resume
 * can trust.
 */
async function act(
  deps: TickDeps,
  w: Required<FleetHealerState>,
  obs: AppObservation,
  d: Extract<StepResult['decision'], { kind: 'act' }>,
  current: AppHealerState,
  before: AppHealerState | undefined,
  now: number,
): Promise<{ state: AppHealerState; run: ActionRun }> {
  const name = obs.app.name;
  let s = current;
  if (s.incident && s.incident !== before?.incident) await deps.journal.upsertIncident(s.incident);
  const run = await performAction(
    { actions: deps.actions, journal: deps.journal, now: deps.now },
    obs,
    d,
    s.incident?.key,
    async (intentId) => {
      s = beginAction(s, d.action, intentId, now, deps.policy);
      w.apps[name] = s;
      w.actionTimes = [...w.actionTimes, now];
      if (s.incident) await deps.journal.upsertIncident(s.incident);
    },
  );
  s = run.result.ok ? actionAccepted(s, now, run.result.operationId) : actionRejected(s, now);
  return { state: s, run };
}

/** The observation in brief, as the journal keeps it beside a decision. */
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
