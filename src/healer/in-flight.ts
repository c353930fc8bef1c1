/**
 * The first two stages of `stepApp` (engine.ts), pure: what became of the action in flight.
 * After a crash the app is still "acting" at the start of a tick, so its journaled intent is
 * reconciled with the operations MSF lists; an action that is verifying is then judged by
 * `verifyAction`, and the incident records the outcome (healed, stopped, failed).
 */
import { operationOf } from './action.js';
import { type Incident, type IncidentEvent, resolveIncident } from './incident.js';
import { type Reconciliation, reconcileIntent } from './journal/reconcile.js';
import type { AppObservation } from './observation.js';
import type { HealerPolicy } from './policy.js';
import { type AppHealerState, transition } from './state.js';
import { type VerifyResult, verifyAction } from './verify.js';

/** How long after an intent a missing operation may still appear in ListApplicationOperations. */
const LISTING_GRACE_MS = 60_000;

/** Marks the outcome of the incident's last action. */
export function markLastAction(
  i: Incident,
  outcome: NonNullable<Incident['actions'][number]['outcome']>,
  now: number,
): Incident {
  const actions = i.actions.map((a, idx) => (idx === i.actions.length - 1 ? { ...a, outcome } : a));
  return { ...i, actions, updatedAt: now };
}

/**
 * An app still acting at the start of a tick was acting when the daemon stopped: the intent
 * happened (verify it), did not happen (forget the action, and its entry in the incident), or is
 * still unknown (give up once the verify timeout has passed).
 */
export function reconcileAfterCrash(
  s: AppHealerState,
  obs: AppObservation,
  policy: HealerPolicy,
  now: number,
): { state: AppHealerState; reconciliation?: Reconciliation } {
  if (s.phase !== 'acting' || !s.action) return { state: s };
  const a = s.action;
  const reconciliation = reconcileIntent(
    { at: a.startedAt, operation: operationOf(a.action.type) },
    obs.operations,
    now,
    { skewMs: policy.reconcileSkewMs, listingGraceMs: LISTING_GRACE_MS },
  );
  if (reconciliation.kind === 'happened') {
    const operationId = reconciliation.operation.operationId;
    const action = { ...a, ...(operationId ? { operationId } : {}) };
    return { state: transition(s, 'verifying', now, { action }), reconciliation };
  }
  if (reconciliation.kind === 'not-happened') {
    const inc = s.incident;
    const last = inc?.actions[inc.actions.length - 1];
    const incident =
      inc && last && last.at === a.startedAt && last.type === a.action.type
        ? { ...inc, actions: inc.actions.slice(0, -1) }
        : inc;
    const state = transition(s, 'watching', now, {
      action: undefined,
      cooldownUntil: undefined,
      ...(incident ? { incident } : {}),
    });
    return { state, reconciliation };
  }
  if (now - a.startedAt >= policy.verify.timeoutMs) {
    return { state: transition(s, 'failed', now, { action: undefined }), reconciliation };
  }
  return { state: s, reconciliation };
}

/** Verifies the action in flight, if any; the incident's events are appended to `events`. */
export function verifyInFlight(
  s: AppHealerState,
  obs: AppObservation,
  policy: HealerPolicy,
  now: number,
  events: IncidentEvent[],
): { state: AppHealerState; verification?: VerifyResult } {
  if (s.phase !== 'verifying' || !s.action) return { state: s };
  const verification = verifyAction(s.action, obs, policy, now, s.incident?.loopIntervalMs);
  switch (verification.kind) {
    case 'pending': {
      const settle = verification.settledAt !== undefined && s.action.settledAt === undefined;
      const state = settle ? { ...s, action: { ...s.action, settledAt: verification.settledAt } } : s;
      return { state, verification };
    }
    case 'healed':
      return { state: recordHealed(s, verification, now, events), verification };
    case 'failed':
      return { state: recordFailed(s, verification, now, events), verification };
  }
}

/** A verified heal ends the incident; a verified force-stop leaves it open for a human. */
function recordHealed(
  s: AppHealerState,
  verification: Extract<VerifyResult, { kind: 'healed' }>,
  now: number,
  events: IncidentEvent[],
): AppHealerState {
  const action = s.action!;
  const stopped = action.action.type === 'force-stop';
  const marked = s.incident ? markLastAction(s.incident, 'healed', now) : s.incident;
  // A verified heal ends the incident: every view can say "healed by this action at this
  // time". A force-stop is not a heal: the incident stays open for the human who restarts it.
  const incident =
    marked && !stopped
      ? resolveIncident(marked, now, {
          by: 'action',
          action: action.action.type,
          actionAt: action.startedAt,
          at: now,
          evidence: verification.evidence,
        })
      : marked;
  const next = transition(s, stopped ? 'gave-up' : 'healed', now, {
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
  return next;
}

/** A verified failure: the incident says why; restarts count again from when the app settled. */
function recordFailed(
  s: AppHealerState,
  verification: Extract<VerifyResult, { kind: 'failed' }>,
  now: number,
  events: IncidentEvent[],
): AppHealerState {
  const settledAt = s.action?.settledAt;
  const incident = s.incident ? markLastAction(s.incident, 'failed', now) : s.incident;
  const next = transition(s, 'failed', now, {
    action: undefined,
    ...(settledAt !== undefined ? { countRestartsFrom: settledAt } : {}),
    ...(incident ? { incident } : {}),
  });
  if (incident)
    events.push({
      type: 'updated',
      incident,
      what: `action failed: ${verification.reason} (${verification.evidence})`,
    });
  return next;
}
