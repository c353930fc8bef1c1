import { resolveSecret } from '../../config/load.js';
import type { Clock } from '../../core/clock.js';
import { selfManagedAdmin, type UploadedJar } from '../healer/self-managed.js';
import type { AppTarget, FlinkPorts } from './context.js';
import type { LifecyclePlan } from './lifecycle-plan.js';
import { pickJob, restPortFor } from './rest.js';

/**
 * `flink rollback` / `flink force-stop` for self-managed Flink (docs/healer.md, docs/design.md §2): rollback cancels the
 * running job and resubmits the previous jar from the last savepoint (or retained checkpoint);
 * force-stop cancels the job without a savepoint. Preconditions are checked and explained first.
 */
export interface SelfManagedFacts {
  jobId?: string;
  jobName?: string;
  jobStartedAt?: number;
  currentJar?: UploadedJar;
  previousJar?: UploadedJar;
  restorePath?: string;
  restoreKind?: 'savepoint' | 'checkpoint';
  restoreAt?: number;
}

/** The previous jar: the newest one uploaded before the current job's jar (itself the newest uploaded before the job started). */
export function previousJars(
  jars: UploadedJar[],
  jobStartedAt: number | undefined,
): { current?: UploadedJar; previous?: UploadedJar } {
  const before = [...jars]
    .filter((j) => jobStartedAt === undefined || j.uploaded <= jobStartedAt)
    .sort((a, b) => b.uploaded - a.uploaded);
  return { ...(before[0] ? { current: before[0] } : {}), ...(before[1] ? { previous: before[1] } : {}) };
}

export function planSelfManaged(
  name: string,
  action: 'rollback' | 'force-stop',
  f: SelfManagedFacts,
): LifecyclePlan {
  const refusals: string[] = [];
  if (!f.jobId) refusals.push('no Flink job is running for this application');
  const restore = f.restorePath
    ? `the last ${f.restoreKind} ${f.restorePath}${f.restoreAt ? ` (${new Date(f.restoreAt).toISOString()})` : ''}`
    : undefined;
  if (action === 'rollback') {
    if (!f.previousJar)
      refusals.push('no previous jar in /jars to go back to (upload the previous version first)');
    if (!f.restorePath)
      refusals.push(
        'no savepoint or retained checkpoint to restore state from: resubmitting would lose all state',
      );
    return {
      app: name,
      action,
      allowed: refusals.length === 0,
      refusals,
      explanation: [
        `Self-managed rollback of ${name}: cancel job ${f.jobName ?? ''} (${f.jobId ?? '-'}), then run the previous jar ${f.previousJar?.name ?? '?'} (${f.previousJar?.id ?? '?'}).`,
        restore
          ? `State is restored from ${restore}; input after it is reprocessed.`
          : 'No state to restore from.',
        'The job restarts on the previous code; streamctl then polls its subtasks (with --wait).',
      ],
      status: f.jobId ? 'RUNNING' : 'NO_JOB',
      selfManaged: {
        ...(f.jobId ? { jobId: f.jobId } : {}),
        ...(f.previousJar ? { jarId: f.previousJar.id } : {}),
        ...(f.restorePath ? { savepointPath: f.restorePath } : {}),
      },
    };
  }
  return {
    app: name,
    action,
    allowed: refusals.length === 0,
    refusals,
    explanation: [
      `Cancel job ${f.jobName ?? ''} (${f.jobId ?? '-'}) of ${name} WITHOUT a savepoint: state since ${restore ?? 'the job started'} is not saved.`,
      restore
        ? `To restart: run the jar ${f.currentJar?.name ?? ''} with savepointPath ${f.restorePath} (Flink REST /jars/:id/run), or without it to start empty.`
        : 'To restart: run the jar again (no savepoint exists: it starts without state).',
    ],
    status: f.jobId ? 'RUNNING' : 'NO_JOB',
    selfManaged: { ...(f.jobId ? { jobId: f.jobId } : {}) },
  };
}

export async function prepareSelfManaged(
  t: AppTarget,
  ports: FlinkPorts,
  action: 'rollback' | 'force-stop',
  clock: Clock,
): Promise<LifecyclePlan> {
  const rest = restPortFor(t, ports, clock);
  const job = pickJob(await rest.jobsOverview(), t);
  const live = job && !['FINISHED', 'CANCELED', 'FAILED', 'SUSPENDED'].includes(job.state) ? job : undefined;
  const facts: SelfManagedFacts = {};
  if (live) {
    facts.jobId = live.id;
    facts.jobName = live.name;
    facts.jobStartedAt = live.startTime;
    const cps = await rest.checkpoints(live.id).catch(() => undefined);
    const sp = cps?.latestSavepoint?.externalPath ? cps.latestSavepoint : undefined;
    const cp = cps?.latestCompleted?.externalPath ? cps.latestCompleted : undefined;
    const pick = sp && cp ? (sp.completedAt >= cp.completedAt ? sp : cp) : (sp ?? cp);
    if (pick?.externalPath) {
      facts.restorePath = pick.externalPath;
      facts.restoreKind = pick.isSavepoint ? 'savepoint' : 'checkpoint';
      facts.restoreAt = pick.completedAt;
    }
  }
  const admin = adminFor(t);
  const { current, previous } = previousJars(await admin.jars(), facts.jobStartedAt);
  if (current) facts.currentJar = current;
  if (previous) facts.previousJar = previous;
  return planSelfManaged(t.name, action, facts);
}

export async function performSelfManaged(
  t: AppTarget,
  plan: LifecyclePlan,
): Promise<{ operationId?: string }> {
  const admin = adminFor(t);
  const s = plan.selfManaged ?? {};
  if (s.jobId) await admin.cancel(s.jobId);
  if (plan.action === 'force-stop') return {};
  const jobId = await admin.runJar(s.jarId!, {
    ...(s.savepointPath ? { savepointPath: s.savepointPath } : {}),
  });
  return { operationId: jobId };
}

function adminFor(t: AppTarget) {
  const rest = t.cfg.rest!;
  return selfManagedAdmin(
    rest.url,
    rest.token ? resolveSecret(rest.token, `flink.applications[${t.name}].rest.token`) : undefined,
  );
}
