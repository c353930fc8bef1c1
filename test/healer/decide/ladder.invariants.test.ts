import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../src/healer/anomaly.js';
import { decide } from '../../../src/healer/decide/ladder.js';
import { openIncident } from '../../../src/healer/incident.js';
import { type HealerPhase, initialAppState } from '../../../src/healer/state.js';
import { classification, deploy, MIN, NOW, observation, policy } from '../fixtures.js';

const LOOP: Anomaly = {
  kind: 'restart-loop',
  metric: 'fullRestarts',
  rule: 'fast',
  restarts: 4,
  periods: 3,
  windowStart: NOW - 5 * MIN,
  firstRestartAt: NOW - 3 * MIN,
  lastRestartAt: NOW - MIN,
  intervalMs: 40_000,
};

// Exhaustive over a small domain: every combination must respect the safety invariants.
const verdicts = ['user', 'system', 'unknown'] as const;
const modes = ['act', 'dry-run'] as const;
const looping = [1, 3, 10];
const phases: HealerPhase[] = ['watching', 'verifying', 'healed', 'failed', 'gave-up'];
const changes = [true, false];
const statuses = ['RUNNING', 'MAINTENANCE', 'UPDATING'];
const cases = verdicts.flatMap((verdict) =>
  modes.flatMap((mode) =>
    looping.flatMap((n) =>
      phases.flatMap((phase) =>
        changes.flatMap((change) => statuses.map((status) => ({ verdict, mode, n, phase, change, status }))),
      ),
    ),
  ),
);

describe(`ladder safety invariants (${cases.length} combinations)`, () => {
  const run = (c: (typeof cases)[number]) =>
    decide({
      obs: observation({ status: c.status, operations: c.change ? [deploy(NOW - 8 * MIN)] : [] }),
      anomalies: [LOOP],
      classification: classification(c.verdict),
      state: {
        ...initialAppState(NOW - 3 * MIN),
        phase: c.phase,
        incident: openIncident('orders', 'restart-loop', NOW - 3 * MIN, NOW - 3 * MIN),
      },
      fleet: { scope: 's', appsTotal: 20, appsLooping: c.n },
      actionsInLastHour: 0,
      healingEnabled: true,
      policy: policy({ mode: c.mode }),
      now: NOW,
    });

  it('never acts in dry-run', () => {
    expect(cases.filter((c) => c.mode === 'dry-run' && run(c).kind === 'act')).toEqual([]);
  });
  it('never acts during a fleet-wide event', () => {
    expect(cases.filter((c) => c.n >= 10 && run(c).kind === 'act')).toEqual([]);
  });
  it('never rolls back on a system or unknown verdict', () => {
    expect(
      cases.filter(
        (c) => c.verdict !== 'user' && (run(c) as { action?: { type: string } }).action?.type === 'rollback',
      ),
    ).toEqual([]);
  });
  it('never rolls back without a recent change', () => {
    expect(
      cases.filter((c) => !c.change && (run(c) as { action?: { type: string } }).action?.type === 'rollback'),
    ).toEqual([]);
  });
  it('never acts while the application is in maintenance', () => {
    expect(cases.filter((c) => c.status === 'MAINTENANCE' && run(c).kind === 'act')).toEqual([]);
  });
  it('never acts while an action is in flight or after giving up', () => {
    expect(
      cases.filter((c) => (c.phase === 'verifying' || c.phase === 'gave-up') && run(c).kind === 'act'),
    ).toEqual([]);
  });
});
