import type { RunbookOption } from './types.js';

/**
 * Which option an unattended run takes, and whether it may act (pure). The rules, in order:
 * an explicitly requested option must exist and be available; without one, the single
 * recommended available option is taken; a destructive automatic option needs --yes (the caller
 * turns `needs-yes` into exit 64 naming --yes); --dry-run never acts.
 */
export type Choice =
  | { kind: 'act'; option: RunbookOption }
  | { kind: 'dry-run'; option?: RunbookOption }
  | { kind: 'needs-yes'; option: RunbookOption }
  | { kind: 'unknown-option'; requested: string; known: string[] }
  | { kind: 'unavailable'; option: RunbookOption; reason: string }
  | { kind: 'no-recommendation'; available: string[] };

export interface ChoiceInput {
  options: RunbookOption[];
  requested?: string;
  yes: boolean;
  dryRun: boolean;
}

export function chooseOption(i: ChoiceInput): Choice {
  let option: RunbookOption | undefined;
  if (i.requested !== undefined) {
    option = i.options.find((o) => o.id === i.requested);
    if (!option) return { kind: 'unknown-option', requested: i.requested, known: i.options.map((o) => o.id) };
    if (!option.available)
      return {
        kind: 'unavailable',
        option,
        reason: option.unavailableReason ?? 'its preconditions do not hold',
      };
  } else {
    option = recommendedOption(i.options);
    if (!option) {
      if (i.dryRun) return { kind: 'dry-run' };
      return { kind: 'no-recommendation', available: i.options.filter((o) => o.available).map((o) => o.id) };
    }
  }
  if (i.dryRun) return { kind: 'dry-run', option };
  if (needsConfirmation(option) && !i.yes) return { kind: 'needs-yes', option };
  return { kind: 'act', option };
}

/** The recommended option when exactly one available option is recommended. */
export function recommendedOption(options: RunbookOption[]): RunbookOption | undefined {
  const rec = options.filter((o) => o.available && o.recommended);
  return rec.length === 1 ? rec[0] : undefined;
}

/** Whether choosing the option changes the target (and so must be confirmed). */
export function needsConfirmation(o: RunbookOption): boolean {
  return o.mode === 'automatic' && o.destructive;
}

/** The index the option picker starts on: the recommended option, else the first available one. */
export function initialSelection(options: RunbookOption[]): number {
  const rec = options.findIndex((o) => o.available && o.recommended);
  if (rec >= 0) return rec;
  const first = options.findIndex((o) => o.available);
  return first >= 0 ? first : 0;
}

/** Moves the picker by `delta`, skipping unavailable options and stopping at the ends. */
export function moveSelection(options: RunbookOption[], from: number, delta: 1 | -1): number {
  for (let i = from + delta; i >= 0 && i < options.length; i += delta) if (options[i]!.available) return i;
  return from;
}
