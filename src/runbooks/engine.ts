/**
 * Runs a runbook's steps. The same step functions drive the interactive ink flow (one step at a
 * time, the human picks and confirms) and the unattended runner (`--yes`, `--option`, `--json`,
 * `--dry-run`), so both do exactly the same I/O in the same order.
 */

import { fromUnknown } from '../core/errors.js';
import { Health, Sysexit } from '../core/exit-codes.js';
import { exitCodeFor, type Severity, worst } from '../core/severity.js';
import { storeFor } from '../services/target-locks.js';
import { targetKey } from '../store/port.js';
import { journaled, withTargetLock } from '../store/target-lock.js';
import { type Choice, chooseOption } from './choose.js';
import type {
  ActResult,
  FindingLine,
  Runbook,
  RunbookContext,
  RunbookOption,
  StepResult,
  VerifyOutcome,
  VerifyResult,
} from './types.js';

/** Diagnose + explain: everything the operator needs before choosing. */
export interface Explained<D = unknown> {
  diagnosis: D;
  findings: FindingLine[];
  options: RunbookOption[];
  severity: Severity;
  steps: [StepResult, StepResult];
}

/** Step 1 and 2: diagnose (I/O), then explain (pure). */
export async function diagnoseAndExplain<D>(
  rb: Runbook<D>,
  ctx: RunbookContext,
  target: string,
): Promise<Explained<D>> {
  const diagnosis = await rb.diagnose(ctx, target);
  return explain(rb, diagnosis);
}

/** Step 2 alone (pure): findings and options from a diagnosis. */
export function explain<D>(rb: Runbook<D>, diagnosis: D): Explained<D> {
  const findings = rb.findings(diagnosis);
  const options = rb.options(diagnosis);
  const severity = worst(...findings.map((f) => f.severity));
  return {
    diagnosis,
    findings,
    options,
    severity,
    steps: [
      {
        kind: 'diagnose',
        title: rb.steps.diagnose,
        status: 'done',
        severity,
        summary: findings[0]?.text ?? 'nothing found',
        lines: findings.map((f) => `${f.severity}: ${f.text}`),
        data: diagnosis,
      },
      {
        kind: 'explain',
        title: rb.steps.explain,
        status: 'done',
        summary: `${options.filter((o) => o.available).length} of ${options.length} option(s) available`,
        lines: options.map(
          (o) =>
            `${o.id}${o.recommended && o.available ? ' (recommended)' : ''}${o.available ? '' : ` [unavailable: ${o.unavailableReason}]`}: ${o.title}`,
        ),
        data: options,
      },
    ],
  };
}

/**
 * An option that changes the target runs holding the target's lock (`flink:<app>` or
 * `kafka:<cluster>`, shared with the healer and the other commands) and is journaled as an
 * operator action before and after. Options that change nothing run as they are.
 */
async function guardedAct<D>(
  rb: Runbook<D>,
  ctx: RunbookContext,
  target: string,
  diagnosis: D,
  option: RunbookOption,
): Promise<ActResult> {
  if (option.mode !== 'automatic') return rb.act(ctx, diagnosis, option);
  const store = await (ctx.openStore ? ctx.openStore() : storeFor(ctx.config));
  const key = targetKey(rb.target === 'app' ? 'flink' : 'kafka', target);
  const now = () => ctx.clock.now();
  try {
    return await withTargetLock(store, { target: key, owner: `streamctl runbook ${rb.id}`, now: now() }, () =>
      journaled(
        store,
        { actor: `runbook:${rb.id}`, target: key, action: option.id },
        now,
        () => rb.act(ctx, diagnosis, option),
        (a) => a.summary,
      ),
    );
  } finally {
    await store.close();
  }
}

