import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../src/healer/anomaly.js';
import { REASONS } from '../../../src/healer/decide/decision.js';
import { type DecideInput, decide } from '../../../src/healer/decide/ladder.js';
import { openIncident } from '../../../src/healer/incident.js';
import { initialAppState } from '../../../src/healer/state.js';
import { classification, deploy, MIN, NOW, observation, policy } from '../fixtures.js';

/** A loop that started 2 minutes ago. */
const LOOP: Anomaly = {
  kind: 'restart-loop',
  metric: 'fullRestarts',
  rule: 'fast',
  restarts: 3,
  periods: 2,
  windowStart: NOW - 5 * MIN,
  firstRestartAt: NOW - 2 * MIN,
  lastRestartAt: NOW - MIN,
  intervalMs: 40_000,
};
const STUCK: Anomaly = {
  kind: 'stuck-operation',
  status: 'UPDATING',
  since: NOW - 25 * MIN,
  forMs: 25 * MIN,
};

function input(patch: Partial<DecideInput> = {}): DecideInput {
  return {
    obs: observation(),
    anomalies: [LOOP],
    classification: classification('user'),
    state: {
      ...initialAppState(NOW - 2 * MIN),
      incident: openIncident('orders', 'restart-loop', NOW - 2 * MIN, NOW - 2 * MIN),
    },
    fleet: { scope: '123456789012/us-east-1', appsTotal: 40, appsLooping: 1 },
    actionsInLastHour: 0,
    healingEnabled: true,
    policy: policy(),
    now: NOW,
    ...patch,
  };
}

const withIncident = (
  loopSince: number,
  actions: { type: 'rollback' | 'force-stop'; at: number; outcome?: 'failed' }[] = [],
) => ({
  ...initialAppState(loopSince),
  incident: { ...openIncident('orders', 'restart-loop', loopSince, loopSince), actions },
});

