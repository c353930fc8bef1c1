/** @jsxRuntime automatic */
/**
 * The parts of the interactive runbook's screen (flow.tsx): the five steps, the findings, the
 * option picker, the act/verify progress and the outcome.
 */
import { Box, Text } from 'ink';
import type { Severity } from '../../core/severity.js';
import type { Explained } from '../../runbooks/engine.js';
import type { RunbookOption, StepKind } from '../../runbooks/types.js';
import { STEP_KINDS } from '../../runbooks/types.js';
import { currentStep, type Phase } from './flow-phase.js';

/** A severity's colour. */
const SEV_COLOUR: Record<Severity, string> = {
  OK: 'green',
  WARNING: 'yellow',
  UNKNOWN: 'magenta',
  CRITICAL: 'red',
};

/** The five steps: done ✔, current ▸ (✖ on an error), to come ○. */
export function StepList({ steps, phase }: { steps: Record<StepKind, string>; phase: Phase }) {
  const doneUpTo = phase.kind === 'done' ? 5 : STEP_KINDS.indexOf(currentStep(phase));
  return (
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
          {i + 1}. {steps[k]}
        </Text>
      ))}
    </Box>
  );
}

/** The diagnosis' findings, coloured by severity. */
export function Findings({ ex }: { ex: Explained }) {
  return (
    <Box flexDirection="column">
      <Text bold>Findings</Text>
      {ex.findings.map((f) => (
        <Text key={f.text}>
          {'  '}
          <Text color={SEV_COLOUR[f.severity]}>{f.severity}</Text> {f.text}
        </Text>
      ))}
    </Box>
  );
}

/** Acting or verifying, with the last progress lines. */
export function Working({
  phase,
  progress,
}: {
  phase: Extract<Phase, { kind: 'acting' | 'verifying' }>;
  progress: string[];
}) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{phase.kind === 'acting' ? `Acting: ${phase.option.title}…` : 'Verifying…'}</Text>
      {progress.map((l) => (
        <Text key={l}>{`  ${l}`}</Text>
      ))}
    </Box>
  );
}

/** The options, the selected one with its consequences and instructions. */
export function Options({ options, selected }: { options: RunbookOption[]; selected: number }) {
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

/** The outcome: what was done and verified, or what to do by hand. */
export function Done({ phase }: { phase: Extract<Phase, { kind: 'done' }> }) {
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
