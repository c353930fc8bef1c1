/**
 * The decision ladder of DESIGN.md §4 as one pure function (STYLE.md §7: one early return per named
 * reason). Order:
 *
 *   0. nothing actionable → ignore (quiet, maintenance, metric unknown) or check sooner (restarts
 *      below the loop threshold: the suspect re-check that makes detection fast);
 *   1. an action in flight → wait; in cooldown → wait; gave up on this incident → record;
 *   2. a rebalance or another streamctl action holds the target → wait;
 *   3. many apps looping in the account/region → page only (fleet-wide breaker);
 *   4. the ladder proper proposes an action or a page (rollback a bad deploy, roll back a stuck
 *      update, force-stop when rollback is impossible or did not heal, let Flink restart through a
 *      system fault, page on unknown verdicts and environment changes);
 *   5. guards that stop actions, not pages: healing disabled (config, then tag), dry-run, outside
 *      allowed hours → record what would have been done; global hourly budget spent → page.
 *
 * Step 5 comes after the proposal on purpose: an opted-out or dry-run application still pages its
 * owner; only the automatic action is withheld, and the record says which action it would have been.
 */

import { FORCE_STOP_STATUSES } from '../action.js';
import type { Anomaly } from '../anomaly.js';
import { findAnomaly } from '../anomaly.js';
import { effectiveVerdict, isEnvironmentFault } from '../classifier.js';
import { actionsOfType } from '../incident.js';
import type { Decision, Reason } from './decision.js';
import { act, describeAction, diagnose, page } from './diagnosis.js';
import { recentSuccessfulUpdate, restartOptions, rollbackFeasibility } from './evidence.js';
import { proposeForFailedOperation } from './failed-operation.js';
import { fleetBreakerTripped, optedOutByTag, withinAllowedHours } from './guards.js';
import type { DecideInput } from './input.js';

export type { DecideInput } from './input.js';

type Proposal = Exclude<Decision, { kind: 'record' }>;

