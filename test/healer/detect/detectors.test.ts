import { describe, expect, it } from 'vitest';
import {
  checkpointStallThreshold,
  detectCheckpointStall,
} from '../../../src/healer/detect/checkpoint-stall.js';
import { detectFailedOperation } from '../../../src/healer/detect/failed-operation.js';
import { detectAll } from '../../../src/healer/detect/index.js';
import { detectStuckUpdate } from '../../../src/healer/detect/stuck-update.js';
import { detectSubtasksAfterOperation } from '../../../src/healer/detect/subtasks-after-operation.js';
import { type AppObservation, restartMetricFor } from '../../../src/healer/observation.js';
import { deploy, MIN, NOW, observation, policy } from '../fixtures.js';

const p = policy(); // stuckTimeout 20m, checkpoint stall max(10m, 10 × interval), recentChangeWindow 60m, subtaskCheckWindow 15m
const iso = (t: number) => new Date(t).toISOString();

describe('restartMetricFor', () => {
  it.each([
    ['FLINK-1_15', 'fullRestarts'],
    ['FLINK-1_20', 'fullRestarts'],
    ['FLINK-2_1', 'fullRestarts'],
    ['FLINK-2_2', 'numRestarts'],
    ['FLINK-3_0', 'numRestarts'],
    [undefined, 'fullRestarts'],
  ])('%s → %s', (runtime, metric) => {
    expect(restartMetricFor(runtime)).toBe(metric);
  });
});

describe('detectStuckUpdate (timeout 20 min)', () => {
  const inProgress = (start: number) => [
    { operationId: 'u', operation: 'UpdateApplication', status: 'IN_PROGRESS', startTime: iso(start) },
  ];
  it.each([
    { name: 'UPDATING for timeout − 1 ms', status: 'UPDATING', start: NOW - 20 * MIN + 1, stuck: false },
    { name: 'UPDATING for exactly the timeout', status: 'UPDATING', start: NOW - 20 * MIN, stuck: true },
    { name: 'AUTOSCALING past the timeout', status: 'AUTOSCALING', start: NOW - 30 * MIN, stuck: true },
    { name: 'RUNNING is never stuck', status: 'RUNNING', start: NOW - 30 * MIN, stuck: false },
  ])('$name → stuck=$stuck', ({ status, start, stuck }) => {
    const out = detectStuckUpdate(observation({ status, operations: inProgress(start) }), {
      policy: p,
      now: NOW,
    });
    expect(out.length > 0).toBe(stuck);
  });

  it('uses the status-since kept in the state when no operation start is known', () => {
    const obs = observation({ status: 'UPDATING', operations: [] });
    expect(detectStuckUpdate(obs, { policy: p, now: NOW, statusSince: NOW - 20 * MIN })).toEqual([
      { kind: 'stuck-operation', status: 'UPDATING', since: NOW - 20 * MIN, forMs: 20 * MIN },
    ]);
    expect(detectStuckUpdate(obs, { policy: p, now: NOW })).toEqual([]);
  });
});

describe('detectFailedOperation', () => {
  it.each([
    {
      name: 'last operation FAILED recently',
      ops: [deploy(NOW - 5 * MIN, { status: 'FAILED' })],
      fires: true,
    },
    {
      name: 'FAILED at recentChangeWindow − 1 ms',
      ops: [deploy(NOW - 60 * MIN + 1, { status: 'FAILED' })],
      fires: true,
    },
    {
      name: 'FAILED exactly recentChangeWindow ago',
      ops: [deploy(NOW - 60 * MIN, { status: 'FAILED' })],
      fires: false,
    },
    {
      name: 'a later successful operation',
      ops: [deploy(NOW - 9 * MIN, { status: 'FAILED' }), deploy(NOW - 2 * MIN, { operationId: 'u2' })],
      fires: false,
    },
    {
      name: 'the system rollback it triggered is not a newer operation',
      ops: [
        deploy(NOW - 5 * MIN, { status: 'FAILED', rollbackOperationId: 'rb' }),
        {
          operationId: 'rb',
          operation: 'RollbackApplication',
          status: 'SUCCESSFUL',
          startTime: iso(NOW - 5 * MIN),
        },
      ],
      fires: true,
    },
  ])('$name → $fires', ({ ops, fires }) => {
    expect(detectFailedOperation(observation({ operations: ops }), { policy: p, now: NOW }).length > 0).toBe(
      fires,
    );
  });
});

