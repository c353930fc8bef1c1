/**
 * Runbook: a Flink application in a fail-and-restart loop. Diagnose with `flink status`
 * (restart DIFF per minute), the loop's FIRST failure classified (later attempts mask the root
 * cause, docs/design.md §3) and the last owner change; then offer the healer ladder's options by hand:
 * roll back a bad change, force-stop when rollback is impossible, or let a system failure heal.
 */
import { fromUnknown } from '../core/errors.js';
import type { Severity } from '../core/severity.js';
import { appTarget } from '../services/flink/context.js';
import { exceptionsOf, recentChangeOf } from '../services/flink/exceptions.js';
import { flinkStatus } from '../services/flink/status.js';
import { type LifecycleView, lifecycleViews, performLifecycle, verifyLifecycle } from './flink-io.js';
import type {
  ActResult,
  FindingLine,
  Runbook,
  RunbookContext,
  RunbookOption,
  VerifyResult,
} from './types.js';

/** What the restart-loop runbook found (plain data). */
export interface RestartLoopDiagnosis {
  app: string;
  kind: 'managed' | 'self-managed';
  status?: string;
  versionId?: number;
  loop: {
    state: 'loop' | 'restarting' | 'quiet' | 'unknown';
    restarts: number;
    metric: string;
    perMinute: Array<number | null>;
  };
  firstFailure?: {
    verdict: 'user' | 'system' | 'unknown';
    confidence: number;
    subtype: string;
    exception?: string;
    message?: string;
    frame?: string;
    source: string;
  };
  failureNote?: string;
  recentChange?: { operation: string; at: string };
  rollback: LifecycleView;
  forceStop: LifecycleView;
  severity: Severity;
}

export const restartLoop: Runbook<RestartLoopDiagnosis> = {
  id: 'restart-loop',
  title: 'Flink application in a restart loop',
  target: 'app',
  when: 'The restart counter (fullRestarts / numRestarts) keeps rising: the job fails and restarts over and over.',
  steps: {
    diagnose: 'Read the restart counter, the first failure of the loop and the last change',
    explain: 'Explain the cause and the options: roll back, force-stop or wait',
    confirm: 'Confirm the chosen action',
    act: 'Roll back or force-stop the application',
    verify: 'Poll the subtasks until all RUNNING (or the application is READY)',
  },

  async diagnose(ctx, app) {
    const status = await flinkStatus(ctx.config, ctx.flinkPorts(), app, ctx.clock);
    let firstFailure: RestartLoopDiagnosis['firstFailure'];
    let failureNote: string | undefined;
    try {
      const ex = await exceptionsOf(ctx.config, ctx.flinkPorts(), app, { max: 100, clock: ctx.clock });
      const c = ex.firstFailure?.classification;
      if (c) {
        firstFailure = {
          verdict: c.verdict,
          confidence: c.confidence,
          subtype: c.subtype,
          ...(c.rootCause?.exception ? { exception: c.rootCause.exception } : {}),
          ...(c.rootCause?.message ? { message: c.rootCause.message } : {}),
          ...(c.rootCause?.frame ? { frame: c.rootCause.frame } : {}),
          source: ex.source,
        };
      }
      if (ex.note) failureNote = ex.note;
      else if (!c) failureNote = 'no failure found in the exception history';
    } catch (e) {
      failureNote = `the failure could not be read: ${fromUnknown(e, 'exceptions').message}`;
    }
    let recentChange: RestartLoopDiagnosis['recentChange'];
    if (status.kind === 'managed') {
      const t = appTarget(ctx.config, app);
      const ops = await ctx
        .flinkPorts()
        .msf(t.region)
        .listOperations(t.applicationName!)
        .catch(() => []);
      const ch = recentChangeOf(ops);
      if (ch) recentChange = { operation: ch.kind, at: new Date(ch.at).toISOString() };
    }
    const views = await lifecycleViews(ctx, app);
    const a = status.restarts.assessment;
    return {
      app: status.app,
      kind: status.kind,
      ...(status.status ? { status: status.status } : {}),
      ...(status.versionId === undefined ? {} : { versionId: status.versionId }),
      loop: {
        state: a.state,
        restarts: a.state === 'quiet' ? 0 : a.restarts,
        metric: status.restarts.metric,
        perMinute: status.restarts.perPeriod.map((p) => p.restarts ?? null),
      },
      ...(firstFailure ? { firstFailure } : {}),
      ...(failureNote ? { failureNote } : {}),
      ...(recentChange ? { recentChange } : {}),
      rollback: views.rollback,
      forceStop: views.forceStop,
      severity: status.severity,
    };
  },

  findings: restartLoopFindings,
  options: restartLoopOptions,

  async act(ctx: RunbookContext, d, option): Promise<ActResult> {
    if (option.id === 'rollback') return performLifecycle(ctx, d.rollback, `RollbackApplication of ${d.app}`);
    if (option.id === 'force-stop')
      return performLifecycle(ctx, d.forceStop, `StopApplication Force=true of ${d.app}`);
    return { summary: 'nothing changed', lines: option.consequences };
  },

  async verify(ctx, d, option, act): Promise<VerifyResult> {
    if (option.id === 'rollback') return verifyLifecycle(ctx, d.app, 'running', act);
    if (option.id === 'force-stop') return verifyLifecycle(ctx, d.app, 'stopped', act);
    return {
      outcome: 'not-needed',
      summary: 'nothing was changed; watch the restart counter (`streamctl flink restarts`)',
      lines: [],
    };
  },
};

