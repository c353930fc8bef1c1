/**
 * Step 3 of the per-app step (engine.ts), pure: open, escalate, update or resolve the incident,
 * and end the probation after a verified heal. One incident per problem episode; its
 * `resolution` says how it ended (healed by an action, quiet for the loop's own rhythm, or a
 * failed update MSF's system rollback reverted), so every view tells the same story.
 */
import type { Anomaly } from './anomaly.js';
import { findAnomaly } from './anomaly.js';
import { stableRunMs } from './detect/loop-rhythm.js';
import { assessRestarts } from './detect/restart-loop.js';
import {
  type Incident,
  type IncidentEvent,
  type IncidentKind,
  openIncident,
  resolveIncident,
} from './incident.js';
import type { AppObservation } from './observation.js';
import type { HealerPolicy } from './policy.js';
import { type AppHealerState, transition } from './state.js';

/** Whether the counter has been quiet for the incident's stable run (its loop's rhythm). */
function quietLongEnough(obs: AppObservation, incident: Incident, policy: HealerPolicy): boolean {
  const quiet = assessRestarts(obs.restarts, policy.loop);
  const trailing = quiet.state === 'loop' ? 0 : quiet.trailingQuiet;
  return trailing * policy.periodMs >= stableRunMs(policy, incident.loopIntervalMs);
}

/** MSF's system rollback already restored the previous version: the platform healed it. */
function resolvedBySystemRollback(
  s: AppHealerState,
  failed: Extract<Anomaly, { kind: 'failed-operation' }>,
  now: number,
  events: IncidentEvent[],
): AppHealerState {
  if (!s.incident) return s;
  const rb = failed.operation.rollbackOperationId ?? '?';
  const incident = resolveIncident(s.incident, now, {
    by: 'system-rollback',
    at: now,
    operationId: rb,
    evidence: `${failed.operation.operation} ${failed.operation.operationId} failed; MSF system rollback ${rb} SUCCESSFUL`,
  });
  events.push({ type: 'resolved', incident });
  return { ...s, incident };
}

/** Step 3: open, escalate, update or resolve the incident; end the probation after a heal. */
export function keepIncident(
  prev: AppHealerState,
  obs: AppObservation,
  anomalies: readonly Anomaly[],
  concern: IncidentKind | undefined,
  policy: HealerPolicy,
  now: number,
  events: IncidentEvent[],
): AppHealerState {
  const s = prev;
  const loop = findAnomaly(anomalies, 'restart-loop');
  // Healed this very tick: this tick's loop was detected before the settle time was known; the
  // next tick counts only restarts after it (and reopens the incident if the loop goes on).
  if (s.phase === 'healed' && concern === 'restart-loop') return s;
  const failed = findAnomaly(anomalies, 'failed-operation');
  // One incident per failed operation: it stays visible for recentChangeWindow, not a new one per tick.
  const sameFailure =
    concern === 'failed-operation' && failed && s.incident?.operationId === failed.operation.operationId;
  if (concern && !sameFailure && (!s.incident || s.incident.status === 'resolved')) {
    const incident = openIncident(obs.app.name, concern, now, loop?.firstRestartAt);
    if (loop) incident.loopIntervalMs = loop.intervalMs;
    if (concern === 'failed-operation' && failed) incident.operationId = failed.operation.operationId;
    events.push({ type: 'opened', incident });
    if (concern === 'failed-operation' && failed?.systemRollback === 'done')
      return resolvedBySystemRollback({ ...s, incident }, failed, now, events);
    // A different problem during the probation after a heal ends the probation: its own episode.
    return s.phase === 'healed' ? transition(s, 'watching', now, { incident }) : { ...s, incident };
  }
  if (concern === 'restart-loop' && s.incident?.status === 'open' && s.incident.kind !== 'restart-loop') {
    // Failing subtasks or a failed operation that turn into a loop are the same episode: one incident.
    const incident: Incident = {
      ...s.incident,
      kind: 'restart-loop',
      loopSince: loop?.firstRestartAt ?? now,
      ...(loop ? { loopIntervalMs: loop.intervalMs } : {}),
      updatedAt: now,
    };
    events.push({ type: 'updated', incident, what: 'escalated to a restart loop' });
    return { ...s, incident };
  }
  if (
    concern === 'failed-operation' &&
    failed?.systemRollback === 'done' &&
    s.incident?.status === 'open' &&
    s.incident.operationId === failed.operation.operationId
  ) {
    return resolvedBySystemRollback(s, failed, now, events);
  }
  if (loop && s.incident?.status === 'open' && s.incident.loopIntervalMs !== loop.intervalMs) {
    // The rhythm as last observed: it decides how long "quiet again" must last.
    return { ...s, incident: { ...s.incident, loopIntervalMs: loop.intervalMs } };
  }
  if (s.phase === 'healed' && s.incident?.status === 'resolved' && !concern) {
    // The probation after a verified heal ends with the cooldown, once the counter is quiet.
    const over =
      (s.cooldownUntil === undefined || now >= s.cooldownUntil) && quietLongEnough(obs, s.incident, policy);
    return over ? transition(s, 'watching', now) : s;
  }
  if (s.incident?.status === 'open' && !concern && s.phase !== 'acting' && s.phase !== 'verifying') {
    const settled = obs.app.status === 'RUNNING';
    // Loops and failing subtasks end when the counter has been quiet for the loop's stable run;
    // the others when the anomaly is gone.
    const restartBased = s.incident.kind === 'restart-loop' || s.incident.kind === 'subtasks-failing';
    const resolved = restartBased
      ? settled && quietLongEnough(obs, s.incident, policy)
      : settled || s.incident.kind === 'checkpoint-stall';
    if (resolved) {
      const incident = resolveIncident(s.incident, now, {
        by: 'quiet',
        at: now,
        evidence: restartBased
          ? `status RUNNING, no restart for ${Math.round(stableRunMs(policy, s.incident.loopIntervalMs) / 60_000)} min or more`
          : `status ${obs.app.status}, the ${s.incident.kind} is gone`,
      });
      events.push({ type: 'resolved', incident });
      return s.phase === 'watching' ? { ...s, incident } : transition(s, 'watching', now, { incident });
    }
  }
  return s;
}
