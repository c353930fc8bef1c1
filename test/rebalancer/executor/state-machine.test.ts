import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  fileStateStore,
  isActive,
  PHASES,
  type Phase,
  parseState,
  TERMINAL,
  TRANSITIONS,
  transition,
} from '../../../src/services/rebalance-exec/execution-state.js';
import { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';
import { prepare, scaleOut } from './helpers.js';

const all = PHASES.flatMap((from) => PHASES.map((to) => [from, to] as [Phase, Phase]));

describe('execution state machine', () => {
  it.each(all)('%s → %s is allowed exactly when the table says so', (from, to) => {
    if (TRANSITIONS[from].includes(to)) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(/illegal transition/);
  });

  it.each([...TERMINAL])('%s is terminal: nothing leaves it', (p) => {
    expect(TRANSITIONS[p]).toEqual([]);
    expect(isActive(p)).toBe(false);
  });

  it.each(PHASES.filter((p) => !TERMINAL.has(p)))(
    '%s can be resumed (→ checking), cancelled (→ clearing-throttles) and fail',
    (p) => {
      if (p !== 'checking' && p !== 'planned') expect(TRANSITIONS[p]).toContain('checking');
      expect(TRANSITIONS[p]).toContain('clearing-throttles');
      expect(TRANSITIONS[p]).toContain('failed');
    },
  );

  it('records each transition with its time and note', async () => {
    const s = await prepare(FakeKafkaAdmin.fromSnapshot(scaleOut()));
    const t = transition(s, 'checking', Date.parse('2026-11-22T02:00:00Z'), 'resume');
    expect(t.phase).toBe('checking');
    expect(t.history.at(-1)).toEqual({
      at: '2026-11-22T02:00:00.000Z',
      from: 'planned',
      to: 'checking',
      note: 'resume',
    });
    expect(s.phase).toBe('planned'); // the input is not modified
  });

  it('saves atomically and loads back the same state', async () => {
    const s = await prepare(FakeKafkaAdmin.fromSnapshot(scaleOut()));
    const file = join(mkdtempSync(join(tmpdir(), 'exec-state-')), 'deep', 'state.json');
    const store = fileStateStore(file);
    expect(store.load()).toBeUndefined();
    store.save(s);
    expect(store.load()).toEqual(s);
  });

  it.each([
    ['not JSON', '{', /valid JSON/],
    ['wrong version', JSON.stringify({ version: 2 }), /version/],
    ['bad phase', 'PHASE', /phase/],
    ['bad move status', 'MOVE', /batches\[0\]\.moves\[0\]\.status/],
  ])('a corrupt state file (%s) is bad input naming the field', async (_, text, re) => {
    const s = await prepare(FakeKafkaAdmin.fromSnapshot(scaleOut()));
    const body =
      text === 'PHASE'
        ? JSON.stringify({ ...s, phase: 'jumping' })
        : text === 'MOVE'
          ? JSON.stringify({
              ...s,
              batches: [{ ...s.batches[0], moves: [{ ...s.batches[0]!.moves[0], status: 'flying' }] }],
            })
          : text;
    const file = join(mkdtempSync(join(tmpdir(), 'exec-state-')), 'state.json');
    writeFileSync(file, body);
    expect(() => parseState(body, file)).toThrow(re);
    expect(() => fileStateStore(file).load()).toThrow(expect.objectContaining({ exitCode: 65 }));
  });
});
