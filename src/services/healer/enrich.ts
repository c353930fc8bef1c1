/**
 * The enriched tier of one observation (tick.ts asks for it only for apps that restarted, are busy,
 * changed status or have an incident/action): DescribeApplication (+ tags: the
 * `streamctl:healing=off` opt-out), ListApplicationOperations (DescribeApplicationOperation for
 * the newest failed operation and the newest update, whose details the listing lacks),
 * ListApplicationSnapshots, the failure texts of a loop, and — only when asked (`wantsSubtasks`:
 * right after an operation or while verifying) — the subtasks through presigned Flink REST.
 *
 * Failure texts: Flink REST /jobs/:id/exceptions first (the loop's first failure is what the
 * classifier needs); when the dashboard is unavailable, the CloudWatch Logs Insights first-failure
 * query. They are fetched only while the counter shows restarts, never continuously.
 */
import type { ApplicationOperation, ApplicationSnapshot } from '../../domain/flink.js';
import { restartsPerPeriod } from '../../domain/restart-counter.js';
import {
  type AppObservation,
  type FailureText,
  isoMs,
  type SubtaskObservation,
} from '../../healer/observation.js';
import type { HealerPolicy } from '../../healer/policy.js';
import { fetchFirstFailure } from '../../probes/cloudwatch-logs/index.js';
import { DashboardUnavailable, FlinkRestError, type FlinkRestPort } from '../../probes/flink-rest/index.js';
import { DashboardUnavailableError } from '../../probes/managed-flink/errors.js';
import type { ManagedApplicationDetail } from '../../probes/managed-flink/port.js';
import type { FlinkPorts } from '../flink/context.js';
import { pickJob } from '../flink/rest.js';
import type { FleetMember } from './fleet.js';
import type { SelfManagedFlinkAdmin } from './self-managed.js';

export interface EnrichDeps {
  ports: FlinkPorts;
  rest: FlinkRestPort;
  policy: HealerPolicy;
  wantSubtasks: boolean;
  /** Self-managed only: /jars (the previous jar of a redeploy). */
  admin?: SelfManagedFlinkAdmin;
  /**
   * Failure texts read recently, per app: a loop is classified once per incident, so re-reading
   * the exception history at every suspect re-check would only poll Flink REST for nothing.
   */
  failureCache?: Map<string, { at: number; texts: FailureText[] }>;
}

/** How long fetched failure texts are reused before the exception history is read again. */
export const FAILURE_TEXT_TTL_MS = 60_000;

async function cachedFailures(
  app: string,
  now: number,
  deps: EnrichDeps,
  fetch: () => Promise<FailureText[]>,
): Promise<FailureText[]> {
  const hit = deps.failureCache?.get(app);
  if (hit && now - hit.at < FAILURE_TEXT_TTL_MS) return hit.texts;
  const texts = await fetch();
  // Nothing found is not cached: the next tick may find the text (e.g. once the dashboard is back).
  if (texts.length > 0) deps.failureCache?.set(app, { at: now, texts });
  return texts;
}

/** Exceptions read per loop: Flink keeps 16 by default (web.exception-history-size). */
const MAX_EXCEPTIONS = 16;
/** How far back the Logs Insights fallback looks for the loop's first failure. */
const LOGS_LOOKBACK_MS = 60 * 60_000;

/** Whether the counter moved in the window (restarts > 0 in a known period): failures are worth reading. */
export function restartedRecently(o: AppObservation): boolean {
  if (!o.restarts) return false;
  return restartsPerPeriod(o.restarts).some((p) => (p.restarts ?? 0) > 0);
}

/** Enriches one observation (throws only on a failure of the MSF control plane itself). */
export async function enrichObservation(
  o: AppObservation,
  m: FleetMember,
  now: number,
  deps: EnrichDeps,
): Promise<AppObservation> {
  return m.kind === 'managed' ? enrichManaged(o, m, now, deps) : enrichSelfManaged(o, m, now, deps);
}