/** Decides what to do about one application at one tick. Pure. */
export function decide(input: DecideInput): Decision {
  const { anomalies, state, policy, now, obs } = input;
  const loop = findAnomaly(anomalies, 'restart-loop');
  const concern =
    loop ??
    findAnomaly(anomalies, 'stuck-operation') ??
    findAnomaly(anomalies, 'failed-operation') ??
    findAnomaly(anomalies, 'subtasks-failing') ??
    findAnomaly(anomalies, 'checkpoint-stall');

  // 0. Nothing actionable.
  if (!concern) {
    if (state.phase === 'acting' || state.phase === 'verifying')
      return { kind: 'wait', afterMs: policy.suspectCheckIntervalMs, reason: 'action-in-flight' };
    if (findAnomaly(anomalies, 'maintenance')) return { kind: 'ignore', reason: 'maintenance' };
    if (findAnomaly(anomalies, 'restarts-below-threshold'))
      return { kind: 'check', afterMs: policy.suspectCheckIntervalMs, reason: 'restarts-below-threshold' };
    if (findAnomaly(anomalies, 'restart-metric-unknown'))
      return { kind: 'ignore', reason: 'restart-metric-unknown' };
    return { kind: 'ignore', reason: 'no-anomaly' };
  }

  // 1. One action at a time per app; cooldown; nothing more after giving up on this incident.
  if (state.phase === 'acting' || state.phase === 'verifying')
    return { kind: 'wait', afterMs: policy.suspectCheckIntervalMs, reason: 'action-in-flight' };
  if (state.phase === 'gave-up') {
    return {
      kind: 'record',
      reason: 'gave-up',
      proposed: page(
        'critical',
        'gave-up',
        diagnose(input, 'The healer gave up on this incident; waiting for a human.'),
      ),
    };
  }
  if (state.cooldownUntil !== undefined && now < state.cooldownUntil && state.phase !== 'failed') {
    return { kind: 'wait', afterMs: state.cooldownUntil - now, reason: 'cooldown' };
  }

  // 2. Never heal while a rebalance or another streamctl action runs on the target.
  if (obs.lock) return { kind: 'wait', afterMs: policy.tickIntervalMs, reason: 'target-locked' };

  // 3. Systemic event: page only.
  if (loop && fleetBreakerTripped(input.fleet, policy.fleetBreaker)) {
    return page(
      'critical',
      'fleet-wide-event',
      diagnose(
        input,
        `${input.fleet.appsLooping} of ${input.fleet.appsTotal} applications in ${input.fleet.scope} are looping at once: a systemic event; no automatic action.`,
      ),
    );
  }

  // 4. The ladder proper.
  const proposal = propose(input);
  if (proposal.kind !== 'act') return proposal;

  // 5. Guards on actions.
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

function proposeForLoop(input: DecideInput, loop: Extract<Anomaly, { kind: 'restart-loop' }>): Proposal {
  const { state, policy, now, obs } = input;
  const incident = state.incident;
  const loopSince = incident?.loopSince ?? loop.firstRestartAt;
  const loopAge = now - loopSince;
  const loopText = `${obs.app.name} is in a restart loop: ${loop.restarts} restarts in ${loop.periods} of the last ${policy.loop.windowPeriods} minutes (${loop.metric}).`;

  // After an action that did not heal: force-stop once, then give up (no rollback ping-pong).
  if (state.phase === 'failed') {
    if (actionsOfType(incident, 'force-stop') > 0) {
      return page(
        'critical',
        'force-stop-impossible',
        diagnose(input, `${loopText} The force-stop did not stop it; giving up.`),
      );
    }
    const last = incident?.actions[incident.actions.length - 1];
    const what =
      last?.outcome === 'rejected'
        ? `The ${last.type} was rejected.`
        : `The ${last?.type ?? 'rollback'} did not heal it.`;
    return forceStop(input, 'rollback-did-not-heal-force-stop', `${loopText} ${what}`);
  }

  const verdict = effectiveVerdict(input.classification, policy.minConfidence);
  switch (verdict) {
    case 'unknown':
      return page(
        'critical',
        'verdict-unknown',
        diagnose(input, `${loopText} The cause is unclear (verdict unknown); no automatic action.`),
      );
    case 'system': {
      if (loopAge >= policy.systemLoopPageAfterMs) {
        return page(
          'critical',
          'system-fault-persistent',
          diagnose(
            input,
            `${loopText} The failure is outside the job's code and has lasted ${Math.round(loopAge / 60_000)} min; a rollback would not help.`,
          ),
        );
      }
      return {
        kind: 'check',
        afterMs: Math.min(policy.tickIntervalMs, policy.systemLoopPageAfterMs - loopAge),
        reason: 'system-fault-flink-restarting',
      };
    }
    case 'user': {
      const change = recentSuccessfulUpdate(
        obs,
        now,
        policy.recentChangeWindowMs,
        loopSince,
        policy.periodMs,
      );
      if (!change) {
        // A known IAM/endpoint change shortly before the loop (when the observer knows of one)
        // tells the same story as an auth/endpoint failure text.
        const external = obs.externalChanges?.find(
          (c) => c.at <= now && c.at >= loopSince - policy.recentChangeWindowMs,
        );
        if ((input.classification && isEnvironmentFault(input.classification)) || external) {
          return page(
            'critical',
            'config-changed-outside-lifecycle',
            diagnose(
              input,
              `${loopText} The failure points at permissions or an endpoint${external ? ` (${external.kind} change: ${external.detail})` : ''}, and no UpdateApplication preceded it: a change outside the application lifecycle. A rollback cannot fix it.`,
            ),
          );
        }
        // Nothing shows that stopping an unchanged job helps, and StopApplication Force=true takes
        // no snapshot and needs a human to restart: page with the evidence. Stopping is opt-in.
        if (policy.forceStopUnchangedLoops && loopAge >= policy.userLoopForceStopAfterMs) {
          return forceStop(
            input,
            'user-loop-persists-force-stop',
            `${loopText} A job fault with no recent change (e.g. a poison message) has lasted ${Math.round(loopAge / 60_000)} min.`,
          );
        }
        const d = diagnose(
          input,
          `${loopText} A fault in the job with no recent change (e.g. a poison message or an upstream schema change): nothing to roll back to, and no automatic action. Fix or skip the input, or stop it and restart from one of the options.`,
        );
        return page('critical', 'user-fault-no-recent-change', {
          ...d,
          restartOptions: restartOptions(obs),
        });
      }
      if (loop.loopedBeforeReset) {
        // The job already looped before this change reset its counter: the change (perhaps a fix
        // attempt) did not start the loop, and the version before it looped too. Rolling back
        // would restore a broken version: page with the evidence.
        const d = diagnose(
          input,
          `${loopText} It already looped before UpdateApplication ${change.operationId}, so the change did not cause it and the previous version is not a known-good one; no rollback.`,
          change,
        );
        return page('critical', 'loop-predates-change', {
          ...d,
          restartOptions: restartOptions(obs, change),
        });
      }
      if (obs.app.kind === 'self-managed') {
        const sm = obs.selfManaged ?? {};
        return act(
          {
            type: 'self-managed-redeploy',
            ...(sm.jobId ? { jobId: sm.jobId } : {}),
            ...(sm.previousJarId ? { previousJarId: sm.previousJarId } : {}),
            ...(sm.lastSavepointPath ? { savepointPath: sm.lastSavepointPath } : {}),
          },
          'self-managed-redeploy',
          diagnose(
            input,
            `${loopText} It started after a change; redeploying the previous jar from the last savepoint.`,
            change,
          ),
        );
      }
      const rb = rollbackFeasibility(obs, incident);
      if (rb.ok) {
        return act(
          { type: 'rollback', currentVersionId: rb.currentVersionId },
          'bad-deploy-rollback',
          diagnose(
            input,
            `${loopText} It started after UpdateApplication ${change.operationId} (version ${change.versionFrom ?? '?'} → ${change.versionTo ?? '?'}); rolling back.`,
            change,
          ),
        );
      }
      if (rb.unknown)
        return { kind: 'check', afterMs: policy.suspectCheckIntervalMs, reason: 'evidence-incomplete' };
      return forceStop(
        input,
        'rollback-impossible-force-stop',
        `${loopText} It started after UpdateApplication ${change.operationId}, but rollback is impossible: ${rb.why}.`,
        change,
      );
    }
  }
}

function forceStop(
  input: DecideInput,
  reason: Reason,
  why: string,
  change?: ReturnType<typeof recentSuccessfulUpdate>,
): Proposal {
  const { obs } = input;
  if (!FORCE_STOP_STATUSES.includes(obs.app.status)) {
    return page(
      'critical',
      'force-stop-impossible',
      diagnose(
        input,
        `${why} StopApplication is not allowed in status ${obs.app.status}; no action.`,
        change,
      ),
    );
  }
  const d = diagnose(
    input,
    `${why} Stopping it with StopApplication Force=true: no snapshot is taken, so restart from an existing snapshot or skip restore.`,
    change,
  );
  return {
    ...act({ type: 'force-stop' }, reason, { ...d, restartOptions: restartOptions(obs, change) }),
    thenPage: 'critical',
  };
}
