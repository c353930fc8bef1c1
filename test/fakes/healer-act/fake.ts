/**
 * A hand-written fake of HealerActions for tests: records every call, answers from a script
 * (default: accepted), and fails on an unexpected action when `strict` is set.
 */
import type {
  ActionResult,
  ActionTarget,
  HealerActions,
  HealerNotification,
} from '../../../src/healer/act/port.js';

export type FakeCall =
  | { type: 'rollback'; app: string; currentVersionId: number }
  | { type: 'force-stop'; app: string }
  | {
      type: 'self-managed-redeploy';
      app: string;
      opts: { jobId?: string; previousJarId?: string; savepointPath?: string };
    };

export class FakeHealerActions implements HealerActions {
  readonly calls: FakeCall[] = [];
  readonly notifications: HealerNotification[] = [];
  private readonly script: Partial<Record<FakeCall['type'], ActionResult[]>>;
  private opCounter = 0;

  constructor(script: Partial<Record<FakeCall['type'], ActionResult[]>> = {}) {
    this.script = { ...script };
  }

  private answer(type: FakeCall['type']): ActionResult {
    const next = this.script[type]?.shift();
    return next ?? { ok: true, operationId: `op-${type}-${++this.opCounter}` };
  }

  async rollback(target: ActionTarget, currentVersionId: number): Promise<ActionResult> {
    this.calls.push({ type: 'rollback', app: target.name, currentVersionId });
    return this.answer('rollback');
  }

  async forceStop(target: ActionTarget): Promise<ActionResult> {
    this.calls.push({ type: 'force-stop', app: target.name });
    return this.answer('force-stop');
  }

  async redeploySelfManaged(
    target: ActionTarget,
    opts: { jobId?: string; previousJarId?: string; savepointPath?: string },
  ): Promise<ActionResult> {
    this.calls.push({ type: 'self-managed-redeploy', app: target.name, opts });
    return this.answer('self-managed-redeploy');
  }

  async notify(n: HealerNotification): Promise<void> {
    this.notifications.push(n);
  }
}
