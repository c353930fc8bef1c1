/** @jsxRuntime automatic */
// The pragma: the CLI runs through tsx from any working directory, where tsconfig.json is not found.
/**
 * The interactive runbook (ink): the five steps on the left of the operator's attention, the
 * findings, an option picker (↑/↓, Enter), a y/N confirmation before anything destructive, and
 * the act/verify progress live. It drives the same step functions as the unattended runner
 * through a `FlowDriver`, so tests render it with a driver over fixed data.
 *
 *   diagnosing ─▶ choosing ⇄ confirming ─▶ acting ─▶ verifying ─▶ done
 *        └──────────────▶ error            (q / Esc while choosing: quit, nothing changed)
 */

import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { Health, Sysexit } from '../../core/exit-codes.js';
import { redactString } from '../../core/redact.js';
import { exitCodeFor, type Severity } from '../../core/severity.js';
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
import { STEP_KINDS } from '../../runbooks/types.js';

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

/** What the flow ended with (the command's exit code and --json-free summary). */
export interface FlowResult {
  exitCode: number;
  chosen?: string;
  verify?: VerifyResult['outcome'];
  quit?: boolean;
}

type Phase =
  | { kind: 'diagnosing' }
  | { kind: 'choosing'; selected: number }
  | { kind: 'confirming'; selected: number }
  | { kind: 'acting'; option: RunbookOption }
  | { kind: 'verifying'; option: RunbookOption; act: ActResult }
  | { kind: 'done'; option?: RunbookOption; act?: StepResult; verify?: StepResult; result: FlowResult }
  | { kind: 'error'; at: StepKind; message: string; result: FlowResult };

const SEV_COLOUR: Record<Severity, string> = {
  OK: 'green',
  WARNING: 'yellow',
  UNKNOWN: 'magenta',
  CRITICAL: 'red',
};

export function RunbookFlow({ driver, onExit }: { driver: FlowDriver; onExit?: (r: FlowResult) => void }) {
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
          result: { exitCode: (e as { exitCode?: number }).exitCode ?? 70 },
        }),
    );
  }, [driver]);

  const finish = (r: FlowResult) => {
    onExit?.(r);
    exit();
  };

  const start = (option: RunbookOption) => {
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
              exitCode: exitCodeOfVerify(v.verify.outcome, exRef.current?.severity ?? 'OK'),
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
  };

  useInput((input, key) => {
    const phase = phaseRef.current;
    const ex = exRef.current;
    if (phase.kind === 'choosing' && ex) {
      if (key.upArrow) go({ kind: 'choosing', selected: moveSelection(ex.options, phase.selected, -1) });
      else if (key.downArrow)
        go({ kind: 'choosing', selected: moveSelection(ex.options, phase.selected, 1) });
      else if (key.return) {
        const o = ex.options[phase.selected];
        if (!o?.available) return;
        if (needsConfirmation(o)) go({ kind: 'confirming', selected: phase.selected });
        else if (o.mode === 'automatic') start(o);
        else go({ kind: 'done', option: o, result: { exitCode: exitCodeFor(ex.severity), chosen: o.id } });
      } else if (input === 'q' || key.escape) finish({ exitCode: exitCodeFor(ex.severity), quit: true });
    } else if (phase.kind === 'confirming' && ex) {
      if (input === 'y' || input === 'Y') start(ex.options[phase.selected]!);
      else if (input === 'n' || input === 'N' || key.escape || key.return)
        go({ kind: 'choosing', selected: phase.selected });
    } else if (phase.kind === 'done' || phase.kind === 'error') {
      if (input === 'q' || key.return || key.escape) finish(phase.result);
    } else if (phase.kind === 'diagnosing' && input === 'q') finish({ exitCode: Health.UNKNOWN, quit: true });
  });

  const current: StepKind =
    phase.kind === 'diagnosing'
      ? 'diagnose'
      : phase.kind === 'choosing'
        ? 'explain'
        : phase.kind === 'confirming'
          ? 'confirm'
          : phase.kind === 'acting'
            ? 'act'
            : phase.kind === 'error'
              ? phase.at
              : 'verify';
  const doneUpTo = phase.kind === 'done' ? 5 : STEP_KINDS.indexOf(current);

  return (
    <Box flexDirection="column">
      <Text bold>
        {driver.title} — {driver.target}
      </Text>
      <Box flexDirection="column" marginY={1}>
        {STEP_KINDS.map((k, i) => (
          <Text
            key={k}
            color={
              i === doneUpTo && phase.kind !== 'done' ? (phase.kind === 'error' ? 'red' : 'cyan') : undefined
            }
            dimColor={i > doneUpTo}
          >
            {i < doneUpTo
              ? '✔'
              : i === doneUpTo && phase.kind === 'error'
                ? '✖'
                : i === doneUpTo && phase.kind !== 'done'
                  ? '▸'
                  : '○'}{' '}
            {i + 1}. {driver.steps[k]}
          </Text>
        ))}
      </Box>
      {phase.kind === 'diagnosing' && <Text>Diagnosing… (q to quit)</Text>}
      {ex && (
        <Box flexDirection="column">
          <Text bold>Findings</Text>
          {ex.findings.map((f) => (
            <Text key={f.text}>
              {'  '}
              <Text color={SEV_COLOUR[f.severity]}>{f.severity}</Text> {f.text}
            </Text>
          ))}
        </Box>
      )}
      {ex && (phase.kind === 'choosing' || phase.kind === 'confirming') && (
        <Options options={ex.options} selected={phase.selected} />
      )}
      {ex && phase.kind === 'confirming' && (
        <Text color="yellow" bold>
          {`${ex.options[phase.selected]!.title} on ${driver.target}? This changes the target. [y/N]`}
        </Text>
      )}
      {(phase.kind === 'acting' || phase.kind === 'verifying') && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>{phase.kind === 'acting' ? `Acting: ${phase.option.title}…` : 'Verifying…'}</Text>
          {progress.map((l) => (
            <Text key={l}>{`  ${l}`}</Text>
          ))}
        </Box>
      )}
      {phase.kind === 'done' && <Done phase={phase} />}
      {phase.kind === 'error' && (
        <Text color="red">{`Error: ${redactString(phase.message)} (q to quit)`}</Text>
      )}
    </Box>
  );
}

