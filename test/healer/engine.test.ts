/**
 * The incident's story through stepApp (pure): a verified heal resolves it with the action and the
 * time; a loop that comes back during the probation reopens the same incident (no second rollback);
 * a slow loop is not over after three quiet minutes; a failed update MSF rolled back is one
 * incident resolved by the system rollback, never re-opened tick after tick.
 */
import { describe, expect, it } from 'vitest';
import type { FailureClassifier } from '../../src/healer/classifier.js';
import { detectApp, stepApp } from '../../src/healer/engine.js';
import type { AppObservation } from '../../src/healer/observation.js';
import type { AppHealerState } from '../../src/healer/state.js';
import { classification, deploy, MIN, NOW, observation, policy, series } from './fixtures.js';

const p = policy();
const classifier: FailureClassifier = () => classification('user');

function step(obs: AppObservation, prev: AppHealerState | undefined, now: number) {
  const anomalies = detectApp(obs, prev, p, now);
  return stepApp(
    {
      obs,
      anomalies,
      fleet: { scope: 'x', appsTotal: 1, appsLooping: 0 },
      policy: p,
      now,
      classifier,
      actionsInLastHour: 0,
      healingEnabled: true,
    },
    prev,
  );
}

/** A counter per period ending at `end`, from restart minutes (counted before `end`). */
function counter(end: number, restartsAt: number[], periods = p.loop.lookbackPeriods) {
  const values: number[] = [];
  for (let k = periods; k >= 1; k--) values.push(restartsAt.filter((t) => t <= end - k * MIN).length);
  return series(values, { end });
}

const verifying = (startedAt: number): AppHealerState => ({
  phase: 'verifying',
  phaseSince: startedAt,
  cooldownUntil: startedAt + p.cooldownMs,
  action: {
    intentId: '1',
    action: { type: 'rollback', currentVersionId: 8 },
    startedAt,
    settledAt: startedAt + MIN,
  },
  incident: {
    key: 'orders/restart-loop/x',
    app: 'orders',
    kind: 'restart-loop',
    openedAt: startedAt - MIN,
    updatedAt: startedAt,
    status: 'open',
    loopSince: startedAt - 3 * MIN,
    loopIntervalMs: 40_000,
    actions: [{ type: 'rollback', at: startedAt }],
  },
});

const healthy = (t: number) =>
  observation({
    restarts: counter(t, []),
    subtasks: {
      available: true,
      observedAt: t,
      job: { id: 'j', name: 'j', state: 'RUNNING', subtasks: { RUNNING: 4 }, vertices: [] },
    },
  });

describe('a verified heal resolves the incident', () => {
  it('says which action healed it and when', () => {
    const { result, nextState } = step(healthy(NOW), verifying(NOW - 2 * MIN), NOW);
    expect(nextState.phase).toBe('healed');
    expect(nextState.incident).toMatchObject({
      status: 'resolved',
      resolvedAt: NOW,
      resolution: { by: 'action', action: 'rollback', actionAt: NOW - 2 * MIN, at: NOW },
      actions: [{ type: 'rollback', outcome: 'healed' }],
    });
    expect(result.events.map((e) => e.type)).toEqual(['updated', 'resolved']);
  });

  it('a loop back within the probation reopens the same incident as did-not-heal and force-stops', () => {
    const healed = step(healthy(NOW), verifying(NOW - 2 * MIN), NOW).nextState;
    const at = NOW + 4 * MIN;
    const again = observation({
      restarts: counter(at, [NOW + MIN, NOW + 2 * MIN, NOW + 3 * MIN]),
      operations: [deploy(NOW - 20 * MIN)],
    });
    const { result, nextState } = step(again, healed, at);
    expect(nextState.incident).toMatchObject({ key: 'orders/restart-loop/x', status: 'open' });
    expect(nextState.incident?.resolution).toBeUndefined();
    expect(nextState.incident?.actions.map((a) => a.outcome)).toEqual(['did-not-heal']);
    expect(result.decision).toMatchObject({ kind: 'act', reason: 'rollback-did-not-heal-force-stop' });
  });

  it('the probation ends with the cooldown once the counter is quiet', () => {
    const healed = step(healthy(NOW), verifying(NOW - 2 * MIN), NOW).nextState;
    const before = NOW - 2 * MIN + p.cooldownMs - 1;
    expect(step(healthy(before), healed, before).nextState.phase).toBe('healed');
    const end = NOW - 2 * MIN + p.cooldownMs;
    expect(step(healthy(end), healed, end).nextState.phase).toBe('watching');
  });
});

describe('a slow loop must stay quiet for its own rhythm to be over', () => {
  const open = (intervalMs: number): AppHealerState => ({
    phase: 'watching',
    phaseSince: NOW - 30 * MIN,
    incident: {
      key: 'orders/restart-loop/y',
      app: 'orders',
      kind: 'restart-loop',
      openedAt: NOW - 20 * MIN,
      updatedAt: NOW - 20 * MIN,
      status: 'open',
      loopIntervalMs: intervalMs,
      actions: [],
    },
  });
  it.each([
    {
      name: 'a 5-min loop, quiet 6 min: still open',
      interval: 5 * MIN,
      lastRestart: NOW - 7 * MIN,
      status: 'open',
    },
    {
      name: 'a 5-min loop, quiet 11 min: resolved',
      interval: 5 * MIN,
      lastRestart: NOW - 12 * MIN,
      status: 'resolved',
    },
    {
      name: 'a 40-s loop, quiet 4 min: resolved',
      interval: 40_000,
      lastRestart: NOW - 5 * MIN,
      status: 'resolved',
    },
  ])('$name', ({ interval, lastRestart, status }) => {
    const obs = observation({ restarts: counter(NOW, [lastRestart]), operations: [] });
    const { nextState } = step(obs, open(interval), NOW);
    expect(nextState.incident?.status).toBe(status);
    if (status === 'resolved') expect(nextState.incident?.resolution).toMatchObject({ by: 'quiet' });
  });
});

describe('a failed update MSF rolled back', () => {
  const failed = deploy(NOW - 3 * MIN, {
    operationId: 'op-9',
    status: 'FAILED',
    rollbackOperationId: 'op-10',
  });
  const rb = {
    operationId: 'op-10',
    operation: 'RollbackApplication',
    status: 'SUCCESSFUL',
    startTime: new Date(NOW - 3 * MIN).toISOString(),
    endTime: new Date(NOW - 2 * MIN).toISOString(),
  };
  const obs = (t: number) => observation({ restarts: counter(t, []), operations: [failed, rb] });

  it('is one incident, resolved by the system rollback, recorded without a page', () => {
    const first = step(obs(NOW), undefined, NOW);
    expect(first.result.decision).toMatchObject({ kind: 'record', reason: 'system-rollback-done' });
    expect(first.nextState.incident).toMatchObject({
      kind: 'failed-operation',
      operationId: 'op-9',
      status: 'resolved',
      resolution: { by: 'system-rollback', operationId: 'op-10' },
    });
    const second = step(obs(NOW + MIN), first.nextState, NOW + MIN);
    expect(second.result.events).toEqual([]);
    expect(second.nextState.incident?.key).toBe(first.nextState.incident?.key);
  });
});
