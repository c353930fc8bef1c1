/**
 * Replays a scenario in virtual time with the SAME detectors, classifier and policy as the daemon
 * (through `runTick`), against a simulated fleet that reacts to actions, then checks the scenario's
 * expectations and computes the figures (detection latency, decision and reason, time to recovery,
 * harmful actions, API calls).
 */

import { VirtualClock } from '../../core/clock.js';
import type { Anomaly } from '../../healer/anomaly.js';
import { defaultClassifier, effectiveVerdict, type FailureClassifier } from '../../healer/classifier.js';
import type { Decision, Reason } from '../../healer/decide/decision.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import { onProbation, resumeFleetState } from '../../healer/journal/resume.js';
import { type HealerPolicy, policyFromConfig } from '../../healer/policy.js';
import { type FleetHealerState, initialFleetState } from '../../healer/state.js';
import { MemoryJournal } from '../healer/journal/memory.js';
import { runTick, type TickDeps } from '../healer/tick.js';
import { checkExpectations } from './expect.js';
import {
  formatOffset,
  type SimulationFigures,
  type SimulationResult,
  type TimelineEntry,
} from './figures.js';
import { DaemonCrash, SimActions, SimObserver } from './ports.js';
import type { Scenario } from './scenario.js';
import { SimWorld } from './world.js';

const STEP_MS = 5_000;
const DECISIVE = new Set(['act', 'page', 'record']);

function decisionText(d: Decision): string {
  switch (d.kind) {
    case 'act':
      return `act ${d.action.type} [${d.reason}] ${d.diagnosis.summary}`;
    case 'page':
      return `page ${d.severity} [${d.reason}] ${d.diagnosis.summary}`;
    case 'record':
      return `record [${d.reason}] would: ${d.proposed.kind}${d.proposed.kind === 'act' ? ` ${d.proposed.action.type}` : ''} [${d.proposed.reason}]`;
    case 'wait':
    case 'check':
      return `${d.kind} ${formatOffset(d.afterMs)} [${d.reason}]`;
    case 'ignore':
      return `ignore [${d.reason}]`;
  }
}

