/**
 * The I/O the Flink runbooks share: the lifecycle plans (rollback / force-stop preconditions),
 * carrying out the chosen lifecycle action, and verifying it by subtask polling (docs/design.md §2:
 * poll Flink REST right after an operation, never continuously).
 */
import { fromUnknown } from '../core/errors.js';
import type { RestartOption } from '../healer/decide/decision.js';
import type { OperationStarted } from '../probes/managed-flink/port.js';
import { appTarget } from '../services/flink/context.js';
import { type LifecyclePlan, perform, prepare } from '../services/flink/lifecycle.js';
import { type PollOutcome, waitAfterOperation } from '../services/flink/subtask-poll.js';
import type { ActResult, RunbookContext, VerifyOutcome, VerifyResult } from './types.js';

/** A lifecycle plan as the runbooks keep it: allowed or not, with the reasons and the words. */
export interface LifecycleView {
  allowed: boolean;
  refusals: string[];
  explanation: string[];
  latestSnapshot?: string;
  restartOptions?: RestartOption[];
  /** The full plan, needed to perform it. */
  plan?: LifecyclePlan;
}

/** Plans rollback and force-stop; a self-managed app or an unreadable one gets a refusal, not an error. */
export async function lifecycleViews(
  ctx: RunbookContext,
  app: string,
): Promise<{ rollback: LifecycleView; forceStop: LifecycleView }> {
  const one = async (action: 'rollback' | 'force-stop'): Promise<LifecycleView> => {
    try {
      const plan = await prepare(ctx.config, ctx.flinkPorts(), app, action, ctx.clock.now());
      return {
        allowed: plan.allowed,
        refusals: plan.refusals,
        explanation: plan.explanation,
        ...(plan.latestSnapshot ? { latestSnapshot: plan.latestSnapshot.name } : {}),
        ...(plan.restartOptions ? { restartOptions: plan.restartOptions } : {}),
        plan,
      };
    } catch (e) {
      const err = fromUnknown(e, `planning ${action} of ${app}`);
      if (err.code === 'CONFIG' && !/self-managed/.test(err.message)) throw err;
      return { allowed: false, refusals: [err.message], explanation: [] };
    }
  };
  const [rollback, forceStop] = await Promise.all([one('rollback'), one('force-stop')]);
  return { rollback, forceStop };
}

/** Performs a planned rollback / force-stop. */
export async function performLifecycle(
  ctx: RunbookContext,
  view: LifecycleView,
  what: string,
): Promise<ActResult> {
  if (!view.plan) throw new Error(`${what}: no plan`); // options() never offers an unplanned action
  const started = await perform(ctx.config, ctx.flinkPorts(), view.plan);
  ctx.progress({
    step: 'act',
    at: ctx.clock.now(),
    text: `${what} requested${started.operationId ? ` (operation ${started.operationId})` : ''}`,
  });
  return {
    summary: `${what} requested${started.operationId ? ` (operation ${started.operationId})` : ''}`,
    lines: view.explanation,
    data: started,
  };
}

const OUTCOME: Record<PollOutcome['outcome'], VerifyOutcome> = {
  'all-running': 'healed',
  failed: 'failed',
  unavailable: 'unknown',
  timeout: 'timeout',
};

/** Waits for the application to settle: subtasks all RUNNING after a rollback, READY after a force-stop. */
export async function verifyLifecycle(
  ctx: RunbookContext,
  app: string,
  expect: 'running' | 'stopped',
  act?: ActResult,
): Promise<VerifyResult> {
  // Wait for the operation itself first, so the old (looping) job's subtasks are not read as the outcome.
  const operationId = (act?.data as { operationId?: string } | undefined)?.operationId;
  const r = await waitAfterOperation(ctx.config, ctx.flinkPorts(), app, {
    ...(operationId ? { operationId } : {}),
    timeoutMs: ctx.timeoutMs,
    intervalMs: ctx.pollIntervalMs,
    expect,
    clock: ctx.clock,
    onProgress: (line) => ctx.progress({ step: 'verify', at: ctx.clock.now(), text: line }),
  });
  // Healthy subtasks after a FAILED operation mean the old version kept running: not healed.
  const op = await operationOutcome(ctx, app, act);
  if (op?.status === 'FAILED') {
    return {
      outcome: 'failed',
      summary: `the ${op.operation} operation FAILED${op.errorString ? `: ${op.errorString}` : ''}`,
      lines: [`subtasks: ${r.last.state} — ${r.last.reason}`],
      data: { poll: r, operation: op },
    };
  }
  const outcome = OUTCOME[r.outcome];
  const summary =
    expect === 'stopped'
      ? outcome === 'healed'
        ? 'the application is READY (stopped); restart it with one of the restart options'
        : `the application did not reach READY: ${r.last.reason}`
      : outcome === 'healed'
        ? `all subtasks RUNNING (${r.polls} poll${r.polls === 1 ? '' : 's'})`
        : outcome === 'failed'
          ? `subtasks failing after the action: ${r.last.reason}`
          : outcome === 'unknown'
            ? `could not verify the subtasks: ${r.last.reason}`
            : `not settled before the timeout: ${r.last.reason}`;
  return {
    outcome,
    summary,
    lines: [
      `last: ${r.last.state} — ${r.last.reason}`,
      ...(op ? [`operation ${op.operation} ${op.status}`] : []),
    ],
    data: { poll: r, ...(op ? { operation: op } : {}) },
  };
}

/** The operation the act step started, as MSF reports it now (undefined when unknown). */
async function operationOutcome(ctx: RunbookContext, app: string, act?: ActResult) {
  const id = (act?.data as OperationStarted | undefined)?.operationId;
  if (!id) return undefined;
  const t = appTarget(ctx.config, app);
  return ctx
    .flinkPorts()
    .msf(t.region)
    .describeOperation(t.applicationName!, id)
    .catch(() => undefined);
}
