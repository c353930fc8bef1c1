import { describe, expect, it } from 'vitest';
import { actionAccepted, actionRejected, beginAction } from '../../src/healer/engine.js';
import { openIncident } from '../../src/healer/incident.js';
import {
  assertTransition,
  type HealerPhase,
  IllegalTransitionError,
  initialAppState,
  TRANSITIONS,
  transition,
} from '../../src/healer/state.js';
import { NOW, policy } from './fixtures.js';

const PHASES: HealerPhase[] = ['watching', 'acting', 'verifying', 'healed', 'failed', 'gave-up'];

describe('healer state machine', () => {
  const pairs = PHASES.flatMap((from) =>
    PHASES.map((to) => ({ from, to, allowed: from === to || TRANSITIONS[from].includes(to) })),
  );

  it.each(pairs)('$from → $to allowed=$allowed', ({ from, to, allowed }) => {
    if (allowed) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it.each([
    ['watching', 'healed'],
    ['watching', 'verifying'],
    ['gave-up', 'acting'],
    ['healed', 'acting'],
  ] as const)('never %s → %s', (from, to) => {
    expect(() => transition({ ...initialAppState(0), phase: from }, to, 1)).toThrow(
      `illegal healer transition ${from} → ${to}`,
    );
  });

  it('walks an action: watching → acting → verifying, cooldown from the start, the action on the incident', () => {
    const p = policy();
    const s0 = { ...initialAppState(0), incident: openIncident('orders', 'restart-loop', NOW, NOW) };
    const s1 = beginAction(s0, { type: 'rollback', currentVersionId: 8 }, 'i1', NOW, p);
    expect(s1).toMatchObject({
      phase: 'acting',
      cooldownUntil: NOW + p.cooldownMs,
      action: { intentId: 'i1', startedAt: NOW },
    });
    expect(s1.incident?.actions).toEqual([{ type: 'rollback', at: NOW }]);
    expect(actionAccepted(s1, NOW, 'op-1')).toMatchObject({
      phase: 'verifying',
      action: { operationId: 'op-1' },
    });
    const rejected = actionRejected(s1, NOW);
    expect(rejected.phase).toBe('failed');
    expect(rejected.incident?.actions[0]?.outcome).toBe('rejected');
  });
});
