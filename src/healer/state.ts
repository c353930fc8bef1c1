/**
 * The per-application healer state machine (docs/design.md §6).
 *
 *            act decided, intent journaled
 *   watching ─────────────────────────────▶ acting ──call rejected──▶ failed
 *      ▲  ▲                                   │                      │  │
 *      │  │                              call accepted               │  │ next playbook step
 *      │  │                                   ▼                      │  ▼
 *      │  │          loop returns   ┌──── verifying ──verify failed──▶ failed ──▶ acting
 *      │  │        ┌──────────────▶ │         │                          │
 *      │  │        │                │   verify healed                    │ nothing left to try
 *      │  └─ incident resolved ── healed ◀────┘                          ▼
 *      └──────── incident resolved (a human restarted it) ──────────── gave-up
 *
 * (healed → failed: the loop came back while the incident was still open: the action did not heal.
 *  verifying → gave-up: a force-stop completed; the application is stopped and a human takes over.
 *  acting → watching: after a crash, reconcile found that the journaled intent never reached MSF.)
 */
import type { HealerAction } from './action.js';
import type { Incident } from './incident.js';

export type HealerPhase = 'watching' | 'acting' | 'verifying' | 'healed' | 'failed' | 'gave-up';

/** Allowed transitions. Staying in the same phase is always allowed. */
export const TRANSITIONS: Readonly<Record<HealerPhase, readonly HealerPhase[]>> = {
  watching: ['acting'],
  acting: ['verifying', 'failed', 'watching'],
  verifying: ['healed', 'failed', 'gave-up'],
  healed: ['watching', 'failed'],
  failed: ['acting', 'gave-up', 'watching'],
  'gave-up': ['watching'],
};

/** An action between its journaled intent and its verified outcome. */
export interface InFlightAction {
  intentId: string;
  action: HealerAction;
  startedAt: number;
  /** The MSF operation id, when the call returned one. */
  operationId?: string;
  /** First tick at which the application was seen settled after the action. */
  settledAt?: number;
}

/** Everything the healer remembers about one application between ticks. */
export interface AppHealerState {
  phase: HealerPhase;
  phaseSince: number;
  /** Last observed status and since when (stuck detection survives operations without StartTime). */
  status?: string;
  statusSince?: number;
  incident?: Incident;
  action?: InFlightAction;
  cooldownUntil?: number;
  /** When the last action settled: restarts before it are not counted again (the loop it ended). */
  countRestartsFrom?: number;
  /** kind:reason of the last journaled decision: the journal records changes, not every tick. */
  lastDecisionKey?: string;
}

/** The initial state. */
export function initialAppState(now: number): AppHealerState {
  return { phase: 'watching', phaseSince: now };
}

/** Thrown on an illegal transition: a bug in the healer, never an operational condition. */
export class IllegalTransitionError extends Error {
  constructor(from: HealerPhase, to: HealerPhase) {
    super(`illegal healer transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

/** Asserts that `from → to` is allowed. */
export function assertTransition(from: HealerPhase, to: HealerPhase): void {
  if (from === to) return;
  if (!TRANSITIONS[from].includes(to)) throw new IllegalTransitionError(from, to);
}

/** Moves to a phase (asserting the transition), with extra changes. */
export function transition(
  s: AppHealerState,
  to: HealerPhase,
  now: number,
  patch: Partial<AppHealerState> = {},
): AppHealerState {
  assertTransition(s.phase, to);
  return { ...s, ...patch, phase: to, phaseSince: s.phase === to ? s.phaseSince : now };
}

/** The fleet-level state: every application's state and the action times for the hourly budget. */
export interface FleetHealerState {
  apps: Record<string, AppHealerState>;
  /** Start times of automatic actions (any app), pruned to the last hour. */
  actionTimes: number[];
  /** Each app's account/region scope and whether it looped at its last observation (fleet breaker). */
  fleetView: Record<string, { scope: string; looping: boolean; restarting?: boolean }>;
  /** One incident per fleet-wide event and account/region scope (one page, not one per app). */
  fleetIncidents?: Record<string, { key: string; openedAt: number; apps: string[] }>;
}

/** An empty fleet state. */
export function initialFleetState(): FleetHealerState {
  return { apps: {}, actionTimes: [], fleetView: {} };
}

/** Actions started within the last hour before `now`. */
export function actionsInLastHour(f: FleetHealerState, now: number): number {
  return f.actionTimes.filter((t) => t > now - 3_600_000 && t <= now).length;
}
