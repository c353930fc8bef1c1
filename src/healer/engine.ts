/**
 * One application, one tick, pure: `(observation, previousState, config, now) => { result, nextState }`
 * (docs/design.md §6). Detection runs first for the whole fleet (the fleet breaker needs every app's
 * loop state); `stepApp` then verifies an in-flight action, keeps the incident, classifies the
 * loop's first failure, and asks the ladder. Starting an action is a separate transition
 * (`beginAction`) because the intent must be journaled before the call.
 */
import type { HealerAction } from './action.js';
import type { Anomaly } from './anomaly.js';
import { findAnomaly } from './anomaly.js';
import type { Classification, FailureClassifier } from './classifier.js';
import { type Decision, decisionKey } from './decide/decision.js';
import { recentSuccessfulUpdate } from './decide/evidence.js';
import { decide } from './decide/ladder.js';
import { detectAll } from './detect/index.js';
import { markLastAction, reconcileAfterCrash, verifyInFlight } from './in-flight.js';
import { type IncidentEvent, type IncidentKind, reopenIncident } from './incident.js';
import { keepIncident } from './incident-keeper.js';
import type { Reconciliation } from './journal/reconcile.js';
import type { AppObservation, FleetContext } from './observation.js';
import type { HealerPolicy } from './policy.js';
import { type AppHealerState, initialAppState, transition } from './state.js';
import type { VerifyResult } from './verify.js';

/** Detects anomalies for one application (uses the state's status-since for stuck detection). */
export function detectApp(
  obs: AppObservation,
  prev: AppHealerState | undefined,
  policy: HealerPolicy,
  now: number,
): Anomaly[] {
  const statusSince = prev?.status === obs.app.status ? prev.statusSince : now;
  const countFrom = prev?.action?.settledAt ?? prev?.countRestartsFrom;
  return detectAll(obs, {
    policy,
    now,
    ...(statusSince !== undefined ? { statusSince } : {}),
    ...(countFrom !== undefined ? { countRestartsFrom: countFrom } : {}),
  });
}

/** Whether a detection counts as "looping now" for the fleet breaker. */
export function isLooping(anomalies: readonly Anomaly[]): boolean {
  return anomalies.some((a) => a.kind === 'restart-loop');
}

export interface StepInput {
  obs: AppObservation;
  anomalies: Anomaly[];
  fleet: FleetContext;
  policy: HealerPolicy;
  now: number;
  classifier: FailureClassifier;
  actionsInLastHour: number;
  healingEnabled: boolean;
}

export interface StepResult {
  anomalies: Anomaly[];
  classification?: Classification;
  verification?: VerifyResult;
  /** After a crash: what became of the journaled intent (the tick journals it). */
  reconciliation?: Reconciliation;
  decision: Decision;
  /** The decision differs from the previous tick's (the journal records changes and every act/page). */
  decisionChanged: boolean;
  events: IncidentEvent[];
}

const CONCERNS: IncidentKind[] = [
  'restart-loop',
  'stuck-operation',
  'failed-operation',
  'subtasks-failing',
  'checkpoint-stall',
];

function concernOf(anomalies: readonly Anomaly[]): IncidentKind | undefined {
  return CONCERNS.find((k) => anomalies.some((a) => a.kind === k));
}

/** The pure per-app step: the stages of the file header, in order. */
export function stepApp(
  input: StepInput,
  prev: AppHealerState | undefined,
): { result: StepResult; nextState: AppHealerState } {
  const { obs, anomalies, policy, now } = input;
  const events: IncidentEvent[] = [];
  // 0. Acting at the start of a tick only happens after a crash: reconcile the intent with MSF.
  const reconciled = reconcileAfterCrash(
    withStatus(prev ?? initialAppState(now), obs, now),
    obs,
    policy,
    now,
  );
  const wasHealed = reconciled.state.phase === 'healed';
  // 1. Verify an action in flight.
  const verified = verifyInFlight(reconciled.state, obs, policy, now, events);
  // 2. A loop that came back after a verified heal reopens the incident.
  const concern = concernOf(anomalies);
  let s = reopenIfLoopReturned(verified.state, wasHealed, concern, now, events);
  // 3. Open, update or resolve the incident.
  s = keepIncident(s, obs, anomalies, concern, policy, now, events);
  // 4. Classify the loop's first failure, once per incident (re-try while there was no text).
  const classified = classifyFirstFailure(s, input);
  // 5. Decide.
  const { classification } = classified;
  const decision = decide({
    obs,
    anomalies,
    ...(classification ? { classification } : {}),
    state: classified.state,
    fleet: input.fleet,
    actionsInLastHour: input.actionsInLastHour,
    healingEnabled: input.healingEnabled,
    policy,
    now,
  });
  const decided = recordDecision(classified.state, decision, now);
  const { verification } = verified;
  const { reconciliation } = reconciled;
  return {
    result: {
      anomalies,
      ...(classification ? { classification } : {}),
      ...(verification ? { verification } : {}),
      ...(reconciliation ? { reconciliation } : {}),
      decision,
      decisionChanged: decided.changed,
      events,
    },
    nextState: decided.state,
  };
}