const LADDER: { name: string; patch: Partial<DecideInput>; kind: string; reason: string }[] = [
  { name: 'nothing detected', patch: { anomalies: [] }, kind: 'ignore', reason: 'no-anomaly' },
  {
    name: 'maintenance',
    patch: { anomalies: [{ kind: 'maintenance', since: NOW - MIN, suppressedRestarts: 3 }] },
    kind: 'ignore',
    reason: 'maintenance',
  },
  {
    name: 'unknown metric',
    patch: { anomalies: [{ kind: 'restart-metric-unknown', reason: 'no-series', missingPeriods: 5 }] },
    kind: 'ignore',
    reason: 'restart-metric-unknown',
  },
  {
    name: 'one or two restarts: look again sooner',
    patch: {
      anomalies: [{ kind: 'restarts-below-threshold', metric: 'fullRestarts', restarts: 2, periods: 2 }],
    },
    kind: 'check',
    reason: 'restarts-below-threshold',
  },
  { name: 'bad deploy, user verdict', patch: {}, kind: 'act', reason: 'bad-deploy-rollback' },
  {
    name: 'action in flight',
    patch: { state: { ...initialAppState(NOW), phase: 'verifying' } },
    kind: 'wait',
    reason: 'action-in-flight',
  },
  {
    name: 'in cooldown',
    patch: { state: { ...initialAppState(NOW), cooldownUntil: NOW + 1 } },
    kind: 'wait',
    reason: 'cooldown',
  },
  {
    name: 'gave up on this incident',
    patch: { state: { ...initialAppState(NOW), phase: 'gave-up' } },
    kind: 'record',
    reason: 'gave-up',
  },
  {
    name: 'target locked by a rebalance',
    patch: { obs: observation({ lock: { kind: 'rebalance', holder: 'x', since: NOW - MIN } }) },
    kind: 'wait',
    reason: 'target-locked',
  },
  {
    name: 'fleet-wide event',
    patch: { fleet: { scope: 's', appsTotal: 20, appsLooping: 10 } },
    kind: 'page',
    reason: 'fleet-wide-event',
  },
  {
    name: 'a bad deploy while many apps of the scope restart at once (not yet loops)',
    patch: { fleet: { scope: 's', appsTotal: 20, appsLooping: 1, appsRestarting: 6 } },
    kind: 'check',
    reason: 'fleet-wide-event-forming',
  },

  {
    name: 'healing disabled in config',
    patch: { healingEnabled: false },
    kind: 'record',
    reason: 'healing-disabled-config',
  },
  {
    name: 'opt-out tag',
    patch: { obs: observation({ tags: { 'streamctl:healing': 'off' } }) },
    kind: 'record',
    reason: 'healing-disabled-tag',
  },
  { name: 'dry-run', patch: { policy: policy({ mode: 'dry-run' }) }, kind: 'record', reason: 'dry-run' },
  {
    name: 'outside allowed hours',
    patch: { policy: policy({ allowedHours: { start: '08:00', end: '18:00' } }) },
    kind: 'record',
    reason: 'outside-allowed-hours',
  },
  { name: 'budget spent', patch: { actionsInLastHour: 5 }, kind: 'page', reason: 'action-budget-exhausted' },
  {
    name: 'no snapshot: force-stop',
    patch: { obs: observation({ snapshots: { count: 0 } }) },
    kind: 'act',
    reason: 'rollback-impossible-force-stop',
  },
  {
    name: 'snapshots not observed yet',
    patch: { obs: observation({ snapshots: undefined }) },
    kind: 'check',
    reason: 'evidence-incomplete',
  },
  {
    name: 'rollback did not heal: force-stop',
    patch: {
      state: {
        ...withIncident(NOW - 10 * MIN, [{ type: 'rollback', at: NOW - 8 * MIN, outcome: 'failed' }]),
        phase: 'failed',
      },
    },
    kind: 'act',
    reason: 'rollback-did-not-heal-force-stop',
  },
  {
    name: 'force-stop did not work either: give up',
    patch: {
      state: {
        ...withIncident(NOW - 10 * MIN, [
          { type: 'rollback', at: NOW - 8 * MIN },
          { type: 'force-stop', at: NOW - 4 * MIN, outcome: 'failed' },
        ]),
        phase: 'failed',
      },
    },
    kind: 'page',
    reason: 'force-stop-impossible',
  },
  {
    name: 'user fault, no recent change',
    patch: { obs: observation({ operations: [] }) },
    kind: 'page',
    reason: 'user-fault-no-recent-change',
  },
  {
    name: 'IAM refused, no recent change',
    patch: {
      obs: observation({ operations: [] }),
      classification: classification('user', { subtype: 'bad-config-auth' }),
    },
    kind: 'page',
    reason: 'config-changed-outside-lifecycle',
  },
  {
    name: 'a known IAM change before the loop, no recent change',
    patch: {
      obs: observation({
        operations: [],
        externalChanges: [{ at: NOW - 5 * MIN, kind: 'iam', detail: 'policy detached' }],
      }),
    },
    kind: 'page',
    reason: 'config-changed-outside-lifecycle',
  },
  {
    name: 'system fault, young loop',
    patch: { classification: classification('system') },
    kind: 'check',
    reason: 'system-fault-flink-restarting',
  },
  {
    name: 'unknown verdict',
    patch: { classification: classification('unknown') },
    kind: 'page',
    reason: 'verdict-unknown',
  },
  {
    name: 'low confidence counts as unknown',
    patch: { classification: classification('user', { confidence: 0.59 }) },
    kind: 'page',
    reason: 'verdict-unknown',
  },
  {
    name: 'no failure text yet',
    patch: { classification: undefined },
    kind: 'page',
    reason: 'verdict-unknown',
  },
  {
    name: 'self-managed bad deploy',
    patch: { obs: { ...observation(), app: { ...observation().app, kind: 'self-managed' } } },
    kind: 'act',
    reason: 'self-managed-redeploy',
  },
  {
    name: 'stuck UPDATING',
    patch: { anomalies: [STUCK], obs: observation({ status: 'UPDATING' }) },
    kind: 'act',
    reason: 'stuck-operation-rollback',
  },
  {
    name: 'stuck without snapshot',
    patch: { anomalies: [STUCK], obs: observation({ status: 'UPDATING', snapshots: { count: 0 } }) },
    kind: 'page',
    reason: 'stuck-rollback-impossible',
  },
  {
    name: 'user loop after a change, but it looped before the change too',
    patch: { anomalies: [{ ...LOOP, loopedBeforeReset: true }] },
    kind: 'page',
    reason: 'loop-predates-change',
  },
  {
    name: 'failed operation, not rolled back',
    patch: {
      anomalies: [
        {
          kind: 'failed-operation',
          operation: deploy(NOW - MIN, { status: 'FAILED' }),
          systemRollback: 'none',
        },
      ],
    },
    kind: 'page',
    reason: 'operation-failed',
  },
  {
    name: 'failed operation, its system rollback failed',
    patch: {
      anomalies: [
        {
          kind: 'failed-operation',
          operation: deploy(NOW - MIN, { status: 'FAILED' }),
          systemRollback: 'failed',
        },
      ],
    },
    kind: 'page',
    reason: 'operation-failed',
  },
  {
    name: 'failed operation, MSF system rollback running',
    patch: {
      anomalies: [
        {
          kind: 'failed-operation',
          operation: deploy(NOW - MIN, { status: 'FAILED' }),
          systemRollback: 'in-progress',
        },
      ],
    },
    kind: 'wait',
    reason: 'system-rollback-in-progress',
  },
  {
    name: 'failed operation MSF already rolled back: record, no page',
    patch: {
      anomalies: [
        {
          kind: 'failed-operation',
          operation: deploy(NOW - MIN, { status: 'FAILED' }),
          systemRollback: 'done',
        },
      ],
    },
    kind: 'record',
    reason: 'system-rollback-done',
  },
  {
    name: 'failing subtasks',
    patch: {
      anomalies: [
        { kind: 'subtasks-failing', afterOperation: deploy(NOW - MIN), failing: 1, canceled: 3, total: 4 },
      ],
    },
    kind: 'page',
    reason: 'subtasks-failing',
  },
  {
    name: 'checkpoint stall',
    patch: {
      anomalies: [
        { kind: 'checkpoint-stall', lastCompletedAt: NOW - 40 * MIN, forMs: 40 * MIN, thresholdMs: 10 * MIN },
      ],
    },
    kind: 'page',
    reason: 'checkpoint-stall',
  },
  {
    name: 'force-stop impossible in this status',
    patch: { obs: observation({ snapshots: { count: 0 }, status: 'ROLLING_BACK' }) },
    kind: 'page',
    reason: 'force-stop-impossible',
  },
];

