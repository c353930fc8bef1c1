import { describe, expect, it } from 'vitest';
import {
  checkPlanAgainstLive,
  type Interlock,
  interlockError,
} from '../../../src/services/rebalance-exec/interlocks.js';
import { observeMove, ProgressTracker } from '../../../src/services/rebalance-exec/progress.js';

const plan = {
  version: 1 as const,
  partitions: [
    { topic: 't', partition: 0, replicas: [4, 2, 3] },
    { topic: 't', partition: 1, replicas: [2, 3, 4] },
    { topic: 't', partition: 2, replicas: [3, 4, 2] },
    { topic: 'gone', partition: 0, replicas: [4, 1, 2] },
    { topic: 't', partition: 3, replicas: [9, 1, 2] },
  ],
};
const before = {
  version: 1 as const,
  partitions: [
    { topic: 't', partition: 0, replicas: [1, 2, 3] },
    { topic: 't', partition: 1, replicas: [2, 3, 1] },
    { topic: 't', partition: 2, replicas: [3, 1, 2] },
  ],
};
const live = new Map([
  ['t-0', [1, 2, 3]],
  ['t-1', [2, 1, 3]], // moved since the plan
  ['t-2', [3, 4, 2]], // already at target
  ['t-3', [1, 2, 3]],
]);

describe('the plan against the live cluster', () => {
  it('names every stale partition with its reason, skips those already in place', () => {
    const c = checkPlanAgainstLive(plan, before, live, new Set([1, 2, 3, 4]));
    expect(c.toChange).toEqual([{ topic: 't', partition: 0, current: [1, 2, 3], target: [4, 2, 3] }]);
    expect(c.alreadyInPlace).toEqual([{ topic: 't', partition: 2 }]);
    expect(c.stale.map((s) => [`${s.topic}-${s.partition}`, s.reason])).toEqual([
      ['t-1', 'moved-since-plan'],
      ['gone-0', 'partition-gone'],
      ['t-3', 'unknown-broker'],
    ]);
    const e = interlockError({ kind: 'stale-plan', partitions: c.stale });
    expect(e.exitCode).toBe(65);
    expect(e.message).toContain('t-1 is on [2,1,3], the plan assumed [2,3,1]');
    expect(e.message).toContain('gone-0 no longer exists');
  });

  it('without a rollback file the live assignment is the "before"', () => {
    const c = checkPlanAgainstLive(plan, undefined, live, new Set([1, 2, 3, 4, 9]));
    expect(c.stale.map((s) => s.reason)).toEqual(['partition-gone']);
    expect(c.toChange.map((x) => x.partition)).toEqual([0, 1, 3]);
  });

  it.each([
    [
      {
        kind: 'msk-rebalancing-active',
        clusterArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/x/1',
      } as const,
      /UpdateRebalancing \{Rebalancing:\{Status:"PAUSED"\}\}/,
    ],
    [
      {
        kind: 'foreign-reassignments',
        partitions: [
          { topic: 't', partition: 5, replicas: [1, 2], addingReplicas: [2], removingReplicas: [] },
        ],
      },
      /t-5/,
    ],
    [
      {
        kind: 'locked',
        holder: {
          target: 'kafka:prod',
          id: 'a1',
          pid: 42,
          host: 'h',
          owner: 'streamctl runbook add-brokers',
          acquiredAt: Date.UTC(2026, 0, 1),
        },
        store: '.streamctl/journal.db',
      } as const,
      /streamctl runbook add-brokers \(pid 42 on h, since 2026-01-01T00:00:00.000Z\) is acting on this cluster.*kafka:prod.*--force-unlock/,
    ],
  ] as Array<[Interlock, RegExp]>)('interlock %# is a refusal (exit 75) that explains itself', (i, re) => {
    const e = interlockError(i);
    expect(e.exitCode).toBe(75);
    expect(`${e.message} ${e.hint}`).toMatch(re);
  });
});

describe('move observation', () => {
  const move = { from: [1, 2, 3], replicas: [4, 2, 3], adding: [4] };
  const ongoing = (replicas: number[], adding: number[], removing: number[]) => ({
    topic: 't',
    partition: 0,
    replicas,
    addingReplicas: adding,
    removingReplicas: removing,
  });
  it.each([
    [
      'ongoing towards our target',
      { replicas: [4, 2, 3, 1], isr: [2, 3, 1] },
      ongoing([4, 2, 3, 1], [4], [1]),
      { kind: 'in-flight', caughtUp: false },
    ],
    [
      'ongoing, new replica in ISR',
      { replicas: [4, 2, 3, 1], isr: [2, 3, 1, 4] },
      ongoing([4, 2, 3, 1], [4], [1]),
      { kind: 'in-flight', caughtUp: true },
    ],
    ['at target', { replicas: [4, 2, 3], isr: [4, 2, 3] }, undefined, { kind: 'done' }],
    ['at source, not ongoing', { replicas: [1, 2, 3], isr: [1, 2, 3] }, undefined, { kind: 'not-started' }],
    [
      "finished, but this broker's metadata still shows old + new replicas",
      { replicas: [4, 2, 3, 1], isr: [4, 2, 3, 1] },
      undefined,
      { kind: 'settling' },
    ],
    ['target set in another order', { replicas: [2, 4, 3], isr: [2, 4, 3] }, undefined, { kind: 'done' }],
  ] as const)('%s', (_, l, o, want) => {
    expect(observeMove(move, l as never, o as never)).toEqual(want);
  });
  it('someone else moved it', () => {
    expect(observeMove(move, { replicas: [5, 2, 3], isr: [] }, undefined).kind).toBe('diverged');
    expect(observeMove(move, undefined, ongoing([5, 2, 3, 1], [5], [1])).kind).toBe('diverged');
    expect(observeMove(move, undefined, undefined).kind).toBe('diverged');
  });
});

describe('progress tracker', () => {
  it('measures the rate over the window', () => {
    const t = new ProgressTracker(30_000, 60_000);
    expect(t.record(0, 0, 0)).toBeNull();
    expect(t.record(10_000, 1_000_000, 0)).toBe(100_000);
  });
  it.each([
    [59_999, false],
    [60_000, true],
  ])('with no progress, stalled at %i ms: %s', (at, stalled) => {
    const t = new ProgressTracker(30_000, 60_000);
    t.record(0, 500, 1);
    t.record(at, 500, 1);
    expect(t.isStalled(at)).toBe(stalled);
  });
  it('a completed move resets the stall clock', () => {
    const t = new ProgressTracker(30_000, 60_000);
    t.record(0, 500, 1);
    t.record(50_000, 500, 2);
    expect(t.isStalled(100_000)).toBe(false);
    expect(t.isStalled(110_000)).toBe(true);
  });
});
