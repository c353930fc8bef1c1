/**
 * One healer tick over the fleet (or a subset of suspects): observe → detect → classify → decide →
 * act → verify → record. This is the orchestration shared by the daemon (live ports),
 * `healer simulate` (simulated ports, virtual time) and the benchmark. All decisions are made by
 * the pure engine; this file only sequences the ports and the journal (one application's part of
 * it in tick-app.ts).
 */
import type { Anomaly } from '../../healer/anomaly.js';
import { detectApp, isLooping } from '../../healer/engine.js';
import { type AppObservation, type FleetContext, fleetScope } from '../../healer/observation.js';
import type { AppHealerState, FleetHealerState } from '../../healer/state.js';
import { resolveFleetIncidents } from './notify.js';
import { tickApp } from './tick-app.js';
import type { AppTickReport, TickDeps, TickReport } from './tick-types.js';

export type { AppTickReport, FleetObserver, FleetPeers, TickDeps, TickReport } from './tick-types.js';

const BUSY_STATUSES = new Set([
  'UPDATING',
  'AUTOSCALING',
  'MAINTENANCE',
  'ROLLING_BACK',
  'STARTING',
  'STOPPING',
  'FORCE_STOPPING',
]);
const CHANGE_STATUSES = new Set(['UPDATING', 'AUTOSCALING', 'ROLLING_BACK', 'STARTING', 'MAINTENANCE']);

/** Whether an app needs the enriched tier this tick (keeps DescribeApplication & co. off quiet apps). */
export function needsEnrichment(
  obs: AppObservation,
  base: readonly Anomaly[],
  s: AppHealerState | undefined,
): boolean {
  if (base.some((a) => a.kind !== 'restart-metric-unknown')) return true;
  if (BUSY_STATUSES.has(obs.app.status)) return true;
  // A stopped application seen for the first time (daemon start): it may have been left READY by
  // a failed update that nothing rolled back. Running ones show their trouble in the counter.
  if (!s && obs.app.status === 'READY') return true;
  if (s && (s.phase !== 'watching' || s.incident?.status === 'open')) return true;
  return s !== undefined && s.status !== undefined && s.status !== obs.app.status;
}

/** Whether to poll subtasks (presigned REST): only right after an operation or while verifying — never continuously. */
export function wantsSubtasks(obs: AppObservation, s: AppHealerState | undefined): boolean {
  if (obs.app.status !== 'RUNNING') return false;
  if (s?.phase === 'verifying') return true;
  return s?.status !== undefined && CHANGE_STATUSES.has(s.status);
}

/** Runs one tick. `only` restricts observation to suspects (the fast re-check). */
export async function runTick(
  deps: TickDeps,
  prev: FleetHealerState,
  now: number,
  only?: readonly string[],
): Promise<{ state: FleetHealerState; report: TickReport }> {
  // The state this tick works on: copies of the previous one, changed in place app by app.
  const w: Required<FleetHealerState> = {
    apps: { ...prev.apps },
    // Sharded: every shard's actions of the last hour count against the hourly budget.
    actionTimes: deps.fleetPeers
      ? await deps.fleetPeers.actionTimes(now)
      : prev.actionTimes.filter((t) => t > now - 3_600_000),
    fleetView: { ...prev.fleetView },
    fleetIncidents: { ...(prev.fleetIncidents ?? {}) },
  };
  const seen = await observeAndDetect(deps, w.apps, now, only);
  let contexts = fleetContexts(w.fleetView, seen.observations, seen.anomalies);
  if (deps.fleetPeers)
    contexts = new Map(
      (await deps.fleetPeers.exchange([...contexts.values()], now)).map((c) => [c.scope, c]),
    );
  const reports: AppTickReport[] = [];
  for (let i = 0; i < seen.observations.length; i++) {
    const obs = seen.observations[i]!;
    reports.push(await tickApp(deps, w, obs, seen.anomalies[i]!, contexts.get(fleetScope(obs))!, now));
  }
  await resolveFleetIncidents(deps.actions, w.fleetIncidents, contexts);
  return { state: w, report: { at: now, apps: reports, enriched: seen.enriched } };
}

/** Observe (base tier), detect, enrich what needs it, detect again on the richer picture. */
async function observeAndDetect(
  deps: TickDeps,
  apps: FleetHealerState['apps'],
  now: number,
  only: readonly string[] | undefined,
): Promise<{ observations: AppObservation[]; anomalies: Anomaly[][]; enriched: number }> {
  const { policy } = deps;
  const observations = await deps.observer.observe(now, only);
  const base = observations.map((o) => detectApp(o, apps[o.app.name], policy, now));
  const toEnrich = observations.filter((o, i) => needsEnrichment(o, base[i]!, apps[o.app.name]));
  if (toEnrich.length === 0) return { observations, anomalies: base, enriched: 0 };
  const subtasksFor = new Set(
    toEnrich.filter((o) => wantsSubtasks(o, apps[o.app.name])).map((o) => o.app.name),
  );
  const enriched = new Map(
    (await deps.observer.enrich(toEnrich, now, { subtasksFor })).map((o) => [o.app.name, o]),
  );
  const richer = observations.map((o) => enriched.get(o.app.name) ?? o);
  const anomalies = richer.map((o, i) =>
    enriched.has(o.app.name) ? detectApp(o, apps[o.app.name], policy, now) : base[i]!,
  );
  return { observations: richer, anomalies, enriched: toEnrich.length };
}

/** Fleet context per account/region, from every app's latest detection (`fleetView` is updated). */
function fleetContexts(
  fleetView: FleetHealerState['fleetView'],
  observations: readonly AppObservation[],
  anomalies: readonly Anomaly[][],
): Map<string, FleetContext> {
  observations.forEach((o, i) => {
    const a = anomalies[i]!;
    fleetView[o.app.name] = {
      scope: fleetScope(o),
      looping: isLooping(a),
      restarting: isLooping(a) || a.some((x) => x.kind === 'restarts-below-threshold'),
    };
  });
  const contexts = new Map<string, FleetContext>();
  for (const v of Object.values(fleetView)) {
    const c = contexts.get(v.scope) ?? { scope: v.scope, appsTotal: 0, appsLooping: 0, appsRestarting: 0 };
    c.appsTotal++;
    if (v.looping) c.appsLooping++;
    if (v.restarting) c.appsRestarting = (c.appsRestarting ?? 0) + 1;
    contexts.set(v.scope, c);
  }
  return contexts;
}
