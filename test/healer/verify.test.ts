import { describe, expect, it } from 'vitest';
import type { InFlightAction } from '../../src/healer/state.js';
import { verifyAction } from '../../src/healer/verify.js';
import { MIN, NOW, observation, policy, series } from './fixtures.js';

const p = policy(); // settleTimeout 10m, timeout 15m, fallbackQuietPeriods 3
const rollback = (patch: Partial<InFlightAction> = {}): InFlightAction => ({
  intentId: 'i',
  action: { type: 'rollback', currentVersionId: 8 },
  startedAt: NOW - 3 * MIN,
  ...patch,
});
const job = (subtasks: Record<string, number>, state = 'RUNNING') => ({
  available: true as const,
  observedAt: NOW,
  job: { id: 'j', name: 'j', state, subtasks, vertices: [] },
});

describe('verifyAction', () => {
  it.each([
    {
      name: 'still ROLLING_BACK',
      status: 'ROLLING_BACK',
      sub: undefined,
      want: { kind: 'pending', reason: 'settling' },
    },
    {
      name: 'RUNNING, all subtasks RUNNING',
      status: 'RUNNING',
      sub: job({ RUNNING: 4 }),
      want: { kind: 'healed', via: 'subtasks' },
    },
    {
      name: 'RUNNING, a subtask FAILED',
      status: 'RUNNING',
      sub: job({ RUNNING: 3, FAILED: 1 }),
      want: { kind: 'failed', reason: 'subtasks-failing' },
    },
    {
      name: 'RUNNING, subtasks CANCELED',
      status: 'RUNNING',
      sub: job({ CANCELED: 4 }, 'RESTARTING'),
      want: { kind: 'failed', reason: 'subtasks-failing' },
    },
    {
      name: 'RUNNING, subtasks still DEPLOYING',
      status: 'RUNNING',
      sub: job({ RUNNING: 2, DEPLOYING: 2 }),
      want: { kind: 'pending', reason: 'awaiting-subtasks' },
    },
  ])('$name → $want.kind', ({ status, sub, want }) => {
    const out = verifyAction(rollback(), observation({ status, ...(sub ? { subtasks: sub } : {}) }), p, NOW);
    expect(out).toMatchObject(want);
  });

  it.each([
    { name: 'not settled at settleTimeout − 1 ms', elapsed: 10 * MIN - 1, kind: 'pending' },
    { name: 'not settled at settleTimeout', elapsed: 10 * MIN, kind: 'failed' },
  ])('$name → $kind', ({ elapsed, kind }) => {
    expect(
      verifyAction(rollback({ startedAt: NOW - elapsed }), observation({ status: 'ROLLING_BACK' }), p, NOW)
        .kind,
    ).toBe(kind);
  });

  it.each([
    { name: 'settled, unverified at timeout − 1 ms', elapsed: 15 * MIN - 1, kind: 'pending' },
    { name: 'settled, unverified at timeout', elapsed: 15 * MIN, kind: 'failed' },
  ])('$name → $kind', ({ elapsed, kind }) => {
    const a = rollback({ startedAt: NOW - elapsed, settledAt: NOW - MIN });
    expect(
      verifyAction(
        a,
        observation({
          restarts: undefined,
          subtasks: { available: false, observedAt: NOW, reason: 'dashboard-unavailable' },
        }),
        p,
        NOW,
      ).kind,
    ).toBe(kind);
  });

  describe('without the dashboard: status and restart counter', () => {
    const unavailable = {
      available: false as const,
      observedAt: NOW,
      reason: 'dashboard-unavailable' as const,
    };
    it.each([
      // Periods overlapping the time after settling count; the first of them has no known DIFF.
      {
        name: 'three quiet periods after settling',
        values: [5, 5, 5, 0, 0, 0],
        settled: NOW - 4 * MIN,
        kind: 'healed',
      },
      {
        name: 'two quiet periods (fallbackQuietPeriods − 1)',
        values: [5, 5, 5, 0, 0, 0],
        settled: NOW - 3 * MIN,
        kind: 'pending',
      },
      {
        name: 'restarts continue after settling',
        values: [5, 5, 0, 1, 2, 2],
        settled: NOW - 4 * MIN,
        kind: 'failed',
      },
      {
        name: 'missing datapoints prove nothing',
        values: [5, 5, 0, undefined, undefined, 0],
        settled: NOW - 4 * MIN,
        kind: 'pending',
      },
    ])('$name → $kind', ({ values, settled, kind }) => {
      const a = rollback({ settledAt: settled });
      expect(
        verifyAction(a, observation({ restarts: series(values), subtasks: unavailable }), p, NOW).kind,
      ).toBe(kind);
    });
  });

  it.each([
    { name: 'a 5-min loop: 9 quiet periods are not yet its stable run', quiet: 9, kind: 'pending' },
    { name: 'a 5-min loop: 10 quiet periods are', quiet: 10, kind: 'healed' },
  ])('without the dashboard the quiet proof covers the loop rhythm: $name', ({ quiet, kind }) => {
    const values = [5, 5, ...Array.from({ length: quiet + 1 }, () => 0)];
    const a = rollback({ settledAt: NOW - (quiet + 1) * MIN });
    const obs = observation({
      restarts: series(values),
      subtasks: { available: false, observedAt: NOW, reason: 'dashboard-unavailable' },
    });
    expect(verifyAction(a, obs, p, NOW, 5 * MIN).kind).toBe(kind);
  });

  it('a force-stop is done when the application is READY (no snapshot taken)', () => {
    const out = verifyAction(
      { intentId: 'i', action: { type: 'force-stop' }, startedAt: NOW - MIN },
      observation({ status: 'READY' }),
      p,
      NOW,
    );
    expect(out).toMatchObject({ kind: 'healed', via: 'stopped' });
  });
});