describe('detectSubtasksAfterOperation (window 15 min after the operation)', () => {
  const job = (subtasks: Record<string, number>, state = 'RUNNING') => ({
    id: 'j',
    name: 'j',
    state,
    subtasks,
    vertices: [],
  });
  it.each<{ name: string; subtasks: Record<string, number>; at: number; fires: boolean }>([
    { name: 'all RUNNING', subtasks: { RUNNING: 4 }, at: NOW, fires: false },
    {
      name: 'FAILED and CANCELED subtasks',
      subtasks: { RUNNING: 1, FAILED: 1, CANCELED: 2 },
      at: NOW,
      fires: true,
    },
    {
      name: 'polled at window − 1 ms after the end',
      subtasks: { CANCELED: 4 },
      at: NOW - 5 * MIN + 15 * MIN - 1,
      fires: true,
    },
    {
      name: 'polled just past the window',
      subtasks: { CANCELED: 4 },
      at: NOW - 5 * MIN + 15 * MIN + 1,
      fires: false,
    },
  ])('$name → $fires', ({ subtasks, at, fires }) => {
    const obs = observation({
      operations: [deploy(NOW - 5 * MIN)],
      subtasks: { available: true, observedAt: at, job: job(subtasks) },
    });
    expect(detectSubtasksAfterOperation(obs, { policy: p, now: at }).length > 0).toBe(fires);
  });

  it('reads nothing when the dashboard was unavailable', () => {
    const obs = observation({
      operations: [deploy(NOW - 5 * MIN)],
      subtasks: { available: false, observedAt: NOW, reason: 'dashboard-unavailable' },
    });
    expect(detectSubtasksAfterOperation(obs, { policy: p, now: NOW })).toEqual([]);
  });
});

describe('detectCheckpointStall: max(10 min, 10 × the checkpoint interval) by default', () => {
  const withInterval = (
    intervalMs: number | undefined,
    last: number,
    patch: Partial<AppObservation> = {},
  ) => {
    const o = observation({ lastCheckpointAt: last, ...patch });
    return { ...o, app: { ...o.app, ...(intervalMs ? { checkpointIntervalMs: intervalMs } : {}) } };
  };
  it.each([
    { name: 'interval unknown, 10 min − 1 ms', interval: undefined, last: NOW - 10 * MIN + 1, fires: false },
    { name: 'interval unknown, exactly 10 min', interval: undefined, last: NOW - 10 * MIN, fires: true },
    { name: 'interval 60 s: the 10 min floor applies', interval: MIN, last: NOW - 10 * MIN, fires: true },
    { name: 'interval 3 min, 30 min − 1 ms', interval: 3 * MIN, last: NOW - 30 * MIN + 1, fires: false },
    { name: 'interval 3 min, exactly 30 min', interval: 3 * MIN, last: NOW - 30 * MIN, fires: true },
  ])('$name → $fires', ({ interval, last, fires }) => {
    expect(detectCheckpointStall(withInterval(interval, last), { policy: p, now: NOW }).length > 0).toBe(
      fires,
    );
  });

  it('unknown is not a stall', () => {
    expect(detectCheckpointStall(observation(), { policy: p, now: NOW })).toEqual([]);
  });

  it.each([
    { name: 'the per-application setting wins', app: 45 * MIN, global: undefined, threshold: 45 * MIN },
    { name: 'then the global setting', app: undefined, global: '20m', threshold: 20 * MIN },
  ])('$name', ({ app, global, threshold }) => {
    const pol = policy(global ? { checkpointStallAfter: global } : {});
    const obs = withInterval(
      3 * MIN,
      NOW - 60 * MIN,
      app ? { healing: { checkpointStallAfterMs: app } } : {},
    );
    expect(checkpointStallThreshold(obs, pol)).toBe(threshold);
    expect(
      detectCheckpointStall({ ...obs, lastCheckpointAt: NOW - threshold + 1 }, { policy: pol, now: NOW }),
    ).toEqual([]);
  });

  it('measures from runningSince when no checkpoint ever completed', () => {
    const obs = observation({ lastCheckpointAt: null, runningSince: NOW - 11 * MIN });
    expect(detectCheckpointStall(obs, { policy: p, now: NOW })).toEqual([
      { kind: 'checkpoint-stall', lastCompletedAt: null, forMs: 11 * MIN, thresholdMs: 10 * MIN },
    ]);
  });
});

describe('detectAll', () => {
  it('returns nothing for a healthy application', () => {
    expect(detectAll(observation({ lastCheckpointAt: NOW - MIN }), { policy: p, now: NOW })).toEqual([]);
  });
});
