/**
 * Step 4 of the ladder (ladder.ts) for a restart loop, pure: what to propose, by what is known
 * about the loop. After an action that did not heal: force-stop once, then give up. Otherwise by
 * the classifier's verdict: unknown pages; system lets Flink's restart strategy work until the
 * loop lasts too long; user rolls back (or redeploys) the change that started the loop, and pages
 * with the evidence when there is no such change (docs/design.md §4, the ladder's steps 4, 6, 7).
 */
import { FORCE_STOP_STATUSES } from '../action.js';
import type { Anomaly } from '../anomaly.js';
import { effectiveVerdict, isEnvironmentFault } from '../classifier.js';
import { actionsOfType } from '../incident.js';
import type { Decision, Reason } from './decision.js';
import { act, diagnose, page } from './diagnosis.js';
import { recentSuccessfulUpdate, restartOptions, rollbackFeasibility } from './evidence.js';
import type { DecideInput } from './input.js';

/** A decision other than a record: what the ladder proper proposes. */
export type Proposal = Exclude<Decision, { kind: 'record' }>;

type Loop = Extract<Anomaly, { kind: 'restart-loop' }>;
type Change = NonNullable<ReturnType<typeof recentSuccessfulUpdate>>;

/** What is known of the loop, shared by every branch. */
interface LoopFacts {
  input: DecideInput;
  loop: Loop;
  /** When the incident's loop began (or the loop's first restart). */
  loopSince: number;
  loopAge: number;
  /** The loop in one sentence, the start of every diagnosis. */
  text: string;
}

/** The proposal for a restart loop. */
export function proposeForLoop(input: DecideInput, loop: Loop): Proposal {
  const { state, policy, now, obs } = input;
  const loopSince = state.incident?.loopSince ?? loop.firstRestartAt;
  const facts: LoopFacts = {
    input,
    loop,
    loopSince,
    loopAge: now - loopSince,
    text: `${obs.app.name} is in a restart loop: ${loop.restarts} restarts in ${loop.periods} of the last ${policy.loop.windowPeriods} minutes (${loop.metric}).`,
  };
  if (state.phase === 'failed') return afterFailedAction(facts);
  const verdict = effectiveVerdict(input.classification, policy.minConfidence);
  switch (verdict) {
    case 'unknown':
      return page(
        'critical',
        'verdict-unknown',
        diagnose(input, `${facts.text} The cause is unclear (verdict unknown); no automatic action.`),
      );
    case 'system':
      return forSystemFault(facts);
    case 'user': {
      const change = recentSuccessfulUpdate(
        obs,
        now,
        policy.recentChangeWindowMs,
        loopSince,
        policy.periodMs,
      );
      return change ? forChangedUserLoop(facts, change) : forUnchangedUserLoop(facts);
    }
  }
}

/** After an action that did not heal: force-stop once, then give up (no rollback ping-pong). */
function afterFailedAction({ input, text }: LoopFacts): Proposal {
  const incident = input.state.incident;
  if (actionsOfType(incident, 'force-stop') > 0) {
    return page(
      'critical',
      'force-stop-impossible',
      diagnose(input, `${text} The force-stop did not stop it; giving up.`),
    );
  }
  const last = incident?.actions[incident.actions.length - 1];
  const what =
    last?.outcome === 'rejected'
      ? `The ${last.type} was rejected.`
      : `The ${last?.type ?? 'rollback'} did not heal it.`;
  return forceStop(input, 'rollback-did-not-heal-force-stop', `${text} ${what}`);
}

/** A system fault: healthy code is not rolled back; Flink restarts it, and a long loop pages. */
function forSystemFault({ input, loopAge, text }: LoopFacts): Proposal {
  const { policy } = input;
  if (loopAge >= policy.systemLoopPageAfterMs) {
    return page(
      'critical',
      'system-fault-persistent',
      diagnose(
        input,
        `${text} The failure is outside the job's code and has lasted ${Math.round(loopAge / 60_000)} min; a rollback would not help.`,
      ),
    );
  }
  return {
    kind: 'check',
    afterMs: Math.min(policy.tickIntervalMs, policy.systemLoopPageAfterMs - loopAge),
    reason: 'system-fault-flink-restarting',
  };
}

/** A job fault with no recent UpdateApplication: nothing to roll back to. */
function forUnchangedUserLoop({ input, loopSince, loopAge, text }: LoopFacts): Proposal {
  const { policy, now, obs } = input;
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
        `${text} The failure points at permissions or an endpoint${external ? ` (${external.kind} change: ${external.detail})` : ''}, and no UpdateApplication preceded it: a change outside the application lifecycle. A rollback cannot fix it.`,
      ),
    );
  }
  // Nothing shows that stopping an unchanged job helps, and StopApplication Force=true takes
  // no snapshot and needs a human to restart: page with the evidence. Stopping is opt-in.
  if (policy.forceStopUnchangedLoops && loopAge >= policy.userLoopForceStopAfterMs) {
    return forceStop(
      input,
      'user-loop-persists-force-stop',
      `${text} A job fault with no recent change (e.g. a poison message) has lasted ${Math.round(loopAge / 60_000)} min.`,
    );
  }
  const d = diagnose(
    input,
    `${text} A fault in the job with no recent change (e.g. a poison message or an upstream schema change): nothing to roll back to, and no automatic action. Fix or skip the input, or stop it and restart from one of the options.`,
  );
  return page('critical', 'user-fault-no-recent-change', { ...d, restartOptions: restartOptions(obs) });
}

/** A job fault that started after a change: undo the change, when that restores a good version. */
function forChangedUserLoop({ input, loop, text }: LoopFacts, change: Change): Proposal {
  const { policy, obs } = input;
  if (loop.loopedBeforeReset) {
    // The job already looped before this change reset its counter: the change (perhaps a fix
    // attempt) did not start the loop, and the version before it looped too. Rolling back
    // would restore a broken version: page with the evidence.
    const d = diagnose(
      input,
      `${text} It already looped before UpdateApplication ${change.operationId}, so the change did not cause it and the previous version is not a known-good one; no rollback.`,
      change,
    );
    return page('critical', 'loop-predates-change', { ...d, restartOptions: restartOptions(obs, change) });
  }
  if (obs.app.kind === 'self-managed') return redeploySelfManaged(input, text, change);
  const rb = rollbackFeasibility(obs, input.state.incident);
  if (rb.ok) {
    return act(
      { type: 'rollback', currentVersionId: rb.currentVersionId },
      'bad-deploy-rollback',
      diagnose(
        input,
        `${text} It started after UpdateApplication ${change.operationId} (version ${change.versionFrom ?? '?'} → ${change.versionTo ?? '?'}); rolling back.`,
        change,
      ),
    );
  }
  if (rb.unknown)
    return { kind: 'check', afterMs: policy.suspectCheckIntervalMs, reason: 'evidence-incomplete' };
  return forceStop(
    input,
    'rollback-impossible-force-stop',
    `${text} It started after UpdateApplication ${change.operationId}, but rollback is impossible: ${rb.why}.`,
    change,
  );
}

/** Self-managed Flink has no RollbackApplication: the previous jar is run from the last savepoint. */
function redeploySelfManaged(input: DecideInput, text: string, change: Change): Proposal {
  const sm = input.obs.selfManaged ?? {};
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
      `${text} It started after a change; redeploying the previous jar from the last savepoint.`,
      change,
    ),
  );
}

/** StopApplication Force=true, then a page: allowed only in the statuses MSF accepts it in. */
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
