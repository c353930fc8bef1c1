import type { Config } from '../../config/schema.js';
import { type Clock, systemClock } from '../../core/clock.js';
import { Health, Outcome, Sysexit } from '../../core/exit-codes.js';
import {
  DashboardUnavailable,
  evaluateSubtasks,
  type FlinkRestPort,
  type SubtaskEvaluation,
} from '../../probes/flink-rest/index.js';
import { type AppTarget, appTarget, type FlinkPorts } from './context.js';
import { pickJob, restPortFor } from './rest.js';

/**
 * Subtask polling after a lifecycle operation (docs/design.md §2): poll the job through the presigned
 * (or direct) Flink REST API until every subtask is RUNNING (exit 0), any is FAILING/FAILED/
 * CANCELED (exit 2, at once), the dashboard is unavailable (exit 3) or the time is up (exit 75).
 *
 * While waiting after an operation, an MSF application that is still STARTING/UPDATING/
 * AUTOSCALING/ROLLING_BACK has no dashboard yet: that is progress, checked with a cheap
 * DescribeApplication per interval rather than a storm of presign calls.
 */
export type PollState = SubtaskEvaluation['kind'] | 'settling' | 'unavailable';

export interface PollUpdate {
  at: number;
  state: PollState;
  reason: string;
  jobId?: string;
  counts?: SubtaskEvaluation['counts'];
}

export interface PollOutcome {
  outcome: 'all-running' | 'failed' | 'unavailable' | 'timeout';
  exitCode: number;
  last: PollUpdate;
  polls: number;
}

export interface PollOptions {
  wait: boolean;
  timeoutMs: number;
  intervalMs: number;
  clock: Clock;
  onUpdate?: (u: PollUpdate) => void;
  /** MSF: the application's status (DescribeApplication), to tell "settling" from "unavailable". */
  status?: () => Promise<string>;
}

const SETTLING = new Set(['STARTING', 'UPDATING', 'AUTOSCALING', 'ROLLING_BACK', 'MAINTENANCE']);

/** Flink job states after which a stopped job stays stopped. */
const STOPPED_JOB_STATES = new Set(['CANCELED', 'FINISHED', 'FAILED', 'SUSPENDED']);

/** One observation of the job's subtasks. */
async function observe(rest: FlinkRestPort, t: AppTarget, opts: PollOptions): Promise<PollUpdate> {
  const at = opts.clock.now();
  try {
    const job = pickJob(await rest.jobsOverview(), t);
    const view = job ? await rest.job(job.id) : undefined;
    const e = evaluateSubtasks(view);
    return { at, state: e.kind, reason: e.reason, ...(job ? { jobId: job.id } : {}), counts: e.counts };
  } catch (err) {
    if (!(err instanceof DashboardUnavailable)) throw err;
    const status = err.status ?? (opts.status ? await opts.status() : undefined);
    if (opts.wait && status && SETTLING.has(status))
      return { at, state: 'settling', reason: `application is ${status}` };
    return { at, state: 'unavailable', reason: err.message };
  }
}

export async function pollSubtasks(
  rest: FlinkRestPort,
  t: AppTarget,
  opts: PollOptions,
): Promise<PollOutcome> {
  const deadline = opts.clock.now() + opts.timeoutMs;
  let polls = 0;
  for (;;) {
    const u = await observe(rest, t, opts);
    polls++;
    opts.onUpdate?.(u);
    if (u.state === 'all-running') return { outcome: 'all-running', exitCode: Health.OK, last: u, polls };
    if (u.state === 'failed') return { outcome: 'failed', exitCode: Health.CRITICAL, last: u, polls };
    if (u.state === 'unavailable')
      return { outcome: 'unavailable', exitCode: Health.UNKNOWN, last: u, polls };
    if (!opts.wait) {
      // One look: in progress is not yet healthy, nor failed.
      return { outcome: 'timeout', exitCode: Health.WARNING, last: u, polls };
    }
    if (opts.clock.now() + opts.intervalMs > deadline)
      return { outcome: 'timeout', exitCode: Sysexit.TEMPFAIL, last: u, polls };
    await opts.clock.sleep(opts.intervalMs);
  }
}

