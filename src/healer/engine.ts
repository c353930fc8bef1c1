/**
 * One application, one tick, pure: `(observation, previousState, config, now) => { result, nextState }`
 * (STYLE.md §3). Detection runs first for the whole fleet (the fleet breaker needs every app's
 * loop state); `stepApp` then verifies an in-flight action, keeps the incident, classifies the
 * loop's first failure, and asks the ladder. Starting an action is a separate transition
 * (`beginAction`) because the intent must be journaled before the call.
 */
import type { HealerAction } from './action.js';
import { operationOf } from './action.js';
import type { Anomaly } from './anomaly.js';
import { findAnomaly } from './anomaly.js';
import type { Classification, FailureClassifier } from './classifier.js';
import { type Decision, decisionKey } from './decide/decision.js';
import { recentSuccessfulUpdate } from './decide/evidence.js';
import { decide } from './decide/ladder.js';
import { detectAll } from './detect/index.js';
import {
  type Incident,
  type IncidentEvent,
  type IncidentKind,
  reopenIncident,
  resolveIncident,
} from './incident.js';
import { keepIncident } from './incident-keeper.js';
import { type Reconciliation, reconcileIntent } from './journal/reconcile.js';
import type { AppObservation, FleetContext } from './observation.js';
import type { HealerPolicy } from './policy.js';
import { type AppHealerState, initialAppState, transition } from './state.js';
import { type VerifyResult, verifyAction } from './verify.js';

/** How long after an intent a missing operation may still appear in ListApplicationOperations. */
const LISTING_GRACE_MS = 60_000;

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

/** Marks the outcome of the incident's last action. */
export function markLastAction(
  i: Incident,
  outcome: NonNullable<Incident['actions'][number]['outcome']>,
  now: number,
): Incident {
  const actions = i.actions.map((a, idx) => (idx === i.actions.length - 1 ? { ...a, outcome } : a));
  return { ...i, actions, updatedAt: now };
}

