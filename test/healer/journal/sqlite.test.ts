import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIncident } from '../../../src/healer/incident.js';
import type { HealerJournal } from '../../../src/healer/journal/port.js';

import { MemoryJournal } from '../../../src/services/healer/journal/memory.js';
import { SqliteJournal } from '../../../src/services/healer/journal/sqlite.js';
import type { CoordinationStore } from '../../../src/store/index.js';
import { PostgresStore } from '../../../src/store/postgres.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { useFreshDatabase } from '../../store/pg.js';

import { NOW } from '../fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamctl-journal-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const intent = (at: number) => ({
  at,
  app: 'orders',
  incidentKey: 'k',
  action: { type: 'rollback' as const, currentVersionId: 8 },
  reason: 'bad-deploy-rollback',
  operation: 'RollbackApplication',
});

// The stores' journals are opened fenced (a current token): the contract holds under a lease.
let store: CoordinationStore | undefined;
async function fencedJournal(s: CoordinationStore): Promise<HealerJournal> {
  store = s;
  const l = await s.tryAcquireLease('healer/shard-0', 'r1', 60_000, NOW);
  if (!l.ok) throw new Error('lease not acquired');
  return s.journal({ lease: 'healer/shard-0', token: l.lease.token });
}

// One contract, run against every adapter (docs/design.md §6).
describe.each([
  { name: 'SqliteJournal', open: async () => new SqliteJournal(join(dir, 'nested', 'journal.db')) },
  { name: 'MemoryJournal', open: async () => new MemoryJournal() },
  { name: 'SqliteStore journal', open: async () => fencedJournal(new SqliteStore(join(dir, 'store.db'))) },
  {
    name: 'PostgresStore journal',
    open: async () => fencedJournal(await PostgresStore.open({ url: await useFreshDatabase() })),
  },
])('$name contract', ({ open }) => {
  let j: HealerJournal;
  beforeEach(async () => {
    j = await open();
  });
  afterEach(async () => {
    await j.close();
    await store?.close();
    store = undefined;
  });

  it('records decisions with their evidence, filtered by app, oldest first', async () => {
    await j.recordDecision({
      at: NOW,
      app: 'orders',
      decision: { kind: 'ignore', reason: 'no-anomaly' },
      anomalies: [],
      evidence: { status: 'RUNNING' },
    });
    await j.recordDecision({
      at: NOW + 1,
      app: 'other',
      decision: { kind: 'check', afterMs: 15_000, reason: 'restarts-below-threshold' },
      anomalies: [],
      evidence: {},
    });
    await j.recordDecision({
      at: NOW + 2,
      app: 'orders',
      decision: { kind: 'wait', afterMs: 1, reason: 'cooldown' },
      anomalies: [],
      evidence: {},
    });
    expect((await j.decisions({ app: 'orders' })).map((d) => d.decision.reason)).toEqual([
      'no-anomaly',
      'cooldown',
    ]);
    expect((await j.decisions({ limit: 1 })).map((d) => d.at)).toEqual([NOW + 2]);
  });

  it('an intent without a final outcome is unfinished; accepted is not final; healed is', async () => {
    const id = await j.recordIntent(intent(NOW));
    expect((await j.unfinishedActions()).map((a) => a.id)).toEqual([id]);
    await j.recordOutcome({ intentId: id, at: NOW + 1, status: 'accepted', operationId: 'op-1' });
    const [u] = await j.unfinishedActions();
    expect(u?.outcomes).toEqual([{ intentId: id, at: NOW + 1, status: 'accepted', operationId: 'op-1' }]);
    await j.recordOutcome({ intentId: id, at: NOW + 2, status: 'healed' });
    expect(await j.unfinishedActions()).toEqual([]);
    expect((await j.actionsSince(NOW)).length).toBe(1);
    expect((await j.actionsSince(NOW + 1)).length).toBe(0);
  });

  it('upserts incidents by dedup key and lists the open ones', async () => {
    const i = openIncident('orders', 'restart-loop', NOW, NOW);
    await j.upsertIncident(i);
    await j.upsertIncident({ ...i, actions: [{ type: 'rollback', at: NOW }], updatedAt: NOW + 1 });
    expect((await j.openIncidents()).map((x) => x.actions.length)).toEqual([1]);
    await j.upsertIncident({ ...i, status: 'resolved', resolvedAt: NOW + 2, updatedAt: NOW + 2 });
    expect(await j.openIncidents()).toEqual([]);
    expect((await j.incidents({ app: 'orders' })).length).toBe(1);
  });
});

describe('SqliteJournal crash safety', () => {
  it('keeps an intent written before a crash (no outcome): it is unfinished after reopening', async () => {
    const file = join(dir, 'journal.db');
    const before = new SqliteJournal(file);
    const id = await before.recordIntent(intent(NOW));
    // Simulated kill -9: no close(), no outcome; a new process opens the same file.
    const after = new SqliteJournal(file);
    const unfinished = await after.unfinishedActions();
    expect(unfinished).toEqual([{ id, ...intent(NOW), outcomes: [] }]);
    await after.close();
    await before.close();
  });

  it('uses WAL with synchronous FULL', async () => {
    const j = new SqliteJournal(join(dir, 'j.db'));
    const db = (j as unknown as { db: { pragma(s: string, o: { simple: boolean }): unknown } }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    await j.close();
  });

  it('names the path when the journal cannot be opened (exit 78)', () => {
    writeFileSync(join(dir, 'file-not-dir'), 'not a directory');
    expect(() => new SqliteJournal(join(dir, 'file-not-dir', 'journal.db'))).toThrow(
      /healer\.journal: cannot open the SQLite journal .*file-not-dir/,
    );
  });
});
