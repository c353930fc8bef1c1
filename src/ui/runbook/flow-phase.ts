/**
 * The interactive runbook's phases (flow.tsx) and what it ends with, as values:
 *
 *   diagnosing ─▶ choosing ⇄ confirming ─▶ acting ─▶ verifying ─▶ done
 *        └──────────────▶ error            (q / Esc while choosing: quit, nothing changed)
 */
import type { ActResult, RunbookOption, StepKind, StepResult, VerifyResult } from '../../runbooks/types.js';

/** What the flow ended with (the command's exit code and --json-free summary). */
export interface FlowResult {
  exitCode: number;
  chosen?: string;
  verify?: VerifyResult['outcome'];
  quit?: boolean;
}

/** Where the flow is. */
export type Phase =
  | { kind: 'diagnosing' }
  | { kind: 'choosing'; selected: number }
  | { kind: 'confirming'; selected: number }
  | { kind: 'acting'; option: RunbookOption }
  | { kind: 'verifying'; option: RunbookOption; act: ActResult }
  | { kind: 'done'; option?: RunbookOption; act?: StepResult; verify?: StepResult; result: FlowResult }
  | { kind: 'error'; at: StepKind; message: string; result: FlowResult };

/** The step a phase is at (the step list highlights it). */
export function currentStep(phase: Phase): StepKind {
  switch (phase.kind) {
    case 'diagnosing':
      return 'diagnose';
    case 'choosing':
      return 'explain';
    case 'confirming':
      return 'confirm';
    case 'acting':
      return 'act';
    case 'error':
      return phase.at;
    case 'verifying':
    case 'done':
      return 'verify';
  }
}
