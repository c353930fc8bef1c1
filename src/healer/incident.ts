/**
 * Incidents: one per problem episode of an application (one per loop), opened on detection,
 * updated as the healer decides and acts, resolved when the application is quiet again. The dedup
 * key is stable for the episode, so PagerDuty/Slack get one incident updated, not one per tick.
 */

import type { HealerActionType } from './action.js';
import type { Classification } from './classifier.js';

export type IncidentKind =
  | 'restart-loop'
  | 'stuck-operation'
  | 'failed-operation'
  | 'subtasks-failing'
  | 'checkpoint-stall';

export interface Incident {
  /** Dedup key: `<app>/<kind>/<openedAt ISO>`. */
  key: string;
  app: string;
  kind: IncidentKind;
  openedAt: number;
  updatedAt: number;
  status: 'open' | 'resolved';
  resolvedAt?: number;
  /** Loop start as first detected (first period with a restart in the window). */
  loopSince?: number;
  /** The failed operation this incident is about (failed-operation incidents: one per operation). */
  operationId?: string;
  /** The loop's observed restart interval (a slow loop must stay quiet longer to be over). */
  loopIntervalMs?: number;
  /**
   * How the incident ended, so every view tells the same story: healed by this action at this
   * time (verified), quiet again by itself, or already rolled back by MSF's system rollback.
   */
  resolution?: IncidentResolution;
  classification?: Classification;
  /** Actions taken in this incident, by type: the no-ping-pong rule reads these. */
  actions: {
    type: HealerActionType;
    at: number;
    outcome?: 'healed' | 'failed' | 'rejected' | 'did-not-heal';
  }[];
  /** The last decision (kind:reason) notified for this incident; notifications only on change. */
  lastNotified?: string;
}

/** How an incident ended. */
export type IncidentResolution =
  | {
      by: 'action';
      action: HealerActionType;
      /** When the action started. */
      actionAt: number;
      /** When verification proved the heal. */
      at: number;
      evidence: string;
    }
  | { by: 'quiet'; at: number; evidence: string }
  | { by: 'system-rollback'; at: number; operationId: string; evidence: string };

/** A change to an incident that notifiers and the journal care about. */
export type IncidentEvent =
  | { type: 'opened'; incident: Incident }
  | { type: 'updated'; incident: Incident; what: string }
  | { type: 'resolved'; incident: Incident };

/** Opens an incident. */
export function openIncident(app: string, kind: IncidentKind, now: number, loopSince?: number): Incident {
  return {
    key: `${app}/${kind}/${new Date(now).toISOString()}`,
    app,
    kind,
    openedAt: now,
    updatedAt: now,
    status: 'open',
    ...(loopSince !== undefined ? { loopSince } : {}),
    actions: [],
  };
}

/** Resolves an incident, saying how it ended. */
export function resolveIncident(i: Incident, now: number, resolution: IncidentResolution): Incident {
  return { ...i, status: 'resolved', resolvedAt: now, updatedAt: now, resolution };
}

/**
 * Reopens an incident a verified heal had resolved: the loop came back, so the action did not
 * heal after all. Same key, same episode: the no-ping-pong rule keeps counting its actions.
 */
export function reopenIncident(i: Incident, now: number): Incident {
  const { resolvedAt: _r, resolution: _s, ...rest } = i;
  return { ...rest, status: 'open', updatedAt: now };
}

/** How many actions of a type this incident already took. */
export function actionsOfType(i: Incident | undefined, type: HealerActionType): number {
  return i ? i.actions.filter((a) => a.type === type).length : 0;
}