/** What the diagnosis shows, worst first (pure). */
export function restartLoopFindings(d: RestartLoopDiagnosis): FindingLine[] {
  const out: FindingLine[] = [];
  const recent = d.loop.perMinute
    .slice(-15)
    .map((x) => (x === null ? '?' : String(x)))
    .join(' ');
  switch (d.loop.state) {
    case 'loop':
      out.push({
        severity: 'CRITICAL',
        text: `restart loop: ${d.loop.restarts} restarts in the window (${d.loop.metric} DIFF per minute: ${recent})`,
      });
      break;
    case 'restarting':
      out.push({
        severity: 'WARNING',
        text: `${d.loop.restarts} restart(s) in the window, not (yet) a loop — one or two restarts are normal (maintenance, a blip)`,
      });
      break;
    case 'quiet':
      out.push({
        severity: 'OK',
        text: `no restarts lately (${d.loop.metric} DIFF per minute: ${recent || '-'})`,
      });
      break;
    case 'unknown':
      out.push({
        severity: 'UNKNOWN',
        text: 'the restart counter could not be read: missing datapoints are unknown, not healthy',
      });
      break;
  }
  if (d.status)
    out.push({
      severity: d.status === 'RUNNING' ? 'OK' : 'WARNING',
      text: `status ${d.status}${d.versionId === undefined ? '' : `, version ${d.versionId}`}`,
    });
  const f = d.firstFailure;
  if (f) {
    const who =
      f.verdict === 'user'
        ? 'the job (user code, packaging or configuration)'
        : f.verdict === 'system'
          ? 'the platform or an external system'
          : 'unclear';
    out.push({
      severity: f.verdict === 'unknown' ? 'UNKNOWN' : 'WARNING',
      text: `first failure of the loop: ${f.exception ?? f.subtype}${f.frame ? ` at ${f.frame}` : ''} — cause: ${who} (${f.subtype}, confidence ${f.confidence.toFixed(2)}, from ${f.source})`,
    });
  } else
    out.push({
      severity: 'UNKNOWN',
      text: `first failure unknown: ${d.failureNote ?? 'no exception found'}`,
    });
  if (d.recentChange)
    out.push({
      severity: 'WARNING',
      text: `last change: ${d.recentChange.operation} at ${d.recentChange.at}`,
    });
  else out.push({ severity: 'OK', text: 'no recent successful change (UpdateApplication) on record' });
  const order: Record<Severity, number> = { CRITICAL: 0, UNKNOWN: 1, WARNING: 2, OK: 3 };
  return out.sort((a, b) => order[a.severity] - order[b.severity]);
}

/**
 * The options given the diagnosis (pure), following the healer ladder (docs/design.md §4): a loop
 * caused by the job after a change → roll back (needs a snapshot); rollback impossible → force-stop
 * (takes none); a system cause → do not roll back healthy code, wait.
 */
export function restartLoopOptions(d: RestartLoopDiagnosis): RunbookOption[] {
  const looping = d.loop.state === 'loop';
  const verdict = d.firstFailure?.verdict;
  const userAfterChange = looping && verdict === 'user' && d.recentChange !== undefined;
  const rollback: RunbookOption = {
    id: 'rollback',
    title: 'Roll back to the previous version (RollbackApplication)',
    mode: 'automatic',
    destructive: true,
    available: d.rollback.allowed,
    ...(d.rollback.allowed ? {} : { unavailableReason: d.rollback.refusals.join('; ') }),
    recommended: userAfterChange && d.rollback.allowed,
    consequences: [
      'Restores the previous application version: its code and its configuration.',
      d.rollback.latestSnapshot
        ? `Needs a snapshot: state is restored from ${d.rollback.latestSnapshot}; input after it is read again (duplicates downstream unless the sinks are transactional).`
        : 'Needs a snapshot: RollbackApplication restores from the latest snapshot and is rejected without one.',
      ...(verdict === 'system'
        ? [
            'The first failure points at the platform or an external system: rolling back healthy code may not help.',
          ]
        : []),
    ],
  };
  const forceStop: RunbookOption = {
    id: 'force-stop',
    title: 'Force-stop the application (StopApplication Force=true)',
    mode: 'automatic',
    destructive: true,
    available: d.forceStop.allowed,
    ...(d.forceStop.allowed ? {} : { unavailableReason: d.forceStop.refusals.join('; ') }),
    recommended: userAfterChange && !d.rollback.allowed && d.forceStop.allowed,
    consequences: [
      'Takes NO snapshot: state since the last snapshot is not saved.',
      'Processing stops until the application is started again; the loop stops burning resources and writing partial output.',
      d.forceStop.latestSnapshot
        ? `The latest snapshot is ${d.forceStop.latestSnapshot}.`
        : 'There is no snapshot: a restart starts with empty state.',
      ...(d.forceStop.restartOptions ?? []).map((o) => `Restart option — ${o.label}: ${o.note}`),
    ],
  };
  const wait: RunbookOption = {
    id: 'wait',
    title: looping ? 'Wait: let Flink’s restart strategy work' : 'Nothing to do now',
    mode: 'none',
    destructive: false,
    available: true,
    recommended: !looping ? d.loop.state !== 'unknown' : verdict === 'system',
    consequences: looping
      ? [
          'Nothing changes. A platform or external failure (TaskManager lost, a broker or endpoint down) often heals by itself.',
          'Page the owners if the loop lasts beyond the longer window; every restart reprocesses input since the last checkpoint.',
        ]
      : [
          'Nothing changes; keep watching the restart counter (`streamctl watch`, `streamctl flink restarts`).',
        ],
  };
  return [rollback, forceStop, wait];
}
