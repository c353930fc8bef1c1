/**
 * The live HealerActions (src/healer/act/port.ts): RollbackApplication with the current version id,
 * StopApplication Force=true, the self-managed redeploy (cancel, then the previous jar from the last
 * savepoint), and notifications. An AWS or Flink refusal is a value (`ok: false` with the typed
 * error's code and whether it is transient), never a throw: the runner journals it as `rejected`.
 */
import { StreamctlError } from '../../core/errors.js';
import type { ActionResult, ActionTarget, HealerActions, HealerNotification } from '../../healer/act/port.js';
import type { Notifier } from '../../probes/notify/index.js';
import type { FlinkPorts } from '../flink/context.js';
import type { FleetMember } from './fleet.js';
import type { SelfManagedFlinkAdmin } from './self-managed.js';

export interface LiveActionsDeps {
  ports: Pick<FlinkPorts, 'msf'>;
  member(name: string): FleetMember | undefined;
  admin(m: FleetMember): SelfManagedFlinkAdmin | undefined;
  /** The job a self-managed app runs now (GET /jobs/overview + pickJob). */
  currentJobId?(m: FleetMember): Promise<string | undefined>;
  notifier: Pick<Notifier, 'notify'>;
  /** Called for each notification channel that failed (delivery failures never throw). */
  onNotifyResult?: (
    n: HealerNotification,
    results: Array<{ channel: string; ok: boolean; error?: string }>,
  ) => void;
}

/** A thrown error as an ActionResult. */
export function refusal(e: unknown): Extract<ActionResult, { ok: false }> {
  if (e instanceof StreamctlError)
    return { ok: false, error: { code: e.code, message: e.message, transient: e.transient } };
  return {
    ok: false,
    error: { code: 'INTERNAL', message: (e as Error)?.message ?? String(e), transient: false },
  };
}

export class LiveHealerActions implements HealerActions {
  constructor(private readonly deps: LiveActionsDeps) {}

  private managed(target: ActionTarget): { name: string; region?: string } | ActionResult {
    const m = this.deps.member(target.name);
    const name = target.applicationName ?? m?.target.applicationName;
    if (target.kind !== 'managed' || !name)
      return {
        ok: false,
        error: { code: 'NOT_MANAGED', message: `${target.name} is not an MSF application`, transient: false },
      };
    const region = target.region ?? m?.target.region;
    return { name, ...(region ? { region } : {}) };
  }

  async rollback(target: ActionTarget, currentVersionId: number): Promise<ActionResult> {
    const t = this.managed(target);
    if ('ok' in t) return t;
    try {
      const r = await this.deps.ports.msf(t.region).rollback(t.name, { currentVersionId });
      return { ok: true, ...(r.operationId ? { operationId: r.operationId } : {}) };
    } catch (e) {
      return refusal(e);
    }
  }

  async forceStop(target: ActionTarget): Promise<ActionResult> {
    if (target.kind === 'self-managed') return this.cancelSelfManaged(target);
    const t = this.managed(target);
    if ('ok' in t) return t;
    try {
      const r = await this.deps.ports.msf(t.region).stop(t.name, { force: true });
      return { ok: true, ...(r.operationId ? { operationId: r.operationId } : {}) };
    } catch (e) {
      return refusal(e);
    }
  }

  /** Self-managed "force-stop": cancel the job without a savepoint (as MSF's Force=true). */
  private async cancelSelfManaged(target: ActionTarget): Promise<ActionResult> {
    const m = this.deps.member(target.name);
    const admin = m && this.deps.admin(m);
    if (!m || !admin)
      return {
        ok: false,
        error: { code: 'NO_REST', message: `${target.name} has no Flink REST config`, transient: false },
      };
    try {
      const jobId = await this.deps.currentJobId?.(m);
      if (!jobId)
        return {
          ok: false,
          error: { code: 'NO_JOB', message: `${target.name}: no running job to cancel`, transient: false },
        };
      await admin.cancel(jobId);
      return { ok: true, operationId: jobId };
    } catch (e) {
      return refusal(e);
    }
  }

  async redeploySelfManaged(
    target: ActionTarget,
    opts: { jobId?: string; previousJarId?: string; savepointPath?: string },
  ): Promise<ActionResult> {
    const m = this.deps.member(target.name);
    const admin = m && this.deps.admin(m);
    if (!admin)
      return {
        ok: false,
        error: {
          code: 'NO_REST',
          message: `${target.name} has no self-managed Flink REST config`,
          transient: false,
        },
      };
    // Refuse before touching the running job: without the previous jar there is nothing to go back to.
    if (!opts.previousJarId)
      return {
        ok: false,
        error: {
          code: 'NO_PREVIOUS_JAR',
          message: `${target.name}: no previous jar found in /jars to redeploy`,
          transient: false,
        },
      };
    try {
      if (opts.jobId) await admin.cancel(opts.jobId);
      const jobId = await admin.runJar(opts.previousJarId, {
        ...(opts.savepointPath ? { savepointPath: opts.savepointPath } : {}),
      });
      return { ok: true, operationId: jobId };
    } catch (e) {
      return refusal(e);
    }
  }

  async notify(n: HealerNotification): Promise<void> {
    try {
      const results = await this.deps.notifier.notify(n);
      this.deps.onNotifyResult?.(n, results);
    } catch (e) {
      this.deps.onNotifyResult?.(n, [{ channel: 'all', ok: false, error: (e as Error).message }]);
    }
  }
}