describe('decide: the ladder, one named reason per guard and rung', () => {
  it.each(LADDER)('$name → $kind [$reason]', ({ patch, kind, reason }) => {
    const d = decide(input(patch));
    expect({ kind: d.kind, reason: d.reason }).toEqual({ kind, reason });
  });

  it('covers every reason code: this table plus the boundary tests below', () => {
    const covered = new Set([
      ...LADDER.map((c) => c.reason),
      'cooldown',
      'system-fault-persistent',
      'user-loop-persists-force-stop',
    ]);
    expect(REASONS.filter((r) => !covered.has(r))).toEqual([]);
  });
});

describe('decide: boundaries (threshold − 1 ms and threshold)', () => {
  it.each([
    {
      name: 'cooldown ends at cooldownUntil',
      state: { ...initialAppState(NOW), cooldownUntil: NOW },
      reason: 'bad-deploy-rollback',
    },
    {
      name: 'cooldown 1 ms before its end',
      state: { ...initialAppState(NOW), cooldownUntil: NOW + 1 },
      reason: 'cooldown',
    },
    {
      name: 'system loop at systemLoopPageAfter − 1 ms',
      state: withIncident(NOW - 15 * MIN + 1),
      cls: 'system',
      reason: 'system-fault-flink-restarting',
    },
    {
      name: 'system loop at systemLoopPageAfter',
      state: withIncident(NOW - 15 * MIN),
      cls: 'system',
      reason: 'system-fault-persistent',
    },
    {
      name: 'user loop, no change, 2 h old: paged, never stopped by default',
      state: withIncident(NOW - 120 * MIN),
      noChange: true,
      reason: 'user-fault-no-recent-change',
    },
    {
      name: 'opted in: user loop, no change, at userLoopForceStopAfter − 1 ms',
      state: withIncident(NOW - 10 * MIN + 1),
      noChange: true,
      optIn: true,
      reason: 'user-fault-no-recent-change',
    },
    {
      name: 'opted in: user loop, no change, at userLoopForceStopAfter',
      state: withIncident(NOW - 10 * MIN),
      noChange: true,
      optIn: true,
      reason: 'user-loop-persists-force-stop',
    },
  ] as const)('$name → $reason', (c) => {
    const d = decide(
      input({
        state: c.state,
        ...('cls' in c && c.cls ? { classification: classification(c.cls) } : {}),
        ...('noChange' in c ? { obs: observation({ operations: [] }) } : {}),
        ...('optIn' in c ? { policy: policy({ forceStopUnchangedLoops: true }) } : {}),
      }),
    );
    expect(d.reason).toBe(c.reason);
  });

  it.each([
    { name: 'budget at max − 1', used: 4, reason: 'bad-deploy-rollback' },
    { name: 'budget at max', used: 5, reason: 'action-budget-exhausted' },
  ])('$name → $reason', ({ used, reason }) => {
    expect(decide(input({ actionsInLastHour: used })).reason).toBe(reason);
  });

  it.each([
    {
      name: 'change ended recentChangeWindow − 1 ms ago',
      end: NOW - 60 * MIN + 1,
      reason: 'bad-deploy-rollback',
    },
    {
      name: 'change ended exactly recentChangeWindow ago',
      end: NOW - 60 * MIN,
      reason: 'user-fault-no-recent-change',
    },
  ])('$name → $reason', ({ end, reason }) => {
    const state = withIncident(NOW - 2 * MIN);
    expect(decide(input({ obs: observation({ operations: [deploy(end)] }), state, now: NOW })).reason).toBe(
      reason,
    );
  });

  it('does not blame a change made after the loop had started (a fix attempt)', () => {
    const state = withIncident(NOW - 5 * MIN);
    expect(decide(input({ obs: observation({ operations: [deploy(NOW - 2 * MIN)] }), state })).reason).toBe(
      'user-fault-no-recent-change',
    );
  });

  it('does not roll back a second time in the same incident (no ping-pong)', () => {
    const state = withIncident(NOW - 10 * MIN, [{ type: 'rollback', at: NOW - 40 * MIN }]);
    expect(decide(input({ state })).reason).toBe('rollback-impossible-force-stop');
  });

  it.each([
    { name: 'minApps − 1 looping', looping: 2, total: 5, reason: 'bad-deploy-rollback' },
    { name: 'minApps looping, share ≥ 20 %', looping: 3, total: 15, reason: 'fleet-wide-event' },
    { name: 'minApps looping, share below 20 %', looping: 3, total: 16, reason: 'bad-deploy-rollback' },
    { name: 'maxApps − 1 in a big fleet', looping: 9, total: 5000, reason: 'bad-deploy-rollback' },
    { name: 'maxApps in a big fleet', looping: 10, total: 5000, reason: 'fleet-wide-event' },
  ])('fleet breaker: $name → $reason', ({ looping, total, reason }) => {
    expect(decide(input({ fleet: { scope: 's', appsTotal: total, appsLooping: looping } })).reason).toBe(
      reason,
    );
  });

  it.each([
    { name: '07:59:59.999 UTC', at: Date.UTC(2026, 10, 23, 7, 59, 59, 999), reason: 'outside-allowed-hours' },
    { name: '08:00 UTC', at: Date.UTC(2026, 10, 23, 8, 0), reason: 'bad-deploy-rollback' },
    { name: '17:59 UTC', at: Date.UTC(2026, 10, 23, 17, 59), reason: 'bad-deploy-rollback' },
    { name: '18:00 UTC', at: Date.UTC(2026, 10, 23, 18, 0), reason: 'outside-allowed-hours' },
  ])('allowed hours 08:00–18:00: $name → $reason', ({ at, reason }) => {
    const p = policy({ allowedHours: { start: '08:00', end: '18:00', timezone: 'UTC' } });
    const obs = observation({ operations: [deploy(at - 10 * MIN)] });
    const state = withIncident(at - 2 * MIN);
    expect(decide(input({ policy: p, now: at, obs, state })).reason).toBe(reason);
  });
});

describe('decide: what the decision carries', () => {
  it('a rollback names the current version (ConcurrentModificationException otherwise)', () => {
    expect(decide(input())).toMatchObject({ kind: 'act', action: { type: 'rollback', currentVersionId: 8 } });
  });

  it('a force-stop says no snapshot is taken and offers the restart options', () => {
    const d = decide(input({ obs: observation({ snapshots: { count: 0 } }) }));
    if (d.kind !== 'act') throw new Error('expected act');
    expect(d.diagnosis.summary).toMatch(/Force=true: no snapshot is taken/);
    expect(d.thenPage).toBe('critical');
    expect(d.diagnosis.restartOptions?.map((o) => o.restoreType)).toContain('SKIP_RESTORE_FROM_SNAPSHOT');
  });

  it('a record keeps the action it withheld', () => {
    expect(decide(input({ policy: policy({ mode: 'dry-run' }) }))).toMatchObject({
      kind: 'record',
      reason: 'dry-run',
      proposed: { kind: 'act', action: { type: 'rollback' } },
    });
  });
});
