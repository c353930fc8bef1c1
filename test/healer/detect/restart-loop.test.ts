import { describe, expect, it } from 'vitest';
import { stableRunMs } from '../../../src/healer/detect/loop-rhythm.js';
import {
  assessRestarts,
  detectRestartLoop,
  restartsPerPeriod,
} from '../../../src/healer/detect/restart-loop.js';
import { MIN, NOW, observation, policy, series } from '../fixtures.js';

const p = policy();
const detect = (values: Array<number | undefined>, patch: Parameters<typeof observation>[0] = {}) =>
  detectRestartLoop(observation({ restarts: series(values), ...patch }), { policy: p, now: NOW });

describe('restartsPerPeriod (DIFF of the counter)', () => {
  it.each([
    { name: 'increments', values: [4, 5, 7], want: [undefined, 1, 2] },
    { name: 'a drop is a reset, not negative restarts', values: [9, 2, 3], want: [undefined, 2, 1] },
    { name: 'the first point has no predecessor: unknown', values: [5], want: [undefined] },
    {
      name: 'a gap is unknown; the next known point carries the whole gap',
      values: [1, undefined, 4],
      want: [undefined, undefined, 3],
    },
  ])('$name', ({ values, want }) => {
    expect(restartsPerPeriod(series(values)).map((x) => x.restarts)).toEqual(want);
  });

  it('marks resets and bridged diffs', () => {
    const out = restartsPerPeriod(series([3, undefined, 1]));
    expect(out[2]).toMatchObject({ restarts: 1, reset: true, bridged: true });
  });
});

describe('detectRestartLoop: default rule ≥ 3 restarts in ≤ 5 periods, in ≥ 2 distinct periods', () => {
  it.each([
    { name: 'quiet counter', values: [2, 2, 2, 2, 2, 2, 2], kind: undefined },
    { name: 'one restart (a blip)', values: [2, 2, 2, 3, 3, 3, 3], kind: 'restarts-below-threshold' },
    {
      name: 'two restarts (minRestarts − 1)',
      values: [2, 2, 2, 3, 3, 4, 4],
      kind: 'restarts-below-threshold',
    },
    {
      name: 'three restarts in two periods (minRestarts)',
      values: [2, 2, 2, 3, 3, 5, 5],
      kind: 'restart-loop',
    },
    {
      name: 'three restarts in one period (minPeriods − 1): a burst',
      values: [2, 2, 2, 2, 5, 5, 5],
      kind: 'restarts-below-threshold',
    },
    { name: 'once a minute for three minutes', values: [0, 0, 0, 0, 1, 2, 3], kind: 'restart-loop' },
    {
      name: 'restarts spread over 6 periods (one outside the window)',
      values: [0, 1, 1, 1, 1, 1, 2],
      kind: 'restarts-below-threshold',
    },
    { name: 'restarts spread over exactly 5 periods', values: [0, 0, 1, 1, 1, 2, 3], kind: 'restart-loop' },
    { name: 'a reset (update) then a loop', values: [7, 7, 0, 1, 2, 3, 3], kind: 'restart-loop' },
    { name: 'restarts before a reset do not count', values: [1, 2, 3, 4, 0, 0, 0], kind: undefined },
  ])('$name → $kind', ({ values, kind }) => {
    const out = detect(values);
    expect(out[0]?.kind).toBe(kind);
  });

  it('reports the loop with its window and first restart', () => {
    const [a] = detect([0, 0, 0, 0, 1, 2, 3]);
    expect(a).toEqual({
      kind: 'restart-loop',
      metric: 'fullRestarts',
      rule: 'fast',
      restarts: 3,
      periods: 3,
      windowStart: NOW - 5 * MIN,
      firstRestartAt: NOW - 3 * MIN,
      lastRestartAt: NOW - MIN,
      intervalMs: MIN,
    });
  });

  it('reads numRestarts on Flink 2.2 the same way', () => {
    const [a] = detectRestartLoop(
      observation({ restarts: series([0, 0, 0, 0, 1, 2, 3], { metric: 'numRestarts' }) }),
      { policy: p, now: NOW },
    );
    expect(a).toMatchObject({ kind: 'restart-loop', metric: 'numRestarts' });
  });
});