async function enrichManaged(
  o: AppObservation,
  m: FleetMember,
  now: number,
  deps: EnrichDeps,
): Promise<AppObservation> {
  const name = m.target.applicationName!;
  const msf = deps.ports.msf(m.target.region);
  const detail = await msf.describeApplication(name);
  const operations = await detailedOperations(msf, name, await msf.listOperations(name), now, deps.policy);
  const snaps = (await msf.listSnapshots(name)).filter((s) => s.status === 'READY');
  const out: AppObservation = {
    ...o,
    app: appInfo(detail, m.name),
    operations,
    snapshots: snapshotsOf(snaps),
  };
  const failures: FailureText[] = [];
  if (restartedRecently(o))
    failures.push(...(await cachedFailures(m.name, now, deps, () => failureTexts(out, detail, now, deps))));
  for (const op of operations) {
    if (op.status === 'FAILED' && op.errorString)
      failures.push({
        at: isoMs(op.endTime) ?? isoMs(op.startTime) ?? now,
        text: op.errorString,
        source: 'operation',
      });
  }
  if (failures.length) out.failures = failures.sort((a, b) => a.at - b.at);
  if (deps.wantSubtasks) out.subtasks = await subtasksOf(out, m, now, deps.rest);
  return out;
}

/** The domain info of a described app under its streamctl name (no env properties: they may hold secrets). */
function appInfo(d: ManagedApplicationDetail, name: string): AppObservation['app'] {
  const { logTargets: _l, environmentProperties: _e, conditionalToken: _c, ...info } = d;
  return { ...info, name };
}

function snapshotsOf(snaps: ApplicationSnapshot[]): NonNullable<AppObservation['snapshots']> {
  const sorted = [...snaps].sort((a, b) => (isoMs(b.createTime) ?? 0) - (isoMs(a.createTime) ?? 0));
  return { count: sorted.length, ...(sorted[0] ? { latest: sorted[0] } : {}), items: sorted };
}

/**
 * ListApplicationOperations has no versions and no error text: describe the newest FAILED operation
 * and the newest UpdateApplication of the recent-change window (at most two calls per app).
 */
async function detailedOperations(
  msf: ReturnType<FlinkPorts['msf']>,
  name: string,
  ops: ApplicationOperation[],
  now: number,
  policy: HealerPolicy,
): Promise<ApplicationOperation[]> {
  const recent = (op: ApplicationOperation) =>
    now - (isoMs(op.endTime) ?? isoMs(op.startTime) ?? 0) < policy.recentChangeWindowMs;
  const pick = [
    ops.find((op) => op.status === 'FAILED' && recent(op)),
    ops.find((op) => op.operation === 'UpdateApplication' && recent(op)),
  ].filter((op): op is ApplicationOperation => op !== undefined);
  const details = new Map<string, ApplicationOperation>();
  for (const op of pick) {
    if (details.has(op.operationId)) continue;
    try {
      details.set(op.operationId, { ...op, ...(await msf.describeOperation(name, op.operationId)) });
    } catch {
      /* the listing's row is still evidence; the details stay unknown */
    }
  }
  return ops.map((op) => details.get(op.operationId) ?? op);
}

/** The loop's failures: Flink REST exceptions, else the Logs Insights first failure. */
async function failureTexts(
  o: AppObservation,
  detail: ManagedApplicationDetail,
  now: number,
  deps: EnrichDeps,
): Promise<FailureText[]> {
  if (o.app.status === 'RUNNING') {
    try {
      return await restFailures(deps.rest, o, detail.name);
    } catch (e) {
      if (
        !(
          e instanceof DashboardUnavailable ||
          e instanceof DashboardUnavailableError ||
          e instanceof FlinkRestError
        )
      )
        throw e;
    }
  }
  const groups = [...new Set(detail.logTargets.map((l) => l.logGroupName))];
  if (groups.length === 0) return [];
  try {
    const first = await fetchFirstFailure(deps.ports.logs(detail.region), {
      logGroupNames: groups,
      start: now - LOGS_LOOKBACK_MS,
      end: now,
    });
    return first ? [{ at: first.timestamp, text: first.exceptionText, source: 'logs' }] : [];
  } catch {
    return [];
  }
}

async function restFailures(rest: FlinkRestPort, o: AppObservation, jobName: string): Promise<FailureText[]> {
  const jobs = await rest.jobsOverview();
  const job = pickJob(jobs, {
    name: o.app.name,
    kind: o.app.kind,
    cfg: {
      name: o.app.name,
      healing: { enabled: true },
      ...(o.app.kind === 'managed' ? { managed: { applicationName: jobName } } : {}),
    },
  });
  if (!job) return [];
  const exc = await rest.exceptions(job.id, MAX_EXCEPTIONS);
  const texts: FailureText[] = exc.entries.map((e) => ({
    at: e.timestamp,
    text: e.stacktrace,
    source: 'exceptions',
  }));
  if (texts.length === 0 && exc.rootException)
    texts.push({
      at: exc.rootException.timestamp ?? o.observedAt,
      text: exc.rootException.stacktrace,
      source: 'exceptions',
    });
  return texts.sort((a, b) => a.at - b.at);
}

