/**
 * The healer journal (docs/design.md §4 "record"): every decision with its evidence, every action before
 * (intent) and after (outcome), and incidents. The intent is durable before the action's call, so
 * after kill -9 the daemon knows what it may have done (see reconcile.ts).
 */
import type { HealerAction } from '../action.js';
import type { Anomaly } from '../anomaly.js';
import type { Classification } from '../classifier.js';
import type { Decision } from '../decide/decision.js';
import type { Incident } from '../incident.js';

/** A decision with what led to it. */
export interface DecisionRecord {
  at: number;
  app: string;
  incidentKey?: string;
  decision: Decision;
  anomalies: Anomaly[];
  classification?: Classification;
  /** A compact summary of the observation (status, version, restarts, snapshots). */
  evidence: Record<string, unknown>;
}

/** An action about to be performed (written BEFORE the call). */
export interface IntentRecord {
  id: string;
  at: number;
  app: string;
  incidentKey?: string;
  action: HealerAction;
  reason: string;
  /** The MSF operation it starts, e.g. RollbackApplication. */
  operation: string;
}

/**
 * What became of an intent. `accepted`/`rejected`: the call's answer. `healed`/`failed`/`stopped`:
 * verification. `reconciled-happened`/`reconciled-not-happened`/`reconciled-unknown`: after a crash.
 */
export type OutcomeStatus =
  | 'accepted'
  | 'rejected'
  | 'healed'
  | 'failed'
  | 'stopped'
  | 'reconciled-happened'
  | 'reconciled-not-happened'
  | 'reconciled-unknown';

export interface OutcomeRecord {
  intentId: string;
  at: number;
  status: OutcomeStatus;
  operationId?: string;
  detail?: string;
}

/** An intent with its outcomes so far. */
export interface ActionHistory extends IntentRecord {
  outcomes: OutcomeRecord[];
}

/** Outcomes after which an action is finished (nothing more to verify or reconcile). */
export const FINAL_OUTCOMES: readonly OutcomeStatus[] = [
  'rejected',
  'healed',
  'failed',
  'stopped',
  'reconciled-not-happened',
  'reconciled-unknown',
];

export interface HealerJournal {
  recordDecision(r: DecisionRecord): Promise<void>;
  /** Durably records an intent and returns its id. */
  recordIntent(r: Omit<IntentRecord, 'id'>): Promise<string>;
  recordOutcome(r: OutcomeRecord): Promise<void>;
  upsertIncident(i: Incident): Promise<void>;
  /** Actions without a final outcome (in flight when the daemon stopped), oldest first. */
  unfinishedActions(): Promise<ActionHistory[]>;
  /** Actions started at or after `since` (the hourly budget after a restart). */
  actionsSince(since: number): Promise<ActionHistory[]>;
  openIncidents(): Promise<Incident[]>;
  decisions(opts?: { app?: string; limit?: number }): Promise<DecisionRecord[]>;
  actions(opts?: { app?: string; limit?: number }): Promise<ActionHistory[]>;
  incidents(opts?: { app?: string; limit?: number }): Promise<Incident[]>;
  close(): Promise<void>;
}