describe('missing datapoints are unknown, never healthy and never a loop by themselves', () => {
  it.each([
    {
      name: 'no series at all',
      restarts: undefined,
      want: { kind: 'restart-metric-unknown', reason: 'no-series' },
    },
    {
      name: 'gaps inside the window',
      restarts: series([0, 0, undefined, undefined, undefined, 0, 0]),
      want: { kind: 'restart-metric-unknown', reason: 'missing-datapoints' },
    },
  ])('$name', ({ restarts, want }) => {
    const out = detectRestartLoop({ ...observation(), restarts }, { policy: p, now: NOW });
    expect(out).toEqual([expect.objectContaining(want)]);
  });

  it('tolerates the newest periods not yet published (pendingPeriods = 2) but not a third', () => {
    // The observer reads windowPeriods + pendingPeriods + 1 periods (the first has no predecessor).
    expect(detect([0, 0, 0, 0, 0, 0, undefined, undefined])).toEqual([]);
    expect(detect([0, 0, 0, 0, 0, undefined, undefined, undefined])[0]?.kind).toBe('restart-metric-unknown');
  });

  it('counts restarts hidden in a gap once data returns (the counter is cumulative)', () => {
    const a = assessRestarts(series([0, 0, 0, 1, undefined, 3, 4]), p.loop);
    expect(a).toMatchObject({ state: 'loop', restarts: 4, periods: 3 });
  });
});

describe('maintenance suppresses the loop rule', () => {
  const loop = [0, 0, 0, 0, 1, 2, 3];
  it('while the status is MAINTENANCE', () => {
    expect(detect(loop, { status: 'MAINTENANCE' })[0]).toMatchObject({
      kind: 'maintenance',
      suppressedRestarts: 3,
    });
  });

  it.each([
    { name: 'a Maintenance operation ending inside the window', end: NOW - 2 * MIN, kind: 'maintenance' },
    { name: 'one ending exactly at the window start', end: NOW - 5 * MIN, kind: 'maintenance' },
    { name: 'one ending 1 ms before the window start', end: NOW - 5 * MIN - 1, kind: 'restart-loop' },
  ])('$name → $kind', ({ end, kind }) => {
    const maintenance = {
      operationId: 'm-1',
      operation: 'Maintenance',
      status: 'SUCCESSFUL',
      startTime: new Date(end - 30_000).toISOString(),
      endTime: new Date(end).toISOString(),
    };
    expect(detect(loop, { operations: [maintenance] })[0]?.kind).toBe(kind);
  });
});

describe('after a healer action settled, earlier restarts are not counted again', () => {
  it.each([
    { name: 'without countFrom the old loop still shows', countFrom: undefined, state: 'loop' },
    { name: 'with countFrom at the settle time it does not', countFrom: NOW - 2 * MIN, state: 'quiet' },
  ])('$name', ({ countFrom, state }) => {
    expect(assessRestarts(series([0, 1, 2, 3, 4, 4, 4]), p.loop, countFrom).state).toBe(state);
  });
});

/** The counter per period for restarts at the given minutes before NOW (one each), over `periods`. */
function restartsAt(minutesAgo: number[], periods = p.loop.lookbackPeriods) {
  const values: number[] = [];
  for (let k = periods; k >= 1; k--) values.push(minutesAgo.filter((m) => m >= k).length);
  return series(values);
}

