/**
 * Playbooks as data: for each action, the MSF operation it starts, what "settled" means, how it is
 * verified, what a human must know, and how to call it through the port.
 */

import type { ActionResult, ActionTarget, HealerActions } from '../../../healer/act/port.js';
import type { HealerAction, HealerActionType } from '../../../healer/action.js';
import { operationOf } from '../../../healer/action.js';

export interface Playbook<T extends HealerActionType = HealerActionType> {
  type: T;
  /** Operation name as ListApplicationOperations reports it (reconcile after a crash looks for it). */
  operation: string;
  /** Status the application reaches when the action has settled. */
  settlesTo: 'RUNNING' | 'READY';
  verify: 'subtasks-then-metrics' | 'status';
  /** What the page says about the action's side effects. */
  note: string;
  run(
    port: HealerActions,
    target: ActionTarget,
    action: Extract<HealerAction, { type: T }>,
  ): Promise<ActionResult>;
}

export const PLAYBOOKS: { [T in HealerActionType]: Playbook<T> } = {
  rollback: {
    type: 'rollback',
    operation: operationOf('rollback'),
    settlesTo: 'RUNNING',
    verify: 'subtasks-then-metrics',
    note: 'RollbackApplication restores the previous application version from the last successful snapshot.',
    run: (port, target, a) => port.rollback(target, a.currentVersionId),
  },
  'force-stop': {
    type: 'force-stop',
    operation: operationOf('force-stop'),
    settlesTo: 'READY',
    verify: 'status',
    note: 'StopApplication Force=true takes NO snapshot: restart from an existing snapshot or skip restore.',
    run: (port, target) => port.forceStop(target),
  },
  'self-managed-redeploy': {
    type: 'self-managed-redeploy',
    operation: operationOf('self-managed-redeploy'),
    settlesTo: 'RUNNING',
    verify: 'subtasks-then-metrics',
    note: 'Cancels the job and resubmits the previous jar from the last savepoint.',
    run: (port, target, a) => port.redeploySelfManaged(target, a),
  },
};

/** Runs the playbook of an action through the port. */
export function runPlaybook(
  port: HealerActions,
  target: ActionTarget,
  action: HealerAction,
): Promise<ActionResult> {
  switch (action.type) {
    case 'rollback':
      return PLAYBOOKS.rollback.run(port, target, action);
    case 'force-stop':
      return PLAYBOOKS['force-stop'].run(port, target, action);
    case 'self-managed-redeploy':
      return PLAYBOOKS['self-managed-redeploy'].run(port, target, action);
  }
}
