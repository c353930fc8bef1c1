/** The results of a simulation: timeline, figures, verdict. */
import type { Decision, Reason } from '../../healer/decide/decision.js';
import type { ApiCalls } from './ports.js';
import type { WorldAction } from './world.js';

/** One line of the timeline. */
export interface TimelineEntry {
  t: number;
  app: string;
  what:
    | 'world'
    | 'detect'
    | 'decision'
    | 'action'
    | 'verify'
    | 'reconcile'
    | 'incident'
    | 'notify'
    | 'crash'
    | 'resume';
  text: string;
}

export interface SimulationFigures {
  /** From the loop's third restart to the first tick that detected the loop (ms). */
  detectionLatencyMs?: number;
  detectedAt?: number;
  firstDecision?: { t: number; kind: Decision['kind']; reason: Reason };
  /** From the loop's first restart to the verified heal (ms). */
  timeToRecoveryMs?: number;
  outcome: 'healed' | 'stopped' | 'gave-up' | 'open' | 'resolved' | 'none';
  /** The effective verdict on the main app's first classified loop. */
  classifiedAs?: 'user' | 'system' | 'unknown';
  /** Pages of the main app, for any reason: page decisions and critical notifications. */
  pages: number;
  actions: WorldAction[];
  harmful: { t: number; app: string; type: string; why: string }[];
  notifications: number;
  ticks: number;
  apiCalls: ApiCalls;
  /** Decisions per kind over all apps (how busy the fleet was). */
  fleetDecisions: Record<string, number>;
}

export interface SimulationResult {
  scenario: string;
  file?: string;
  passed: boolean;
  mismatches: string[];
  figures: SimulationFigures;
  reasons: Reason[];
  timeline: TimelineEntry[];
}

/** `+5m`, `+6m20s`, `45s`: offsets in the timeline. */
export function formatOffset(ms: number): string {
  const s = Math.round(ms / 1000);
  return s % 60 === 0 ? `${s / 60}m` : s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}