describe('slow loops: restarts every few minutes with no stable run between them', () => {
  it('reads enough periods for three restarts maxInterval apart', () => {
    // (3 − 1) × 15 min + 1, plus 2 unpublished periods and one predecessor.
    expect(p.loop.lookbackPeriods).toBe(34);
  });

  it.each([
    { name: 'every 5 min, third restart just visible', at: [11, 6, 1], kind: 'restart-loop' },
    { name: 'every 4–5 min (jitter)', at: [10, 6, 1], kind: 'restart-loop' },
    { name: 'every 14 min (≤ maxInterval)', at: [29, 15, 1], kind: 'restart-loop' },
    {
      name: 'every 16 min (> maxInterval): isolated restarts',
      at: [33, 17, 1],
      kind: 'restarts-below-threshold',
    },
    { name: 'two restarts 5 min apart: never a loop', at: [6, 1], kind: 'restarts-below-threshold' },
    {
      name: 'a blip pair, then one 13 min later: a stable run between',
      at: [15, 14, 1],
      kind: 'restarts-below-threshold',
    },
    { name: 'three every 5 min, then a stable run of 11 min', at: [22, 17, 12], kind: undefined },
    {
      name: 'three every 5 min, stable for 10 min (≤ 2 intervals): still the loop',
      at: [20, 15, 10],
      kind: 'restart-loop',
    },
  ])('$name → $kind', ({ at, kind }) => {
    const out = detectRestartLoop(observation({ restarts: restartsAt(at) }), { policy: p, now: NOW });
    expect(out[0]?.kind).toBe(kind);
  });

  it('reports the rule, the span and the observed interval', () => {
    const [a] = detectRestartLoop(observation({ restarts: restartsAt([11, 6, 1]) }), { policy: p, now: NOW });
    expect(a).toMatchObject({
      kind: 'restart-loop',
      rule: 'slow',
      restarts: 3,
      periods: 3,
      firstRestartAt: NOW - 11 * MIN,
      lastRestartAt: NOW - MIN,
      intervalMs: 5 * MIN,
    });
  });

  it('does not chain restarts across a reset (an update started a new incarnation)', () => {
    // Restarts 11 and 6 min ago, the counter reset 4 min ago, one restart since.
    const values: number[] = [];
    for (let k = p.loop.lookbackPeriods; k >= 1; k--)
      values.push(k > 4 ? (k <= 11 ? 1 : 0) + (k <= 6 ? 1 : 0) : k === 1 ? 1 : 0);
    const out = detectRestartLoop(observation({ restarts: series(values) }), { policy: p, now: NOW });
    expect(out[0]?.kind).not.toBe('restart-loop');
  });

  it.each([
    { name: 'a loop before the reset (update) and after it', before: [11, 10, 9], loopedBeforeReset: true },
    { name: 'a burst that ended well before the reset', before: [20, 19.5, 19], loopedBeforeReset: false },
    { name: 'quiet before the reset', before: [], loopedBeforeReset: false },
  ])(
    'tells whether the job already looped before the latest reset: $name',
    ({ before, loopedBeforeReset }) => {
      // The counter resets 8 periods ago (an UpdateApplication); a loop every minute since 3 min ago.
      const values: number[] = [];
      for (let k = p.loop.lookbackPeriods; k >= 1; k--) {
        if (k > 8) values.push(before.filter((m) => m >= k).length + 10);
        else values.push([3, 2, 1].filter((m) => m >= k).length);
      }
      const [a] = detectRestartLoop(observation({ restarts: series(values) }), { policy: p, now: NOW });
      expect(a).toMatchObject({ kind: 'restart-loop' });
      expect(a?.kind === 'restart-loop' && (a.loopedBeforeReset ?? false)).toBe(loopedBeforeReset);
    },
  );

  it('is suppressed by maintenance overlapping its span', () => {
    const maintenance = {
      operationId: 'm-1',
      operation: 'Maintenance',
      status: 'SUCCESSFUL',
      startTime: new Date(NOW - 12 * MIN).toISOString(),
      endTime: new Date(NOW - 10 * MIN).toISOString(),
    };
    const obs = observation({ restarts: restartsAt([11, 6, 1]), operations: [maintenance] });
    expect(detectRestartLoop(obs, { policy: p, now: NOW })[0]?.kind).toBe('maintenance');
  });
});

describe('stableRunMs: how long a loop must stay quiet to be over', () => {
  it.each([
    { name: 'unknown interval: resolveAfterQuietPeriods', interval: undefined, want: 3 * MIN },
    { name: 'a fast loop (40 s): the floor', interval: 40_000, want: 3 * MIN },
    { name: 'a slow loop (5 min): 2 intervals', interval: 5 * MIN, want: 10 * MIN },
  ])('$name', ({ interval, want }) => {
    expect(stableRunMs(p, interval)).toBe(want);
  });
});
