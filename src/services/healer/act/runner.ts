/**
 * Performs one action: journal the intent (durably) BEFORE the call, call the playbook through the
 * port, journal the outcome AFTER. Port methods return ActionResult and never throw for an AWS
 * refusal; anything thrown is a crash of the daemon and propagates (the intent stays unfinished
 * and is reconciled on restart).
 */

import type { ActionResult, HealerActions } from '../../../healer/act/port.js';
import { operationOf } from '../../../healer/action.js';
import type { Decision } from '../../../healer/decide/decision.js';
import type { HealerJournal } from '../../../healer/journal/port.js';
import type { AppObservation } from '../../../healer/observation.js';
import { runPlaybook } from './playbooks.js';

export interface ActionRun {
  intentId: string;
  result: ActionResult;
}

/**
 * `onIntent` runs after the intent is durable and before the call: the caller moves the app's
 * state to acting there, so a crash during the call leaves the state consistent with the journal.
 */
export async function performAction(
  deps: { actions: HealerActions; journal: HealerJournal; now: () => number },
  obs: AppObservation,
  decision: Extract<Decision, { kind: 'act' }>,
  incidentKey: string | undefined,
  onIntent: (intentId: string) => Promise<void> | void,
): Promise<ActionRun> {
  const at = deps.now();
  const intentId = await deps.journal.recordIntent({
    at,
    app: obs.app.name,
    ...(incidentKey ? { incidentKey } : {}),
    action: decision.action,
    reason: decision.reason,
    operation: operationOf(decision.action.type),
  });
  await onIntent(intentId);
  const target = {
    name: obs.app.name,
    kind: obs.app.kind,
    ...(obs.app.applicationName ? { applicationName: obs.app.applicationName } : {}),
    ...(obs.app.region ? { region: obs.app.region } : {}),
  };
  const result = await runPlaybook(deps.actions, target, decision.action);
  await deps.journal.recordOutcome({
    intentId,
    at: deps.now(),
    status: result.ok ? 'accepted' : 'rejected',
    ...(result.ok && result.operationId ? { operationId: result.operationId } : {}),
    ...(result.ok ? {} : { detail: `${result.error.code}: ${result.error.message}` }),
  });
  return { intentId, result };
}
