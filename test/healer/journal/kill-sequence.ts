import type { OutcomeRecord } from '../../../src/healer/journal/port.js';

/** One journal write of the kill test's sequence. */
export type Step =
  | { kind: 'decision' | 'incident' | 'intent'; app: string }
  | { kind: 'outcome'; app: string; intent: number; status: OutcomeRecord['status'] };

/** Per app: a decision, its incident, the action's intent, then its outcomes (15 writes). */
export const SEQUENCE: Step[] = [1, 2, 3].flatMap((i): Step[] => [
  { kind: 'decision', app: `app${i}` },
  { kind: 'incident', app: `app${i}` },
  { kind: 'intent', app: `app${i}` },
  { kind: 'outcome', app: `app${i}`, intent: i, status: 'accepted' },
  { kind: 'outcome', app: `app${i}`, intent: i, status: 'healed' },
]);