/** The state with the app's current status (and since when, when it changed). */
function withStatus(s: AppHealerState, obs: AppObservation, now: number): AppHealerState {
  return s.status === obs.app.status ? s : { ...s, status: obs.app.status, statusSince: now };
}

/**
 * The loop came back after a verified heal, within the probation (the cooldown): the action
 * did not heal after all. The same incident is reopened, so no second rollback (no ping-pong).
 */
function reopenIfLoopReturned(
  s: AppHealerState,
  wasHealed: boolean,
  concern: IncidentKind | undefined,
  now: number,
  events: IncidentEvent[],
): AppHealerState {
  if (!wasHealed || s.phase !== 'healed' || concern !== 'restart-loop' || !s.incident) return s;
  const incident = markLastAction(reopenIncident(s.incident, now), 'did-not-heal', now);
  events.push({ type: 'updated', incident, what: 'the loop came back after the action: it did not heal' });
  return transition(s, 'failed', now, { incident });
}

/**
 * Classifies the loop's first failure into the open incident, with the context the classifier
 * weighs (a recent successful update, how much of the fleet loops now). Done once per incident,
 * and again while the verdict is still unknown (the failure text may not have been there yet).
 */
function classifyFirstFailure(
  s: AppHealerState,
  input: StepInput,
): { state: AppHealerState; classification?: Classification } {
  const { obs, anomalies, policy, now } = input;
  const known = s.incident?.classification;
  const wanted =
    findAnomaly(anomalies, 'restart-loop') !== undefined &&
    s.incident?.status === 'open' &&
    (!known || known.verdict === 'unknown') &&
    obs.failures !== undefined &&
    obs.failures.length > 0;
  if (!wanted || !s.incident || !obs.failures)
    return { state: s, ...(known ? { classification: known } : {}) };
  const change = recentSuccessfulUpdate(obs, now, policy.recentChangeWindowMs);
  const classification = input.classifier(obs.failures, {
    ...(change
      ? {
          recentChange: {
            kind: 'UpdateApplication',
            at: change.endTime ?? change.startTime ?? now,
            succeeded: true,
          },
        }
      : {}),
    appsFailingNow: input.fleet.appsLooping,
    fleetSize: input.fleet.appsTotal,
  });
  if (!classification) return { state: s };
  return { state: { ...s, incident: { ...s.incident, classification, updatedAt: now } }, classification };
}

/**
 * Records the decision in the state: after an action that did not heal, anything but another
 * action is giving up (no ping-pong); and whether it differs from the previous tick's.
 */
function recordDecision(
  s: AppHealerState,
  decision: Decision,
  now: number,
): { state: AppHealerState; changed: boolean } {
  const given = s.phase === 'failed' && decision.kind === 'page' ? transition(s, 'gave-up', now) : s;
  const key = decisionKey(decision);
  return { state: { ...given, lastDecisionKey: key }, changed: key !== given.lastDecisionKey };
}

/** The intent is journaled: the app is now acting (cooldown starts with the action). */
export function beginAction(
  s: AppHealerState,
  action: HealerAction,
  intentId: string,
  now: number,
  policy: HealerPolicy,
): AppHealerState {
  const incident = s.incident
    ? { ...s.incident, actions: [...s.incident.actions, { type: action.type, at: now }], updatedAt: now }
    : undefined;
  return transition(s, 'acting', now, {
    action: { intentId, action, startedAt: now },
    cooldownUntil: now + policy.cooldownMs,
    ...(incident ? { incident } : {}),
  });
}

/** The call was accepted: verify from now on. */
export function actionAccepted(s: AppHealerState, now: number, operationId?: string): AppHealerState {
  if (!s.action) return s;
  return transition(s, 'verifying', now, {
    action: { ...s.action, ...(operationId ? { operationId } : {}) },
  });
}

/** The call was rejected (e.g. no snapshot, wrong status, ConcurrentModificationException). */
export function actionRejected(s: AppHealerState, now: number): AppHealerState {
  const incident = s.incident ? markLastAction(s.incident, 'rejected', now) : undefined;
  return transition(s, 'failed', now, { action: undefined, ...(incident ? { incident } : {}) });
}
