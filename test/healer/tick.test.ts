import { describe, expect, it } from 'vitest';
import type { ActionResult } from '../../src/healer/act/port.js';
import type { FailureClassifier } from '../../src/healer/classifier.js';
import type { AppObservation } from '../../src/healer/observation.js';
import { initialFleetState } from '../../src/healer/state.js';
import { MemoryJournal } from '../../src/services/healer/journal/memory.js';
import { type FleetObserver, runTick, type TickDeps } from '../../src/services/healer/tick.js';
import { FakeHealerActions } from '../fakes/healer-act/fake.js';
import { classification, MIN, NOW, observation, policy, series } from './fixtures.js';

const LOOPING = series([0, 0, 0, 0, 0, 1, 2, 3]);
const QUIET = series([0, 0, 0, 0, 0, 0, 0, 0]);

/** A hand-written observer over fixed observations that records what was asked. */
class FixedObserver implements FleetObserver {
  readonly observed: (readonly string[] | 'all')[] = [];
  readonly enriched: string[][] = [];
  constructor(private readonly apps: AppObservation[]) {}
  async observe(_now: number, only?: readonly string[]) {
    this.observed.push(only ?? 'all');
    const base = this.apps.filter((a) => !only || only.includes(a.app.name));
    // The base tier has no enrichment.
    return base.map(({ operations, snapshots, failures, subtasks, ...o }) => o);
  }
  async enrich(obs: AppObservation[]) {
    this.enriched.push(obs.map((o) => o.app.name));
    return obs.map((o) => this.apps.find((a) => a.app.name === o.app.name)!);
  }
}

/** Journal + actions sharing one log, to check the order intent → call → outcome. */
function deps(
  apps: AppObservation[],
  script: Partial<Record<'rollback' | 'force-stop', ActionResult[]>> = {},
) {
  const log: string[] = [];
  const journal = new MemoryJournal();
  const actions = new FakeHealerActions(script);
  const j = journal as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const m of ['recordIntent', 'recordOutcome'] as const) {
    const orig = j[m]!.bind(journal);
    j[m] = async (...a: unknown[]) => {
      log.push(m === 'recordIntent' ? 'intent' : `outcome:${(a[0] as { status: string }).status}`);
      return orig(...a);
    };
  }
  const rollback = actions.rollback.bind(actions);
  actions.rollback = async (...a) => {
    log.push('call:rollback');
    return rollback(...a);
  };
  const classifier: FailureClassifier = () => classification('user');
  const observer = new FixedObserver(apps);
  const d: TickDeps = {
    observer,
    actions,
    journal,
    classifier,
    policy: policy(),
    healingEnabled: () => true,
    now: () => NOW,
  };
  return { d, log, journal, actions, observer };
}

const app = (name: string, restarts = QUIET, patch: Partial<AppObservation> = {}) => {
  const o = observation({
    restarts,
    failures: [{ at: NOW - 3 * MIN, text: 'java.lang.NullPointerException', source: 'exceptions' }],
    ...patch,
  });
  return { ...o, app: { ...o.app, name } };
};

describe('runTick', () => {
  it('journals the intent before the call and the outcome after it', async () => {
    const { d, log, journal } = deps([app('orders', LOOPING)]);
    const { state, report } = await runTick(d, initialFleetState(), NOW);
    expect(log).toEqual(['intent', 'call:rollback', 'outcome:accepted']);
    expect(report.apps[0]?.decision).toMatchObject({ kind: 'act', reason: 'bad-deploy-rollback' });
    expect(state.apps.orders?.phase).toBe('verifying');
    expect(state.actionTimes).toEqual([NOW]);
    expect((await journal.decisions({ app: 'orders' }))[0]?.evidence).toMatchObject({
      status: 'RUNNING',
      versionId: 8,
    });
  });

  it('a rejected call leaves the app failed (next step: force-stop), journaled as rejected', async () => {
    const { d, log } = deps([app('orders', LOOPING)], {
      rollback: [
        {
          ok: false,
          error: { code: 'ConcurrentModificationException', message: 'stale version', transient: false },
        },
      ],
    });
    const { state } = await runTick(d, initialFleetState(), NOW);
    expect(log).toEqual(['intent', 'call:rollback', 'outcome:rejected']);
    expect(state.apps.orders?.phase).toBe('failed');
  });

  it('enriches only apps that need it and asks for a fast re-check of suspects', async () => {
    const suspect = app('payments', series([0, 0, 0, 0, 0, 0, 1, 1]));
    const { d, observer } = deps([app('quiet-1'), app('quiet-2'), suspect]);
    const { report } = await runTick(d, initialFleetState(), NOW);
    expect(observer.enriched).toEqual([['payments']]);
    const p = report.apps.find((r) => r.app === 'payments');
    expect(p?.decision).toEqual({ kind: 'check', afterMs: 15_000, reason: 'restarts-below-threshold' });
    expect(p?.nextCheckAt).toBe(NOW + 15_000);
    await runTick(d, initialFleetState(), NOW + 15_000, ['payments']);
    expect(observer.observed).toEqual(['all', ['payments']]);
  });

  it('sends one notification per incident decision, not one per tick', async () => {
    const { d, actions } = deps([app('orders', LOOPING, { operations: [] })]);
    let s = initialFleetState();
    for (let i = 0; i < 3; i++) s = (await runTick(d, s, NOW + i * 15_000)).state;
    expect(actions.notifications.map((n) => `${n.event}:${n.reason}`)).toEqual([
      'trigger:user-fault-no-recent-change',
    ]);
    expect(actions.calls).toEqual([]);
  });

  it('in dry-run, records the rollback and tells the owner it was not done', async () => {
    const { d, actions, journal } = deps([app('orders', LOOPING)]);
    const { report } = await runTick({ ...d, policy: policy({ mode: 'dry-run' }) }, initialFleetState(), NOW);
    expect(report.apps[0]?.decision).toMatchObject({
      kind: 'record',
      reason: 'dry-run',
      proposed: { kind: 'act', action: { type: 'rollback' } },
    });
    expect(actions.calls).toEqual([]);
    expect(await journal.unfinishedActions()).toEqual([]);
    expect(actions.notifications).toEqual([
      expect.objectContaining({
        event: 'trigger',
        severity: 'critical',
        reason: 'dry-run',
        summary: expect.stringMatching(/^Not done \(dry-run\): .*rolling back/),
      }),
    ]);
  });

  it('trips the fleet breaker from the whole fleet and pages once for the account/region', async () => {
    const apps = ['a', 'b', 'c', 'd'].map((n) => app(n, LOOPING));
    const { d, actions } = deps([...apps, app('e'), app('f'), app('g')]);
    const { report } = await runTick(d, initialFleetState(), NOW);
    expect(new Set(report.apps.filter((r) => r.anomalies.length).map((r) => r.decision.reason))).toEqual(
      new Set(['fleet-wide-event']),
    );
    expect(actions.calls).toEqual([]);
    // One page for the account/region, not one per looping app.
    expect(actions.notifications.map((n) => `${n.event}:${n.incidentKey}`)).toEqual([
      `trigger:fleet/123456789012/us-east-1/${new Date(NOW).toISOString()}`,
    ]);
  });
});