/** Subtasks through (presigned) Flink REST, or why they could not be read. */
export async function subtasksOf(
  o: AppObservation,
  m: FleetMember,
  now: number,
  rest: FlinkRestPort,
): Promise<SubtaskObservation> {
  if (o.app.status !== 'RUNNING') return { available: false, observedAt: now, reason: 'not-running' };
  try {
    const job = pickJob(await rest.jobsOverview(), m.target);
    if (!job) return { available: false, observedAt: now, reason: 'error', detail: 'no Flink job found' };
    return { available: true, observedAt: now, job: await rest.job(job.id) };
  } catch (e) {
    if (e instanceof DashboardUnavailable || e instanceof DashboardUnavailableError)
      return { available: false, observedAt: now, reason: 'dashboard-unavailable', detail: e.message };
    if (e instanceof FlinkRestError && e.failure === 'denied')
      return { available: false, observedAt: now, reason: 'forbidden', detail: e.message };
    return { available: false, observedAt: now, reason: 'error', detail: (e as Error).message };
  }
}

/**
 * Self-managed Flink: the job's submissions stand in for MSF operations — each job of the
 * application is a `SubmitJob` operation (what reconcile looks for after a crash mid-redeploy), and
 * the newest job, when an older one of the same application exists, is also the
 * `UpdateApplication` that deployed the running code (the "recent change" of the ladder).
 */
async function enrichSelfManaged(
  o: AppObservation,
  m: FleetMember,
  now: number,
  deps: EnrichDeps,
): Promise<AppObservation> {
  const rest = deps.rest;
  const all = await rest.jobsOverview();
  const job = pickJob(all, m.target);
  const wanted = m.target.cfg.rest?.jobName;
  const mine = all
    .filter((j) => !wanted || j.name === wanted || j.name.startsWith(`${wanted} `))
    .sort((a, b) => a.startTime - b.startTime);
  const operations: ApplicationOperation[] = mine.map((j) => ({
    operationId: j.id,
    operation: 'SubmitJob',
    status: 'SUCCESSFUL',
    startTime: new Date(j.startTime).toISOString(),
    endTime: new Date(j.startTime).toISOString(),
  }));
  const newest = mine[mine.length - 1];
  if (newest && mine.length > 1)
    operations.push({
      operationId: `deploy-${newest.id}`,
      operation: 'UpdateApplication',
      status: 'SUCCESSFUL',
      startTime: new Date(newest.startTime).toISOString(),
      endTime: new Date(newest.startTime).toISOString(),
    });
  const out: AppObservation = { ...o, operations };
  if (!job) return out;
  const [cps, jars] = await Promise.all([
    rest.checkpoints(job.id).catch(() => undefined),
    deps.admin?.jars().catch(() => undefined),
  ]);
  if (cps) {
    out.lastCheckpointAt =
      cps.latestCompleted?.completedAt ?? (cps.counts.completed === 0 ? null : undefined);
    if (out.lastCheckpointAt === undefined) delete out.lastCheckpointAt;
  }
  const savepoint =
    (cps?.restored?.isSavepoint ? cps.restored.externalPath : undefined) ??
    cps?.latestSavepoint?.externalPath ??
    cps?.restored?.externalPath;
  const previousJarId = jars
    ?.filter((j) => j.uploaded <= job.startTime)
    .sort((a, b) => b.uploaded - a.uploaded)[1]?.id;
  out.selfManaged = {
    jobId: job.id,
    ...(previousJarId ? { previousJarId } : {}),
    ...(savepoint ? { lastSavepointPath: savepoint } : {}),
  };
  if (restartedRecently(o))
    out.failures = await cachedFailures(m.name, now, deps, () =>
      restFailures(rest, o, m.name).catch(() => []),
    );
  // Self-managed REST is the only source there is (no CloudWatch): reading subtasks is cheap and allowed.
  if (deps.wantSubtasks) out.subtasks = await subtasksOf(out, m, now, rest);
  return out;
}
