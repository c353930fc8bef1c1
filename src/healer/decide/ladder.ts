/**
 * The decision ladder of docs/design.md §4 as one pure function (docs/design.md §6: one early return per named
 * reason). Order:
 *
 *   0. nothing actionable → ignore (quiet, maintenance, metric unknown) or check sooner (restarts
 *      below the loop threshold: the suspect re-check that makes detection fast);
 *   1. an action in flight → wait; in cooldown → wait; gave up on this incident → record;
 *   2. a rebalance or another streamctl action holds the target → wait;
 *   3. many apps looping in the account/region → page only (fleet-wide breaker);
 *   4. the ladder proper proposes an action or a page (rollback a bad deploy, roll back a stuck
 *      update, force-stop when rollback is impossible or did not heal, let Flink restart through a
 *      system fault, page on unknown verdicts and environment changes; loop.ts for a restart loop);
 *   5. guards that stop actions, not pages: healing disabled (config, then tag), dry-run, outside
 *      allowed hours → record what would have been done; global hourly budget spent → page.
 *
 * Step 5 comes after the proposal on purpose: an opted-out or dry-run application still pages its
 * owner; only the automatic action is withheld, and the record says which action it would have been.
 */

import type { Anomaly } from '../anomaly.js';
import { findAnomaly } from '../anomaly.js';
import type { Decision } from './decision.js';
import { act, describeAction, diagnose, page } from './diagnosis.js';
import { rollbackFeasibility } from './evidence.js';
import { proposeForFailedOperation } from './failed-operation.js';
import { fleetBreakerTripped, optedOutByTag, withinAllowedHours } from './guards.js';
import type { DecideInput } from './input.js';
import { proposeForLoop } from './loop.js';

export type { DecideInput } from './input.js';

/** Decides what to do about one application at one tick. Pure. */
export function decide(input: DecideInput): Decision {
  const concern = concernOf(input.anomalies);
  // 0. Nothing actionable.
  if (!concern) return withoutConcern(input);
  // 1.-3. Hold back: an action in flight, cooldown, gave up, the target locked, a systemic event.
  const held = holdBack(input, concern.kind === 'restart-loop');
  if (held) return held;
  // 4. The ladder proper.
  const proposal = propose(input);
  if (proposal.kind !== 'act') return proposal;
  // 5. Guards on actions.
  return guardAction(input, proposal);
}

/** The anomaly the ladder acts on, most urgent first. */
function concernOf(anomalies: readonly Anomaly[]): Anomaly | undefined {
  return (
    findAnomaly(anomalies, 'restart-loop') ??
    findAnomaly(anomalies, 'stuck-operation') ??
    findAnomaly(anomalies, 'failed-operation') ??
    findAnomaly(anomalies, 'subtasks-failing') ??
    findAnomaly(anomalies, 'checkpoint-stall')
  );
}

/** Step 0: nothing to act on; wait for an action in flight, or look again sooner at a suspect. */
function withoutConcern({ anomalies, state, policy }: DecideInput): Decision {
  if (state.phase === 'acting' || state.phase === 'verifying')
    return { kind: 'wait', afterMs: policy.suspectCheckIntervalMs, reason: 'action-in-flight' };
  if (findAnomaly(anomalies, 'maintenance')) return { kind: 'ignore', reason: 'maintenance' };
  if (findAnomaly(anomalies, 'restarts-below-threshold'))
    return { kind: 'check', afterMs: policy.suspectCheckIntervalMs, reason: 'restarts-below-threshold' };
  if (findAnomaly(anomalies, 'restart-metric-unknown'))
    return { kind: 'ignore', reason: 'restart-metric-unknown' };
  return { kind: 'ignore', reason: 'no-anomaly' };
}