/** The pure per-app step. */
export function stepApp(
  input: StepInput,
  prev: AppHealerState | undefined,
): { result: StepResult; nextState: AppHealerState } {
  const { obs, anomalies, policy, now } = input;
  const events: IncidentEvent[] = [];
  let s: AppHealerState = prev ?? initialAppState(now);
  if (s.status !== obs.app.status) s = { ...s, status: obs.app.status, statusSince: now };
  let verification: VerifyResult | undefined;
  let reconciliation: Reconciliation | undefined;

  // 0. Acting at the start of a tick only happens after a crash: reconcile the intent with MSF.
  if (s.phase === 'acting' && s.action) {
    const a = s.action;
    reconciliation = reconcileIntent(
      { at: a.startedAt, operation: operationOf(a.action.type) },
      obs.operations,
      now,
      {
        skewMs: policy.reconcileSkewMs,
        listingGraceMs: LISTING_GRACE_MS,
      },
    );
    if (reconciliation.kind === 'happened') {
      s = transition(s, 'verifying', now, {
        action: {
          ...a,
          ...(reconciliation.operation.operationId
            ? { operationId: reconciliation.operation.operationId }
            : {}),
        },
      });
    } else if (reconciliation.kind === 'not-happened') {
      const inc = s.incident;
      const last = inc?.actions[inc.actions.length - 1];
      const incident =
        inc && last && last.at === a.startedAt && last.type === a.action.type
          ? { ...inc, actions: inc.actions.slice(0, -1) }
          : inc;
      s = transition(s, 'watching', now, {
        action: undefined,
        cooldownUntil: undefined,
        ...(incident ? { incident } : {}),
      });
    } else if (now - a.startedAt >= policy.verify.timeoutMs) {
      s = transition(s, 'failed', now, { action: undefined });
    }
  }

  const wasHealed = s.phase === 'healed';

  // 1. Verify an action in flight.
  if (s.phase === 'verifying' && s.action) {
    verification = verifyAction(s.action, obs, policy, now, s.incident?.loopIntervalMs);
    const inc = s.incident;
    switch (verification.kind) {
      case 'pending':
        if (verification.settledAt !== undefined && s.action.settledAt === undefined)
          s = { ...s, action: { ...s.action, settledAt: verification.settledAt } };
        break;
      case 'healed': {
        const stopped = s.action.action.type === 'force-stop';
        const marked = inc ? markLastAction(inc, 'healed', now) : inc;
        // A verified heal ends the incident: every view can say "healed by this action at this
        // time". A force-stop is not a heal: the incident stays open for the human who restarts it.
        const incident =
          marked && !stopped
            ? resolveIncident(marked, now, {
                by: 'action',
                action: s.action.action.type,
                actionAt: s.action.startedAt,
                at: now,
                evidence: verification.evidence,
              })
            : marked;
        s = transition(s, stopped ? 'gave-up' : 'healed', now, {
          action: undefined,
          countRestartsFrom: verification.settledAt,
          ...(incident ? { incident } : {}),
        });
        if (incident) {
          events.push({
            type: 'updated',
            incident,
            what: stopped ? `stopped (${verification.evidence})` : `healed (${verification.evidence})`,
          });
          if (!stopped) events.push({ type: 'resolved', incident });
        }
        break;
      }
      case 'failed': {
        const incident = inc ? markLastAction(inc, 'failed', now) : inc;
        s = transition(s, 'failed', now, {
          action: undefined,
          ...(s.action.settledAt !== undefined ? { countRestartsFrom: s.action.settledAt } : {}),
          ...(incident ? { incident } : {}),
        });
        if (incident)
          events.push({
            type: 'updated',
            incident,
            what: `action failed: ${verification.reason} (${verification.evidence})`,
          });
        break;
      }
    }
  }

  // 2. The loop came back after a verified heal, within the probation (the cooldown): the action
  // did not heal after all. The same incident is reopened, so no second rollback (no ping-pong).
  const concern = concernOf(anomalies);
  if (wasHealed && s.phase === 'healed' && concern === 'restart-loop' && s.incident) {
    const incident = markLastAction(reopenIncident(s.incident, now), 'did-not-heal', now);
    s = transition(s, 'failed', now, { incident });
    events.push({ type: 'updated', incident, what: 'the loop came back after the action: it did not heal' });
  }

  // 3. Open, update or resolve the incident.
  s = keepIncident(s, obs, anomalies, concern, policy, now, events);
  // 4. Classify the loop's first failure, once per incident (re-try while there was no text).
  const loop = findAnomaly(anomalies, 'restart-loop');
  let classification = s.incident?.classification;
  if (
    loop &&
    s.incident?.status === 'open' &&
    (!classification || classification.verdict === 'unknown') &&
    obs.failures &&
    obs.failures.length > 0
  ) {
    const change = recentSuccessfulUpdate(obs, now, policy.recentChangeWindowMs);
    classification = input.classifier(obs.failures, {
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
    if (classification) s = { ...s, incident: { ...s.incident, classification, updatedAt: now } };
  }

  // 5. Decide.
  const decision = decide({
    obs,
    anomalies,
    ...(classification ? { classification } : {}),
    state: s,
    fleet: input.fleet,
    actionsInLastHour: input.actionsInLastHour,
    healingEnabled: input.healingEnabled,
    policy,
    now,
  });
  // After an action that did not heal, anything but another action is giving up (no ping-pong).
  if (s.phase === 'failed' && decision.kind === 'page') s = transition(s, 'gave-up', now);

  const key = decisionKey(decision);
  const decisionChanged = key !== s.lastDecisionKey;
  s = { ...s, lastDecisionKey: key };
  return {
    result: {
      anomalies,
      ...(classification ? { classification } : {}),
      ...(verification ? { verification } : {}),
      ...(reconciliation ? { reconciliation } : {}),
      decision,
      decisionChanged,
      events,
    },
    nextState: s,
  };
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
