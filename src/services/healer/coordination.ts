/**
 * The healer's side of the per-target locks (src/store/target-lock.ts), as decorators of its two
 * live ports:
 *   - the observer attaches the lock another actor holds on an application (`flink:<app>`: a
 *     runbook, `flink rollback`, an operator) to its observation, so the ladder waits
 *     (`target-locked`) instead of acting;
 *   - the actions take that lock, under the leader's fencing token, before any call that changes
 *     an application, and release it when the call returns. A refusal is a value (`LOCKED`,
 *     transient), journaled as `rejected` by the runner. Notifications are sent only while the
 *     lease is held (a paused ex-leader does not page twice).
 * A lock held by an older healer leader (a lower fencing token) is superseded, not waited for.
 */
import type { ActionResult, ActionTarget, HealerActions, HealerNotification } from '../../healer/act/port.js';
import type { AppObservation, TargetLock as ObservedLock } from '../../healer/observation.js';
import { isStaleFence } from '../../store/fence.js';
import { type CoordinationStore, type Fence, type TargetLock, targetKey } from '../../store/port.js';
import { acquireTargetLock, describeHolder, staleReason } from '../../store/target-lock.js';
import type { FleetObserver } from './tick.js';

/** Owner prefix of the healer's locks. */
export const HEALER_OWNER = 'streamctl healer';

/** How long a healer lock lives if its holder dies mid-call (released as soon as the call returns). */
export const HEALER_LOCK_TTL_MS = 10 * 60_000;

/** Whether a held lock blocks a healer acting under `fence` (stale and superseded ones do not). */
export function blocksHealer(l: TargetLock, now: number, fence: Fence | undefined): boolean {
  if (staleReason(l, now) !== undefined) return false;
  if (l.owner.startsWith(HEALER_OWNER) && fence && l.fence !== undefined && l.fence < fence.token)
    return false;
  return !l.owner.startsWith(HEALER_OWNER) || l.pid !== process.pid;
}

/** The observer, with other actors' locks attached to the observations. */
export class LockAwareObserver implements FleetObserver {
  constructor(
    private readonly inner: FleetObserver,
    private readonly store: CoordinationStore,
    private readonly fence: () => Fence | undefined,
  ) {}

  private async attach(obs: AppObservation[], now: number): Promise<AppObservation[]> {
    const held = new Map((await this.store.locks()).map((l) => [l.target, l]));
    if (held.size === 0) return obs;
    const f = this.fence();
    return obs.map((o) => {
      const l = held.get(targetKey('flink', o.app.name));
      if (!l || !blocksHealer(l, now, f)) return o;
      const lock: ObservedLock = {
        kind: l.owner.includes('rebalance') ? 'rebalance' : 'streamctl-action',
        holder: describeHolder(l),
        since: l.acquiredAt,
      };
      return { ...o, lock };
    });
  }

  async observe(now: number, apps?: readonly string[]): Promise<AppObservation[]> {
    return this.attach(await this.inner.observe(now, apps), now);
  }

  async enrich(obs: AppObservation[], now: number, opts: { subtasksFor: ReadonlySet<string> }) {
    return this.attach(await this.inner.enrich(obs, now, opts), now);
  }
}

const locked = (message: string): ActionResult => ({
  ok: false,
  error: { code: 'LOCKED', message, transient: true },
});

/** The actions, each under the application's lock and the leader's fence. */
export class LockedHealerActions implements HealerActions {
  constructor(
    private readonly inner: HealerActions,
    private readonly store: CoordinationStore,
    private readonly replica: string,
    private readonly fence: () => Fence | undefined,
    private readonly now: () => number,
  ) {}

  private async locked(target: ActionTarget, call: () => Promise<ActionResult>): Promise<ActionResult> {
    const fence = this.fence();
    if (!fence) return locked('this replica is not the leader (lease lost or expired): not acting');
    const now = this.now();
    let handle: Awaited<ReturnType<typeof acquireTargetLock>>;
    try {
      handle = await acquireTargetLock(this.store, {
        target: targetKey('flink', target.name),
        owner: `${HEALER_OWNER} (replica ${this.replica})`,
        now,
        ttlMs: HEALER_LOCK_TTL_MS,
        fence,
      });
    } catch (e) {
      // A stale token is a crash-worthy condition for the tick (the runner must not record it as
      // an ordinary refusal under the old token): rethrown. A held lock is a value.
      if (isStaleFence(e)) throw e;
      return locked((e as Error).message);
    }
    try {
      return await call();
    } finally {
      await handle.release();
    }
  }

  rollback(target: ActionTarget, currentVersionId: number): Promise<ActionResult> {
    return this.locked(target, () => this.inner.rollback(target, currentVersionId));
  }

  forceStop(target: ActionTarget): Promise<ActionResult> {
    return this.locked(target, () => this.inner.forceStop(target));
  }

  redeploySelfManaged(
    target: ActionTarget,
    opts: { jobId?: string; previousJarId?: string; savepointPath?: string },
  ): Promise<ActionResult> {
    return this.locked(target, () => this.inner.redeploySelfManaged(target, opts));
  }

  async notify(n: HealerNotification): Promise<void> {
    if (this.fence()) await this.inner.notify(n);
  }
}