/** Steps 1 to 3: reasons to do nothing new about a concern now, or undefined to go on. */
function holdBack(input: DecideInput, looping: boolean): Decision | undefined {
  const { state, policy, now, obs } = input;
  // 1. One action at a time per app; cooldown; nothing more after giving up on this incident.
  if (state.phase === 'acting' || state.phase === 'verifying')
    return { kind: 'wait', afterMs: policy.suspectCheckIntervalMs, reason: 'action-in-flight' };
  if (state.phase === 'gave-up') {
    const diagnosis = diagnose(input, 'The healer gave up on this incident; waiting for a human.');
    return { kind: 'record', reason: 'gave-up', proposed: page('critical', 'gave-up', diagnosis) };
  }
  if (state.cooldownUntil !== undefined && now < state.cooldownUntil && state.phase !== 'failed') {
    return { kind: 'wait', afterMs: state.cooldownUntil - now, reason: 'cooldown' };
  }
  // 2. Never heal while a rebalance or another streamctl action runs on the target.
  if (obs.lock) return { kind: 'wait', afterMs: policy.tickIntervalMs, reason: 'target-locked' };
  // 3. Systemic event: page only.
  if (looping && fleetBreakerTripped(input.fleet, policy.fleetBreaker)) {
    return page(
      'critical',
      'fleet-wide-event',
      diagnose(
        input,
        `${input.fleet.appsLooping} of ${input.fleet.appsTotal} applications in ${input.fleet.scope} are looping at once: a systemic event; no automatic action.`,
      ),
    );
  }
  return undefined;
}

/** Step 5: the guards that withhold an action (but not a page), each with its recorded reason. */
function guardAction(input: DecideInput, proposal: Extract<Decision, { kind: 'act' }>): Decision {
  const { policy, now, obs } = input;
  // Many apps of the scope restarting at once, their loops not confirmed yet: a fleet-wide event
  // may be forming. An action now could be the one taken on healthy code; look again soon.
  if (
    input.fleet.appsRestarting !== undefined &&
    fleetBreakerTripped({ ...input.fleet, appsLooping: input.fleet.appsRestarting }, policy.fleetBreaker)
  )
    return { kind: 'check', afterMs: policy.suspectCheckIntervalMs, reason: 'fleet-wide-event-forming' };
  if (!input.healingEnabled) return { kind: 'record', reason: 'healing-disabled-config', proposed: proposal };
  if (optedOutByTag(obs.app.tags))
    return { kind: 'record', reason: 'healing-disabled-tag', proposed: proposal };
  if (policy.mode === 'dry-run') return { kind: 'record', reason: 'dry-run', proposed: proposal };
  if (!withinAllowedHours(now, policy.allowedHours))
    return { kind: 'record', reason: 'outside-allowed-hours', proposed: proposal };
  if (input.actionsInLastHour >= policy.maxActionsPerHour) {
    return page('critical', 'action-budget-exhausted', {
      ...proposal.diagnosis,
      summary: `${proposal.diagnosis.summary} Not done: the healer's budget of ${policy.maxActionsPerHour} actions per hour is spent (would ${describeAction(proposal)}).`,
    });
  }
  return proposal;
}

/** Step 4: the proposal for the most urgent concern. */
function propose(input: DecideInput): Decision {
  const { anomalies, state, policy, obs } = input;
  const loop = findAnomaly(anomalies, 'restart-loop');
  if (loop) return proposeForLoop(input, loop);

  const stuck = findAnomaly(anomalies, 'stuck-operation');
  if (stuck) {
    const rb = rollbackFeasibility(obs, state.incident);
    const summary = `${obs.app.name} has been ${stuck.status} for ${Math.round(stuck.forMs / 60_000)} min (timeout ${Math.round(policy.stuckTimeoutMs / 60_000)} min).`;
    if (rb.ok)
      return act(
        { type: 'rollback', currentVersionId: rb.currentVersionId },
        'stuck-operation-rollback',
        diagnose(input, `${summary} Rolling back.`),
      );
    if (rb.unknown)
      return { kind: 'check', afterMs: policy.suspectCheckIntervalMs, reason: 'evidence-incomplete' };
    return page(
      'critical',
      'stuck-rollback-impossible',
      diagnose(input, `${summary} Rollback impossible: ${rb.why}.`),
    );
  }
  const failed = findAnomaly(anomalies, 'failed-operation');
  if (failed) return proposeForFailedOperation(input, failed);
  const sub = findAnomaly(anomalies, 'subtasks-failing');
  if (sub) {
    return page(
      'warning',
      'subtasks-failing',
      diagnose(
        input,
        `After ${sub.afterOperation.operation}, ${sub.failing} subtask(s) failing and ${sub.canceled} canceled of ${sub.total}.`,
      ),
    );
  }
  const stall = findAnomaly(anomalies, 'checkpoint-stall');
  if (stall) {
    return page(
      'warning',
      'checkpoint-stall',
      diagnose(input, `No completed checkpoint for ${Math.round(stall.forMs / 60_000)} min.`),
    );
  }
  return { kind: 'ignore', reason: 'no-anomaly' };
}