/** `flink subtasks APP` and `--wait` after rollback/force-stop. */
export async function subtasksOf(
  config: Config,
  ports: FlinkPorts,
  name: string,
  opts: Omit<PollOptions, 'clock' | 'status'> & { clock?: Clock; rest?: FlinkRestPort },
): Promise<PollOutcome & { app: string }> {
  const t = appTarget(config, name);
  const clock = opts.clock ?? systemClock;
  const rest = opts.rest ?? restPortFor(t, ports, clock);
  const status =
    t.kind === 'managed'
      ? async () => (await ports.msf(t.region).describeApplication(t.applicationName!)).status
      : undefined;
  const r = await pollSubtasks(rest, t, { ...opts, clock, ...(status ? { status } : {}) });
  return { ...r, app: t.name };
}

/**
 * After an operation: `running` first waits for the operation itself to finish (until then the
 * dashboard may still show the old, looping job: its subtasks are not the outcome), then polls the
 * subtasks until healthy or failed; `stopped` waits for the MSF application to reach READY (a
 * force-stopped application has no job to poll).
 */
export async function waitAfterOperation(
  config: Config,
  ports: FlinkPorts,
  name: string,
  opts: {
    timeoutMs: number;
    expect: 'running' | 'stopped';
    intervalMs?: number;
    clock?: Clock;
    onProgress?: (line: string) => void;
    operationId?: string;
    rest?: FlinkRestPort;
  },
): Promise<PollOutcome> {
  const clock = opts.clock ?? systemClock;
  const intervalMs = opts.intervalMs ?? 10_000;
  const t = appTarget(config, name);
  const deadline = clock.now() + opts.timeoutMs;
  if (opts.expect === 'running') {
    let polls = 0;
    if (opts.operationId && t.kind === 'managed') {
      for (;;) {
        const op = await ports.msf(t.region).describeOperation(t.applicationName!, opts.operationId);
        polls++;
        const u: PollUpdate = {
          at: clock.now(),
          state: 'settling',
          reason: `operation ${op.operation} ${op.status}${op.errorString ? `: ${op.errorString}` : ''}`,
        };
        opts.onProgress?.(`${new Date(u.at).toISOString()} ${u.reason}`);
        if (op.status === 'SUCCESSFUL') break;
        if (op.status !== 'IN_PROGRESS')
          return { outcome: 'failed', exitCode: Health.CRITICAL, last: { ...u, state: 'failed' }, polls };
        if (clock.now() + intervalMs > deadline)
          return { outcome: 'timeout', exitCode: Sysexit.TEMPFAIL, last: u, polls };
        await clock.sleep(intervalMs);
      }
    }
    const r = await subtasksOf(config, ports, name, {
      wait: true,
      timeoutMs: Math.max(0, deadline - clock.now()),
      intervalMs,
      clock,
      ...(opts.rest ? { rest: opts.rest } : {}),
      onUpdate: (u) => opts.onProgress?.(`${new Date(u.at).toISOString()} ${u.state}: ${u.reason}`),
    });
    return { ...r, polls: r.polls + polls };
  }
  let polls = 0;
  // Self-managed Flink has no application status: stopped is "no job left running" over REST.
  const rest = t.kind === 'self-managed' ? (opts.rest ?? restPortFor(t, ports, clock)) : undefined;
  for (;;) {
    let stopped: boolean;
    let reason: string;
    if (rest) {
      const job = pickJob(await rest.jobsOverview(), t);
      stopped = !job || STOPPED_JOB_STATES.has(job.state);
      reason = job ? `job is ${job.state}` : 'no Flink job is running';
    } else {
      const status = (await ports.msf(t.region).describeApplication(t.applicationName!)).status;
      stopped = status === 'READY';
      reason = `application is ${status}`;
    }
    polls++;
    const u: PollUpdate = { at: clock.now(), state: stopped ? 'all-running' : 'settling', reason };
    opts.onProgress?.(`${new Date(u.at).toISOString()} ${u.reason}`);
    if (stopped) return { outcome: 'all-running', exitCode: Outcome.OK, last: u, polls };
    if (clock.now() + intervalMs > deadline)
      return { outcome: 'timeout', exitCode: Sysexit.TEMPFAIL, last: u, polls };
    await clock.sleep(intervalMs);
  }
}