function Options({ options, selected }: { options: RunbookOption[]; selected: number }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>Options (↑/↓ choose, Enter select, q quit)</Text>
      {options.map((o, i) => (
        <Box key={o.id} flexDirection="column">
          <Text color={i === selected ? 'cyan' : undefined} dimColor={!o.available}>
            {i === selected ? '❯ ' : '  '}
            {o.title}
            {o.available ? (o.recommended ? ' (recommended)' : '') : ` [unavailable: ${o.unavailableReason}]`}
          </Text>
          {i === selected &&
            [...o.consequences, ...(o.instructions ?? []).map((x) => `$ ${x}`)].map((c) => (
              <Text key={c} dimColor>{`      ${c}`}</Text>
            ))}
        </Box>
      ))}
    </Box>
  );
}

function Done({ phase }: { phase: Extract<Phase, { kind: 'done' }> }) {
  const o = phase.option;
  return (
    <Box flexDirection="column" marginTop={1}>
      {o && o.mode !== 'automatic' && (
        <Box flexDirection="column">
          <Text bold>
            {o.mode === 'manual'
              ? `Nothing was changed. To ${o.title.toLowerCase()}:`
              : 'Nothing was changed.'}
          </Text>
          {(o.instructions ?? o.consequences).map((l) => (
            <Text key={l}>{`  ${l}`}</Text>
          ))}
        </Box>
      )}
      {phase.act && <Text>{`Act: ${phase.act.summary}`}</Text>}
      {phase.act?.lines.map((l) => (
        <Text key={l} dimColor>{`  ${l}`}</Text>
      ))}
      {phase.verify && (
        <Text
          color={
            phase.result.verify === 'healed'
              ? 'green'
              : phase.result.verify === 'not-needed'
                ? undefined
                : 'red'
          }
        >{`Verify: ${phase.verify.summary}`}</Text>
      )}
      <Text dimColor>Press q to exit.</Text>
    </Box>
  );
}