/** Step 4: act. Errors become a failed step, not a crash. */
export async function actStep<D>(
  rb: Runbook<D>,
  ctx: RunbookContext,
  target: string,
  diagnosis: D,
  option: RunbookOption,
): Promise<{ step: StepResult; act?: ActResult; error?: string; exitCode?: number }> {
  try {
    const act = await guardedAct(rb, ctx, target, diagnosis, option);
    return {
      step: {
        kind: 'act',
        title: rb.steps.act,
        status: 'done',
        summary: act.summary,
        lines: act.lines,
        data: act.data,
      },
      act,
    };
  } catch (e) {
    const err = fromUnknown(e, `${rb.id}: ${option.id}`);
    return {
      step: {
        kind: 'act',
        title: rb.steps.act,
        status: 'failed',
        summary: err.message,
        lines: err.hint ? [err.hint] : [],
      },
      error: err.message,
      exitCode: err.exitCode,
    };
  }
}

/** Step 5: verify. */
export async function verifyStep<D>(
  rb: Runbook<D>,
  ctx: RunbookContext,
  diagnosis: D,
  option: RunbookOption,
  act: ActResult,
): Promise<{ step: StepResult; verify: VerifyResult }> {
  try {
    const verify = await rb.verify(ctx, diagnosis, option, act);
    const severity: Severity =
      verify.outcome === 'healed'
        ? 'OK'
        : verify.outcome === 'failed'
          ? 'CRITICAL'
          : verify.outcome === 'not-needed'
            ? 'OK'
            : 'UNKNOWN';
    return {
      step: {
        kind: 'verify',
        title: rb.steps.verify,
        status: verify.outcome === 'not-needed' ? 'skipped' : 'done',
        severity,
        summary: verify.summary,
        lines: verify.lines,
        data: verify.data,
      },
      verify,
    };
  } catch (e) {
    const err = fromUnknown(e, `${rb.id}: verify`);
    return {
      step: {
        kind: 'verify',
        title: rb.steps.verify,
        status: 'failed',
        severity: 'UNKNOWN',
        summary: err.message,
        lines: [],
      },
      verify: { outcome: 'unknown', summary: err.message, lines: [] },
    };
  }
}

/** The exit code of a finished run (pure): the verify outcome, or the diagnosis when nothing was verified. */
export function exitCodeOfVerify(outcome: VerifyOutcome, diagnosisSeverity: Severity): number {
  switch (outcome) {
    case 'healed':
      return Health.OK;
    case 'failed':
      return Health.CRITICAL;
    case 'unknown':
      return Health.UNKNOWN;
    case 'timeout':
      return Sysexit.TEMPFAIL;
    case 'not-needed':
      return exitCodeFor(diagnosisSeverity);
  }
}

/** What an unattended run did, for `--json`. */
export interface RunbookRun {
  runbook: string;
  target: string;
  severity: Severity;
  /** dry-run: diagnose+explain only; acted: an option was carried out; stopped: a precondition or flag stopped it. */
  outcome: 'dry-run' | 'acted' | 'stopped';
  chosen?: string;
  verify?: VerifyOutcome;
  steps: StepResult[];
  options: RunbookOption[];
  /** Why the run stopped (usage or refusal), with the flag to use. */
  error?: { code: string; message: string; hint?: string };
  exitCode: number;
}

/** Turns a choice that cannot act into the run's error and exit code (pure). */
export function stopReason(
  c: Exclude<Choice, { kind: 'act' } | { kind: 'dry-run' }>,
  rb: Pick<Runbook, 'id'>,
): { code: string; message: string; hint?: string; exitCode: number } {
  switch (c.kind) {
    case 'needs-yes':
      return {
        code: 'USAGE',
        message: `${c.option.id}: "${c.option.title}" changes the target — refusing without confirmation`,
        hint: 'Pass --yes to confirm when not on a terminal (or --dry-run to only diagnose).',
        exitCode: Sysexit.USAGE,
      };
    case 'unknown-option':
      return {
        code: 'USAGE',
        message: `--option ${c.requested}: not an option of ${rb.id} (options: ${c.known.join(', ')})`,
        exitCode: Sysexit.USAGE,
      };
    case 'unavailable':
      return {
        code: 'REFUSED',
        message: `${c.option.id} is not possible now: ${c.reason}`,
        exitCode: Sysexit.TEMPFAIL,
      };
    case 'no-recommendation':
      return {
        code: 'USAGE',
        message: `no single recommended option: choose one with --option (available: ${c.available.join(', ') || 'none'})`,
        exitCode: Sysexit.USAGE,
      };
  }
}

