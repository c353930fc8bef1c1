/**
 * Rebuilds the fleet state from the journal after a restart (or kill -9). Pure: the caller reads
 * the journal. Open incidents give each app its phase; unfinished actions are either verifying
 * (the call was accepted before the crash) or acting (intent only: reconciled at the next tick
 * against ListApplicationOperations, see reconcile.ts).
 */
import type { Incident } from '../incident.js';
import type { HealerPolicy } from '../policy.js';
import type { AppHealerState, FleetHealerState, HealerPhase } from '../state.js';
import type { ActionHistory } from './port.js';

function phaseFromIncident(i: Incident): HealerPhase {
  const last = i.actions[i.actions.length - 1];
  if (!last || last.outcome === undefined) return 'watching';
  if (last.outcome === 'healed') return last.type === 'force-stop' ? 'gave-up' : 'healed';
  return i.actions.some((a) => a.type === 'force-stop') ? 'gave-up' : 'failed';
}

/**
 * Incidents a verified heal resolved within the last cooldown: their apps are still on probation
 * (a loop that comes back reopens the incident instead of starting a second rollback). From a
 * listing of recent incidents in any order; the newest incident per app wins.
 */
export function onProbation(recent: readonly Incident[], now: number, policy: HealerPolicy): Incident[] {
  const seen = new Set<string>();
  const out: Incident[] = [];
  for (const i of [...recent].sort((a, b) => b.openedAt - a.openedAt)) {
    if (seen.has(i.app)) continue;
    seen.add(i.app);
    const r = i.resolution;
    if (i.status === 'resolved' && r?.by === 'action' && r.actionAt + policy.cooldownMs > now) out.push(i);
  }
  return out;
}

export function resumeFleetState(input: {
  now: number;
  policy: HealerPolicy;
  openIncidents: Incident[];
  unfinished: ActionHistory[];
  recentActions: ActionHistory[];
  /** Incidents resolved by a verified heal within the cooldown (`onProbation`). */
  healedRecently?: Incident[];
}): FleetHealerState {
  const apps: Record<string, AppHealerState> = {};
  for (const incident of input.healedRecently ?? []) {
    const r = incident.resolution;
    if (r?.by !== 'action') continue;
    apps[incident.app] = {
      phase: 'healed',
      phaseSince: r.at,
      incident,
      cooldownUntil: r.actionAt + input.policy.cooldownMs,
      countRestartsFrom: r.at,
    };
  }
  for (const incident of input.openIncidents) {
    const last = incident.actions[incident.actions.length - 1];
    apps[incident.app] = {
      phase: phaseFromIncident(incident),
      phaseSince: incident.updatedAt,
      incident,
      ...(last ? { cooldownUntil: last.at + input.policy.cooldownMs } : {}),
    };
  }
  for (const h of input.unfinished) {
    const accepted = h.outcomes.find((o) => o.status === 'accepted' || o.status === 'reconciled-happened');
    const prev = apps[h.app] ?? { phase: 'watching' as const, phaseSince: h.at };
    apps[h.app] = {
      ...prev,
      phase: accepted ? 'verifying' : 'acting',
      phaseSince: h.at,
      action: {
        intentId: h.id,
        action: h.action,
        startedAt: h.at,
        ...(accepted?.operationId ? { operationId: accepted.operationId } : {}),
      },
      cooldownUntil: h.at + input.policy.cooldownMs,
    };
  }
  return { apps, actionTimes: input.recentActions.map((a) => a.at).sort((a, b) => a - b), fleetView: {} };
}
