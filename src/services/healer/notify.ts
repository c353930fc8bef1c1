/**
 * Notifications: one incident per problem, updated on a new decision and resolved — never one
 * message per tick. A fleet-wide event is one incident per account/region. The port delivers
 * (Slack, PagerDuty with the incident key as dedup_key, SNS, webhook).
 */
import type { HealerActions, HealerNotification } from '../../healer/act/port.js';
import type { Decision } from '../../healer/decide/decision.js';
import type { Incident, IncidentEvent } from '../../healer/incident.js';
import type { FleetContext } from '../../healer/observation.js';
import type { FleetHealerState } from '../../healer/state.js';
import type { VerifyResult } from '../../healer/verify.js';

type FleetIncidents = NonNullable<FleetHealerState['fleetIncidents']>;

/** The notification a decision deserves for an incident, if any. */
export function notificationFor(
  incident: Incident,
  d: Decision,
  event: HealerNotification['event'],
  now: number,
): HealerNotification | undefined {
  const base = { incidentKey: incident.key, app: incident.app, event };
  switch (d.kind) {
    case 'page':
      return {
        ...base,
        severity: d.severity,
        reason: d.reason,
        summary: d.diagnosis.summary,
        diagnosis: d.diagnosis,
      };
    case 'act':
      return {
        ...base,
        severity: d.thenPage ?? 'warning',
        reason: d.reason,
        summary: d.diagnosis.summary,
        diagnosis: d.diagnosis,
      };
    case 'record': {
      // A withheld action (dry-run, opt-out, outside hours) leaves the problem to a human: say so.
      const p = d.proposed;
      if (d.reason === 'gave-up' || (p.kind !== 'act' && p.kind !== 'page')) return undefined;
      return {
        ...base,
        severity: p.kind === 'act' ? 'critical' : p.severity,
        reason: d.reason,
        summary: `Not done (${d.reason}): ${p.diagnosis.summary}`,
        diagnosis: p.diagnosis,
      };
    }
    case 'wait':
      // A problem the healer must not touch for a while (cooldown, a rebalance holds the target).
      if (d.reason !== 'cooldown' && d.reason !== 'target-locked') return undefined;
      // The cooldown after this incident's own action is expected, not news.
      if (d.reason === 'cooldown' && incident.actions.length > 0) return undefined;
      return {
        ...base,
        severity: 'warning',
        reason: d.reason,
        summary: `${incident.app}: ${incident.kind} detected; no automatic action before ${new Date(now + d.afterMs).toISOString()} (${d.reason}).`,
      };
    default:
      return undefined;
  }
}

/** Notifies what changed for an incident; returns it with `lastNotified` updated. */
export async function notifyIncident(
  port: HealerActions,
  incident: Incident,
  d: Decision,
  events: readonly IncidentEvent[],
  scope: string,
  fleetIncidents: FleetIncidents,
  now: number,
): Promise<Incident> {
  let inc = incident;
  const key = `${d.kind}:${d.reason}`;
  if (d.kind === 'page' && d.reason === 'fleet-wide-event' && inc.lastNotified !== key) {
    let fi = fleetIncidents[scope];
    if (!fi) {
      fi = { key: `fleet/${scope}/${new Date(now).toISOString()}`, openedAt: now, apps: [] };
      await port.notify({
        incidentKey: fi.key,
        app: scope,
        event: 'trigger',
        severity: d.severity,
        reason: d.reason,
        summary: d.diagnosis.summary,
        diagnosis: d.diagnosis,
      });
    }
    fleetIncidents[scope] = { ...fi, apps: [...new Set([...fi.apps, inc.app])] };
    inc = { ...inc, lastNotified: key };
  }
  const n =
    inc.status === 'open' && inc.lastNotified !== key
      ? notificationFor(inc, d, inc.lastNotified ? 'update' : 'trigger', now)
      : undefined;
  if (n) {
    await port.notify(n);
    inc = { ...inc, lastNotified: key };
  }
  if (
    events.some((e) => e.type === 'resolved') &&
    inc.lastNotified &&
    inc.lastNotified !== 'page:fleet-wide-event'
  ) {
    await port.notify({
      incidentKey: inc.key,
      app: inc.app,
      event: 'resolve',
      severity: 'info',
      reason: 'resolved',
      summary: `${inc.app} is healthy again.`,
    });
  }
  return inc;
}

/** The outcome of an action is news even when nothing was paged before (e.g. after a crash). */
export async function notifyVerification(
  port: HealerActions,
  incident: Incident,
  v: Exclude<VerifyResult, { kind: 'pending' }>,
): Promise<Incident> {
  await port.notify({
    incidentKey: incident.key,
    app: incident.app,
    event: incident.lastNotified ? 'update' : 'trigger',
    severity: v.kind === 'healed' ? (v.via === 'stopped' ? 'critical' : 'info') : 'critical',
    reason: v.kind === 'healed' ? 'action-verified' : 'action-failed',
    summary:
      v.kind === 'healed'
        ? `${incident.app}: ${v.via === 'stopped' ? 'stopped' : 'healed'} (${v.evidence}).`
        : `${incident.app}: the action failed: ${v.reason} (${v.evidence}).`,
  });
  return { ...incident, lastNotified: `verify:${v.kind}` };
}

/** A fleet-wide incident resolves when nothing in its scope loops any more. */
export async function resolveFleetIncidents(
  port: HealerActions,
  fleetIncidents: FleetIncidents,
  contexts: ReadonlyMap<string, FleetContext>,
): Promise<void> {
  for (const [scope, fi] of Object.entries(fleetIncidents)) {
    if ((contexts.get(scope)?.appsLooping ?? 0) > 0) continue;
    await port.notify({
      incidentKey: fi.key,
      app: scope,
      event: 'resolve',
      severity: 'info',
      reason: 'resolved',
      summary: `No application in ${scope} is looping any more (${fi.apps.length} were).`,
    });
    delete fleetIncidents[scope];
  }
}
