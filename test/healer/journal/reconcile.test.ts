import { describe, expect, it } from 'vitest';
import { openIncident, resolveIncident } from '../../../src/healer/incident.js';
import { reconcileIntent } from '../../../src/healer/journal/reconcile.js';
import { onProbation, resumeFleetState } from '../../../src/healer/journal/resume.js';
import { MIN, NOW, policy } from '../fixtures.js';

const iso = (t: number) => new Date(t).toISOString();
const opts = { skewMs: 5_000, listingGraceMs: 60_000 };
const intent = { at: NOW, operation: 'RollbackApplication' };
const op = (operation: string, start: number) => ({
  operationId: `op-${start}`,
  operation,
  status: 'IN_PROGRESS',
  startTime: iso(start),
});

describe('reconcileIntent: did the action reach MSF before the crash?', () => {
  it.each([
    {
      name: 'a RollbackApplication started after the intent',
      ops: [op('RollbackApplication', NOW + 300)],
      now: NOW + MIN,
      kind: 'happened',
    },
    {
      name: 'one started within the skew before it (clock skew)',
      ops: [op('RollbackApplication', NOW - 5_000)],
      now: NOW + MIN,
      kind: 'happened',
    },
    {
      name: 'one started just before the skew: an older rollback',
      ops: [op('RollbackApplication', NOW - 5_001)],
      now: NOW + 2 * MIN,
      kind: 'not-happened',
    },
    {
      name: 'another operation type only',
      ops: [op('StopApplication', NOW + 300)],
      now: NOW + 2 * MIN,
      kind: 'not-happened',
    },
    { name: 'nothing yet, listing grace − 1 ms', ops: [], now: NOW + 60_000 - 1, kind: 'retry-later' },
    { name: 'nothing at the end of the listing grace', ops: [], now: NOW + 60_000, kind: 'not-happened' },
    { name: 'operations not listed (API down)', ops: undefined, now: NOW + 10 * MIN, kind: 'retry-later' },
  ])('$name → $kind', ({ ops, now, kind }) => {
    expect(reconcileIntent(intent, ops, now, opts).kind).toBe(kind);
  });
});

describe('resumeFleetState: the fleet state rebuilt from the journal after kill -9', () => {
  const p = policy();
  const incident = {
    ...openIncident('orders', 'restart-loop', NOW - 2 * MIN, NOW - 3 * MIN),
    actions: [{ type: 'rollback' as const, at: NOW }],
  };
  const history = (outcomes: { status: 'accepted'; operationId: string }[]) => ({
    id: '7',
    at: NOW,
    app: 'orders',
    action: { type: 'rollback' as const, currentVersionId: 8 },
    reason: 'bad-deploy-rollback',
    operation: 'RollbackApplication',
    outcomes: outcomes.map((o) => ({ intentId: '7', at: NOW + 1, ...o })),
  });

  it('crash after intent, before outcome: acting (to be reconciled), cooldown and budget kept', () => {
    const s = resumeFleetState({
      now: NOW + MIN,
      policy: p,
      openIncidents: [incident],
      unfinished: [history([])],
      recentActions: [history([])],
    });
    expect(s.apps.orders).toMatchObject({
      phase: 'acting',
      action: { intentId: '7', startedAt: NOW },
      cooldownUntil: NOW + p.cooldownMs,
      incident: { key: incident.key },
    });
    expect(s.actionTimes).toEqual([NOW]);
  });

  it('crash after the call was accepted: verifying with the operation id', () => {
    const s = resumeFleetState({
      now: NOW + MIN,
      policy: p,
      openIncidents: [incident],
      unfinished: [history([{ status: 'accepted', operationId: 'op-9' }])],
      recentActions: [],
    });
    expect(s.apps.orders).toMatchObject({ phase: 'verifying', action: { operationId: 'op-9' } });
  });

  it.each([
    { name: 'last action healed', outcome: 'healed' as const, type: 'rollback' as const, phase: 'healed' },
    {
      name: 'last action did not heal',
      outcome: 'did-not-heal' as const,
      type: 'rollback' as const,
      phase: 'failed',
    },
    { name: 'force-stopped', outcome: 'healed' as const, type: 'force-stop' as const, phase: 'gave-up' },
  ])('open incident, $name → $phase', ({ outcome, type, phase }) => {
    const i = { ...incident, actions: [{ type, at: NOW, outcome }] };
    expect(
      resumeFleetState({ now: NOW, policy: p, openIncidents: [i], unfinished: [], recentActions: [] }).apps
        .orders?.phase,
    ).toBe(phase);
  });

  describe('a verified heal resolved the incident: the app stays on probation through the cooldown', () => {
    const healed = resolveIncident(
      { ...incident, actions: [{ type: 'rollback' as const, at: NOW, outcome: 'healed' as const }] },
      NOW + 2 * MIN,
      {
        by: 'action',
        action: 'rollback',
        actionAt: NOW,
        at: NOW + 2 * MIN,
        evidence: 'all 4 subtasks RUNNING',
      },
    );
    it.each([
      { name: 'cooldown − 1 ms after the action', at: NOW + p.cooldownMs - 1, probation: true },
      { name: 'at the end of the cooldown', at: NOW + p.cooldownMs, probation: false },
    ])('$name → on probation: $probation', ({ at, probation }) => {
      expect(onProbation([healed], at, p).length > 0).toBe(probation);
    });

    it('resumes in phase healed with the cooldown and the settle time, never as a fresh app', () => {
      const s = resumeFleetState({
        now: NOW + 5 * MIN,
        policy: p,
        openIncidents: [],
        unfinished: [],
        recentActions: [],
        healedRecently: onProbation([healed], NOW + 5 * MIN, p),
      });
      expect(s.apps.orders).toMatchObject({
        phase: 'healed',
        cooldownUntil: NOW + p.cooldownMs,
        countRestartsFrom: NOW + 2 * MIN,
        incident: { key: incident.key, status: 'resolved' },
      });
    });

    it('only the newest incident of an app counts', () => {
      const later = { ...openIncident('orders', 'checkpoint-stall', NOW + 3 * MIN), status: 'open' as const };
      expect(onProbation([later, healed], NOW + 5 * MIN, p)).toEqual([]);
    });
  });
});