/** The unattended runner: never prompts; acts only when the choice allows it (--yes for destructive options). */
export async function runUnattended<D>(
  rb: Runbook<D>,
  ctx: RunbookContext,
  target: string,
  flags: { option?: string; yes: boolean; dryRun: boolean },
): Promise<RunbookRun> {
  const ex = await diagnoseAndExplain(rb, ctx, target);
  const base: RunBase = { runbook: rb.id, target, severity: ex.severity, options: ex.options };
  const choice = chooseOption({
    options: ex.options,
    ...(flags.option === undefined ? {} : { requested: flags.option }),
    yes: flags.yes,
    dryRun: flags.dryRun,
  });
  if (choice.kind === 'dry-run') {
    const why = 'dry run: nothing was changed';
    return {
      ...base,
      outcome: 'dry-run',
      ...(choice.option ? { chosen: choice.option.id } : {}),
      steps: [
        ...ex.steps,
        skippedStep(rb, 'confirm', why),
        skippedStep(rb, 'act', why),
        skippedStep(rb, 'verify', why),
      ],
      exitCode: exitCodeFor(ex.severity),
    };
  }
  if (choice.kind !== 'act') return stoppedRun(rb, base, ex.steps, choice);
  return actAndVerify(rb, ctx, target, base, ex, choice.option);
}

/** What every run reports, whatever its outcome. */
type RunBase = Pick<RunbookRun, 'runbook' | 'target' | 'severity' | 'options'>;

/** A step not taken, and why. */
function skippedStep<D>(rb: Runbook<D>, kind: 'confirm' | 'act' | 'verify', why: string): StepResult {
  return { kind, title: rb.steps[kind], status: 'skipped', summary: why, lines: [] };
}

/** The choice does not allow acting (no --yes, no single recommendation, not possible now): stop, saying why. */
function stoppedRun<D>(
  rb: Runbook<D>,
  base: RunBase,
  steps: StepResult[],
  choice: Exclude<Choice, { kind: 'act' | 'dry-run' }>,
): RunbookRun {
  const r = stopReason(choice, rb);
  const step: StepResult = {
    kind: 'confirm',
    title: rb.steps.confirm,
    status: 'refused',
    summary: r.message,
    lines: r.hint ? [r.hint] : [],
  };
  return {
    ...base,
    outcome: 'stopped',
    ...('option' in choice ? { chosen: choice.option.id } : {}),
    steps: [...steps, step],
    error: { code: r.code, message: r.message, ...(r.hint ? { hint: r.hint } : {}) },
    exitCode: r.exitCode,
  };
}

/** Confirmed (by --yes for a destructive option): act, then verify unless the action failed. */
async function actAndVerify<D>(
  rb: Runbook<D>,
  ctx: RunbookContext,
  target: string,
  base: RunBase,
  ex: Explained<D>,
  option: RunbookOption,
): Promise<RunbookRun> {
  const confirmed = option.destructive && option.mode === 'automatic';
  const confirm: StepResult = {
    kind: 'confirm',
    title: rb.steps.confirm,
    status: confirmed ? 'done' : 'skipped',
    summary: confirmed ? `confirmed with --yes: ${option.title}` : `${option.title} (changes nothing)`,
    lines: option.consequences,
  };
  const a = await actStep(rb, ctx, target, ex.diagnosis, option);
  if (!a.act) {
    return {
      ...base,
      outcome: 'acted',
      chosen: option.id,
      steps: [...ex.steps, confirm, a.step, skippedStep(rb, 'verify', 'the action failed')],
      error: { code: 'ACT_FAILED', message: a.error ?? 'failed' },
      exitCode: a.exitCode ?? Sysexit.SOFTWARE,
    };
  }
  const v = await verifyStep(rb, ctx, ex.diagnosis, option, a.act);
  return {
    ...base,
    outcome: 'acted',
    chosen: option.id,
    verify: v.verify.outcome,
    steps: [...ex.steps, confirm, a.step, v.step],
    exitCode: exitCodeOfVerify(v.verify.outcome, ex.severity),
  };
}