/** Runs one scenario. */
export async function simulate(
  scenario: Scenario,
  opts: { file?: string; classifier?: FailureClassifier; journal?: HealerJournal } = {},
): Promise<SimulationResult> {
  const policy: HealerPolicy = policyFromConfig(scenario.healer);
  const world = new SimWorld(scenario);
  const journal = opts.journal ?? new MemoryJournal();
  // Virtual time: the clock only moves when the driver advances it.
  const clock = new VirtualClock(0);
  let now = clock.now();
  const observer = new SimObserver(
    world,
    { account: scenario.app.account, region: scenario.app.region },
    policy.loop.lookbackPeriods,
  );
  const actions = new SimActions(world, () => now, scenario.world.crash);
  const main = scenario.app.name;
  const deps: TickDeps = {
    observer,
    actions,
    journal,
    classifier: opts.classifier ?? defaultClassifier,
    policy,
    healingEnabled: (app) => (app === main ? scenario.app.healing : true),
    now: () => now,
  };

  const timeline: TimelineEntry[] = [];
  const reasons: Reason[] = [];
  const fleetDecisions: Record<string, number> = {};
  let fleet: FleetHealerState = initialFleetState();
  let nextFull = 0;
  const nextCheck = new Map<string, number>();
  let downUntil: number | undefined;
  let idleCrash = scenario.world.crash?.during === 'idle' ? scenario.world.crash : undefined;
  let ticks = 0;
  let detectedAt: number | undefined;
  let firstDecision: SimulationFigures['firstDecision'];
  let healedAt: number | undefined;
  let lastMainKey: string | undefined;
  let classifiedAs: SimulationFigures['classifiedAs'];
  let pageDecisions = 0;

  const noteDetection = (t: number, anomalies: readonly Anomaly[]) => {
    const a = anomalies.find((x) => x.kind === 'restart-loop');
    if (detectedAt !== undefined || !a || a.kind !== 'restart-loop') return;
    detectedAt = t;
    timeline.push({
      t,
      app: main,
      what: 'detect',
      text: `restart loop: ${a.restarts} restarts in ${a.periods} periods (${a.metric})`,
    });
  };
  const noteDecision = (t: number, d: Decision, force: boolean) => {
    const key = `${d.kind}:${d.reason}`;
    if (key !== lastMainKey || d.kind === 'act' || force) {
      timeline.push({ t, app: main, what: 'decision', text: decisionText(d) });
      if (reasons[reasons.length - 1] !== d.reason) reasons.push(d.reason);
      lastMainKey = key;
    }
    if (!firstDecision && DECISIVE.has(d.kind)) firstDecision = { t, kind: d.kind, reason: d.reason };
  };

  const crash = async (t: number, why: string) => {
    fleet = initialFleetState();
    nextCheck.clear();
    downUntil = t + (scenario.world.crash?.downFor ?? 30_000);
    timeline.push({
      t,
      app: main,
      what: 'crash',
      text: `daemon killed (${why}); in-memory state lost, the journal survives; down for ${formatOffset(downUntil - t)}`,
    });
  };

  for (; clock.now() <= scenario.duration; clock.advance(STEP_MS)) {
    now = clock.now();
    world.advanceTo(now);
    if (downUntil !== undefined) {
      if (now < downUntil) continue;
      downUntil = undefined;
      fleet = resumeFleetState({
        now,
        policy,
        openIncidents: await journal.openIncidents(),
        unfinished: await journal.unfinishedActions(),
        recentActions: await journal.actionsSince(now - 3_600_000),
        healedRecently: onProbation(await journal.incidents({}), now, policy),
      });
      const unfinished = await journal.unfinishedActions();
      timeline.push({
        t: now,
        app: main,
        what: 'resume',
        text: `daemon restarted: ${Object.keys(fleet.apps).length} app state(s) rebuilt from the journal, ${unfinished.length} unfinished action(s) to reconcile`,
      });
      nextFull = now;
      lastMainKey = undefined;
    }
    if (idleCrash && now >= idleCrash.at) {
      idleCrash = undefined;
      await crash(now, 'idle');
      continue;
    }
    const full = now >= nextFull;
    const due = full ? undefined : [...nextCheck.entries()].filter(([, t]) => t <= now).map(([a]) => a);
    if (!full && due!.length === 0) continue;
    let tick: Awaited<ReturnType<typeof runTick>>;
    try {
      tick = await runTick(deps, fleet, now, due);
    } catch (e) {
      if (e instanceof DaemonCrash) {
        // The tick died mid-way: what it decided is in the journal (decisions are recorded before acting).
        for (const rec of (await journal.decisions({ app: main })).filter((x) => x.at === now)) {
          noteDetection(now, rec.anomalies);
          noteDecision(now, rec.decision, true);
        }
        await crash(
          now,
          e.during === 'after-intent'
            ? 'after journaling the intent, before the call'
            : 'after the call, before journaling its outcome',
        );
        continue;
      }
      throw e;
    }
    ticks++;
    fleet = tick.state;
    if (full) nextFull = now + policy.tickIntervalMs;
    for (const r of tick.report.apps) {
      if (r.nextCheckAt !== undefined) nextCheck.set(r.app, r.nextCheckAt);
      else nextCheck.delete(r.app);
      const d = r.decision;
      fleetDecisions[`${d.kind}:${d.reason}`] =
        (fleetDecisions[`${d.kind}:${d.reason}`] ?? 0) + (r.decisionChanged ? 1 : 0);
      if (r.app !== main) {
        if (r.action)
          timeline.push({
            t: now,
            app: r.app,
            what: 'action',
            text: `${d.kind === 'act' ? d.action.type : '?'} → ${r.action.result.ok ? 'accepted' : 'rejected'}`,
          });
        continue;
      }
      noteDetection(now, r.anomalies);
      if (r.classification && classifiedAs === undefined)
        classifiedAs = effectiveVerdict(r.classification, policy.minConfidence);
      if (d.kind === 'page' && r.decisionChanged) pageDecisions++;
      if (r.reconciliation)
        timeline.push({
          t: now,
          app: main,
          what: 'reconcile',
          text:
            r.reconciliation.kind === 'happened'
              ? `intent found in ListApplicationOperations (${r.reconciliation.operation.operation} ${r.reconciliation.operation.operationId}): resume verifying, do not repeat`
              : r.reconciliation.kind === 'not-happened'
                ? 'intent never reached MSF: the ladder may decide again'
                : `reconcile later: ${r.reconciliation.why}`,
        });
      for (const e of r.events)
        timeline.push({
          t: now,
          app: main,
          what: 'incident',
          text: `${e.type}${e.type === 'updated' ? `: ${e.what}` : ''} (${e.incident.key})`,
        });
      if (r.verification && r.verification.kind !== 'pending') {
        timeline.push({
          t: now,
          app: main,
          what: 'verify',
          text: `${r.verification.kind}: ${r.verification.kind === 'healed' ? `${r.verification.via}, ${r.verification.evidence}` : `${r.verification.reason}, ${r.verification.evidence}`}`,
        });
        if (r.verification.kind === 'healed' && r.verification.via !== 'stopped' && healedAt === undefined)
          healedAt = now;
      }
      noteDecision(now, d, false);
      if (r.action)
        timeline.push({
          t: now,
          app: main,
          what: 'action',
          text: `${d.kind === 'act' ? d.action.type : '?'} → ${r.action.result.ok ? `accepted (${r.action.result.operationId ?? ''})` : `rejected: ${r.action.result.error.code}: ${r.action.result.error.message}`}`,
        });
    }
  }

  // Outcome of the main app.
  const mainState = fleet.apps[main];
  const incidents = await journal.incidents({ app: main });
  const lastIncident = incidents[incidents.length - 1];
  let outcome: SimulationFigures['outcome'] = 'none';
  if (lastIncident) {
    const lastAction = lastIncident.actions[lastIncident.actions.length - 1];
    if (
      mainState?.phase === 'gave-up' &&
      lastAction?.type === 'force-stop' &&
      lastAction.outcome === 'healed'
    )
      outcome = 'stopped';
    else if (mainState?.phase === 'gave-up') outcome = 'gave-up';
    else if (healedAt !== undefined && (mainState?.phase === 'healed' || lastIncident.status === 'resolved'))
      outcome = 'healed';
    else outcome = lastIncident.status === 'resolved' ? 'resolved' : 'open';
  }
  for (const n of actions.notifications)
    if (n.app === main || n.incidentKey.startsWith('fleet/'))
      timeline.push({
        t: n.t,
        app: main,
        what: 'notify',
        text: `${n.event} ${n.severity} [${n.reason}] (${n.incidentKey})`,
      });
  timeline.sort((a, b) => a.t - b.t);

  const third = world.thirdLoopRestart();
  const first = world.firstLoopRestart();
  const harmful = world.actions.flatMap((a) =>
    a.harmful.map((why) => ({ t: a.t, app: a.app, type: a.type, why })),
  );
  const figures: SimulationFigures = {
    ...(third !== undefined && detectedAt !== undefined ? { detectionLatencyMs: detectedAt - third } : {}),
    ...(detectedAt !== undefined ? { detectedAt } : {}),
    ...(firstDecision ? { firstDecision } : {}),
    ...(first !== undefined && healedAt !== undefined && (outcome === 'healed' || outcome === 'resolved')
      ? { timeToRecoveryMs: healedAt - first }
      : {}),
    outcome,
    ...(classifiedAs ? { classifiedAs } : {}),
    pages:
      pageDecisions +
      actions.notifications.filter(
        (n) => n.severity === 'critical' && (n.app === main || n.incidentKey.startsWith('fleet/')),
      ).length,
    actions: world.actions,
    harmful,
    notifications: actions.notifications.length,
    ticks,
    apiCalls: observer.calls,
    fleetDecisions,
  };
  const mismatches = checkExpectations(
    scenario,
    figures,
    reasons,
    world.actions.filter((a) => a.app === main).map((a) => a.type),
  );
  return {
    scenario: scenario.name,
    ...(opts.file ? { file: opts.file } : {}),
    passed: mismatches.length === 0,
    mismatches,
    figures,
    reasons,
    timeline,
  };
}

export type { SimulationFigures, SimulationResult, TimelineEntry } from './figures.js';
export { formatOffset } from './figures.js';
