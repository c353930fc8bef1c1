/** @jsxRuntime automatic */
// The pragma: the CLI runs through tsx from any working directory, where tsconfig.json is not found.
/**
 * The interactive runbook (ink): the five steps on the left of the operator's attention, the
 * findings, an option picker (↑/↓, Enter), a y/N confirmation before anything destructive, and
 * the act/verify progress live. It drives the same step functions as the unattended runner
 * through a `FlowDriver`, so tests render it with a driver over fixed data. Its phases are in
 * flow-phase.ts, the parts of its screen in flow-views.tsx.
 */

import { Box, type Key, Text, useApp, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { Health, Sysexit } from '../../core/exit-codes.js';
import { redactString } from '../../core/redact.js';
import { exitCodeFor } from '../../core/severity.js';
import { initialSelection, moveSelection, needsConfirmation } from '../../runbooks/choose.js';
import type { Explained } from '../../runbooks/engine.js';
import { exitCodeOfVerify } from '../../runbooks/engine.js';
import type {
  ActResult,
  ProgressEvent,
  RunbookOption,
  StepKind,
  StepResult,
  VerifyResult,
} from '../../runbooks/types.js';
import type { FlowResult, Phase } from './flow-phase.js';
import { Done, Findings, Options, StepList, Working } from './flow-views.js';

export type { FlowResult } from './flow-phase.js';

/** What the flow calls: the engine's steps bound to a runbook, a context and a target. */
export interface FlowDriver {
  title: string;
  target: string;
  steps: Record<StepKind, string>;
  diagnose(): Promise<Explained>;
  act(option: RunbookOption): Promise<{ step: StepResult; act?: ActResult; error?: string }>;
  verify(option: RunbookOption, act: ActResult): Promise<{ step: StepResult; verify: VerifyResult }>;
  /** Subscribes to progress events; returns the unsubscribe. */
  onProgress(listener: (e: ProgressEvent) => void): () => void;
}

/** The interactive runbook: its state (useFlow), then the screen of its phase. */
export function RunbookFlow({ driver, onExit }: { driver: FlowDriver; onExit?: (r: FlowResult) => void }) {
  const { phase, ex, progress } = useFlow(driver, onExit);
  return (
    <Box flexDirection="column">
      <Text bold>
        {driver.title} — {driver.target}
      </Text>
      <StepList steps={driver.steps} phase={phase} />
      {phase.kind === 'diagnosing' && <Text>Diagnosing… (q to quit)</Text>}
      {ex && <Findings ex={ex} />}
      {ex && (phase.kind === 'choosing' || phase.kind === 'confirming') && (
        <Options options={ex.options} selected={phase.selected} />
      )}
      {ex && phase.kind === 'confirming' && (
        <Text color="yellow" bold>
          {`${ex.options[phase.selected]!.title} on ${driver.target}? This changes the target. [y/N]`}
        </Text>
      )}
      {(phase.kind === 'acting' || phase.kind === 'verifying') && (
        <Working phase={phase} progress={progress} />
      )}
      {phase.kind === 'done' && <Done phase={phase} />}
      {phase.kind === 'error' && (
        <Text color="red">{`Error: ${redactString(phase.message)} (q to quit)`}</Text>
      )}
    </Box>
  );
}

/** What the key handler and the steps change: the phase (kept in a ref too), and how to end. */
interface FlowControl {
  phase: () => Phase;
  ex: () => Explained | undefined;
  go: (p: Phase) => void;
  start: (option: RunbookOption) => void;
  finish: (r: FlowResult) => void;
}

/** The flow's state: diagnose once per driver, follow progress, answer keys. */
function useFlow(driver: FlowDriver, onExit?: (r: FlowResult) => void) {
  const { exit } = useApp();
  const [phase, setPhase] = useState<Phase>({ kind: 'diagnosing' });
  const [ex, setEx] = useState<Explained | undefined>();
  const [progress, setProgress] = useState<string[]>([]);
  // The key handler reads the latest state through refs: ink may still hold the handler of an
  // earlier render when a key arrives right after an asynchronous state change.
  const phaseRef = useRef(phase);
  const exRef = useRef(ex);
  phaseRef.current = phase;
  exRef.current = ex;
  const go = (p: Phase) => {
    phaseRef.current = p;
    setPhase(p);
  };

  useEffect(() => driver.onProgress((e) => setProgress((p) => [...p.slice(-7), e.text])), [driver]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: diagnose once per driver; `go` only sets state
  useEffect(() => {
    driver.diagnose().then(
      (r) => {
        exRef.current = r;
        setEx(r);
        go({ kind: 'choosing', selected: initialSelection(r.options) });
      },
      (e: Error) =>
        go({
          kind: 'error',
          at: 'diagnose',
          message: e.message,
          result: { exitCode: (e as { exitCode?: number }).exitCode ?? Sysexit.SOFTWARE },
        }),
    );
  }, [driver]);

  const control: FlowControl = {
    phase: () => phaseRef.current,
    ex: () => exRef.current,
    go,
    start: (option) => actThenVerify(driver, option, go, () => exRef.current?.severity ?? 'OK'),
    finish: (r) => {
      onExit?.(r);
      exit();
    },
  };
  useInput((input, key) => handleKey(input, key, control));
  return { phase, ex, progress };
}

/** Act, then verify when the action was accepted; the phase follows each answer. */
function actThenVerify(
  driver: FlowDriver,
  option: RunbookOption,
  go: (p: Phase) => void,
  severity: () => Explained['severity'],
): void {
  go({ kind: 'acting', option });
  driver.act(option).then(
    (a) => {
      if (!a.act)
        return go({
          kind: 'done',
          option,
          act: a.step,
          result: { exitCode: Sysexit.SOFTWARE, chosen: option.id },
        });
      go({ kind: 'verifying', option, act: a.act });
      driver.verify(option, a.act).then((v) =>
        go({
          kind: 'done',
          option,
          act: a.step,
          verify: v.step,
          result: {
            exitCode: exitCodeOfVerify(v.verify.outcome, severity()),
            chosen: option.id,
            verify: v.verify.outcome,
          },
        }),
      );
    },
    (e: Error) =>
      go({
        kind: 'error',
        at: 'act',
        message: e.message,
        result: { exitCode: Sysexit.SOFTWARE, chosen: option.id },
      }),
  );
}

/** The keys of each phase: ↑/↓/Enter/q while choosing, y/N while confirming, q/Enter/Esc at the end. */
function handleKey(input: string, key: Key, c: FlowControl): void {
  const phase = c.phase();
  const ex = c.ex();
  if (phase.kind === 'choosing' && ex) {
    if (key.upArrow) c.go({ kind: 'choosing', selected: moveSelection(ex.options, phase.selected, -1) });
    else if (key.downArrow)
      c.go({ kind: 'choosing', selected: moveSelection(ex.options, phase.selected, 1) });
    else if (key.return) {
      const o = ex.options[phase.selected];
      if (!o?.available) return;
      if (needsConfirmation(o)) c.go({ kind: 'confirming', selected: phase.selected });
      else if (o.mode === 'automatic') c.start(o);
      else c.go({ kind: 'done', option: o, result: { exitCode: exitCodeFor(ex.severity), chosen: o.id } });
    } else if (input === 'q' || key.escape) c.finish({ exitCode: exitCodeFor(ex.severity), quit: true });
  } else if (phase.kind === 'confirming' && ex) {
    if (input === 'y' || input === 'Y') c.start(ex.options[phase.selected]!);
    else if (input === 'n' || input === 'N' || key.escape || key.return)
      c.go({ kind: 'choosing', selected: phase.selected });
  } else if (phase.kind === 'done' || phase.kind === 'error') {
    if (input === 'q' || key.return || key.escape) c.finish(phase.result);
  } else if (phase.kind === 'diagnosing' && input === 'q') c.finish({ exitCode: Health.UNKNOWN, quit: true });
}
