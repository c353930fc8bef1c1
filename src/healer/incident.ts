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

/** Resolves an incident. */
export function resolveIncident(i: Incident, now: number): Incident {
  return { ...i, status: 'resolved', resolvedAt: now, updatedAt: now };
}

/** How many actions of a type this incident already took. */
export function actionsOfType(i: Incident | undefined, type: HealerActionType): number {
  return i ? i.actions.filter((a) => a.type === type).length : 0;
}
