/**
 * The runbook model (docs/runbooks/; on-call runbooks are one of the four uses in docs/design.md): a runbook is data plus small functions. Every runbook
 * walks the same five steps — diagnose, explain, confirm, act, verify — so the interactive ink
 * flow, the unattended `--yes --json` runner and the prose in docs/runbooks/ share one shape.
 *
 *   diagnose (I/O: existing services) ─▶ explain (pure: findings + options) ─▶ confirm (human or --yes)
 *        ─▶ act (I/O: the chosen option) ─▶ verify (I/O: subtask polling / reassignment progress)
 *
 * The decision of which options apply is a pure function of the diagnosis (`options(d)`), so it
 * is table-tested without any I/O; only `diagnose`, `act` and `verify` touch the outside world.
 */
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Severity } from '../core/severity.js';
import type { FlinkPorts } from '../services/flink/context.js';
import type { ObserveDeps } from '../services/kafka-observe.js';
import type { RebalanceDeps } from '../services/rebalance.js';
import type { CoordinationStore } from '../store/port.js';

/** The five steps every runbook has, in order. */
export const STEP_KINDS = ['diagnose', 'explain', 'confirm', 'act', 'verify'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** A step's title as shown in the flow and required in the runbook's doc file. */
export interface StepSpec {
  kind: StepKind;
  title: string;
}

/** One line of what was found, with how bad it is. */
export interface FindingLine {
  severity: Severity;
  text: string;
}

/**
 * One thing the operator can do. `automatic` options are carried out by the runbook (after
 * confirmation when `destructive`); `manual` ones print exact steps and change nothing; `none`
 * means "do nothing now" (wait, watch).
 */
export interface RunbookOption {
  id: string;
  title: string;
  mode: 'automatic' | 'manual' | 'none';
  /** Changes something that cannot simply be undone: needs confirmation (TTY) or --yes. */
  destructive: boolean;
  /** What happens if this is chosen, in words an operator reads at 3 a.m. */
  consequences: string[];
  available: boolean;
  /** Why not, when not available (a precondition that failed). */
  unavailableReason?: string;
  recommended?: boolean;
  /** For manual options: the exact commands or console steps. */
  instructions?: string[];
}

/** The outcome of a verify step. */
export type VerifyOutcome = 'healed' | 'failed' | 'unknown' | 'timeout' | 'not-needed';

/** What one step produced, for the flow and for `--json`. */
export interface StepResult {
  kind: StepKind;
  title: string;
  status: 'done' | 'skipped' | 'refused' | 'failed';
  severity?: Severity;
  summary: string;
  lines: string[];
  data?: unknown;
}

/** Progress while acting or verifying (rendered live, or as JSON lines). */
export interface ProgressEvent {
  step: 'act' | 'verify';
  at: number;
  text: string;
}

/** Everything the I/O parts of a runbook may use; tests swap in the emulator and peers. */
export interface RunbookContext {
  config: Config;
  clock: Clock;
  flinkPorts(): FlinkPorts;
  kafkaDeps: ObserveDeps;
  rebalanceDeps: RebalanceDeps;
  /** The coordination store of the target locks and the operator journal (default: healer.store). */
  openStore?(): Promise<CoordinationStore>;
  /** Where plan files and executor state go (the executor's --state-dir). */
  stateDir: string;
  /** Replication throttle for reassignments, bytes/s. */
  throttleBytesPerSec?: number;
  /** How long verify may wait. */
  timeoutMs: number;
  /** How often verify polls. */
  pollIntervalMs: number;
  /** Extra runbook arguments (e.g. add-brokers --brokers 4,5,6). */
  params: Record<string, string | undefined>;
  progress(e: ProgressEvent): void;
}

/** The result of the act step. */
export interface ActResult {
  summary: string;
  lines: string[];
  data?: unknown;
}

/** The result of the verify step. */
export interface VerifyResult {
  outcome: VerifyOutcome;
  summary: string;
  lines: string[];
  data?: unknown;
}

/**
 * A runbook: its identity, its step titles, and the functions behind the steps. `D` is the
 * diagnosis: plain data, JSON-serialisable, so `--json` prints it and tests build it by hand.
 */
export interface Runbook<D = unknown> {
  id: string;
  title: string;
  /** What the positional argument names. */
  target: 'app' | 'cluster';
  /** One sentence: when to reach for this runbook. */
  when: string;
  steps: Record<StepKind, string>;
  diagnose(ctx: RunbookContext, target: string): Promise<D>;
  /** Pure: what the diagnosis shows, worst first. */
  findings(d: D): FindingLine[];
  /** Pure: the options and their consequences given the diagnosis. */
  options(d: D): RunbookOption[];
  act(ctx: RunbookContext, d: D, option: RunbookOption): Promise<ActResult>;
  verify(ctx: RunbookContext, d: D, option: RunbookOption, act: ActResult): Promise<VerifyResult>;
}

/** The step titles of a runbook, in order. */
export function stepSpecs(r: Pick<Runbook, 'steps'>): StepSpec[] {
  return STEP_KINDS.map((kind) => ({ kind, title: r.steps[kind] }));
}
