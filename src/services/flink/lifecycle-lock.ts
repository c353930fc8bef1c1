/**
 * `flink rollback` / `flink force-stop` act holding the application's lock `flink:<app>` in the
 * coordination store (shared with the healer and the runbooks), journaled as operator actions
 * before and after. A held lock refuses naming its holder; `--force-unlock` removes it first,
 * after its own confirmation.
 */
import type { Config } from '../../config/schema.js';
import type { OperationStarted } from '../../probes/managed-flink/port.js';
import { targetKey } from '../../store/port.js';
import { journaled, withTargetLock } from '../../store/target-lock.js';
import { forceUnlock, storeFor } from '../target-locks.js';
import type { LifecyclePlan } from './lifecycle.js';

/** Runs `perform` under the app's lock, journaled. */
export async function performLocked(
  config: Config,
  plan: LifecyclePlan,
  action: 'rollback' | 'force-stop',
  opts: {
    forceUnlock: boolean;
    confirm(question: string): Promise<void>;
    perform(): Promise<OperationStarted>;
    now?: () => number;
  },
): Promise<OperationStarted> {
  const now = opts.now ?? Date.now;
  const target = targetKey('flink', plan.app);
  const store = await storeFor(config);
  try {
    if (opts.forceUnlock) await forceUnlock(store, target, opts.confirm, now);
    return await withTargetLock(
      store,
      {
        target,
        owner: `streamctl flink ${action}`,
        now: now(),
        forceUnlockHint: `streamctl flink ${action} ${plan.app} --force-unlock`,
      },
      () =>
        journaled(store, { actor: 'cli', target, action }, now, opts.perform, (s) =>
          s.operationId ? `operation ${s.operationId}` : undefined,
        ),
    );
  } finally {
    await store.close();
  }
}
