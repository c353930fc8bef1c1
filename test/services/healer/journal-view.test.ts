import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteJournal } from '../../../src/services/healer/journal/sqlite.js';
import {
  healerHistory,
  healerStatus,
  renderHistory,
  renderStatus,
} from '../../../src/services/healer/journal-view.js';
import { configOf, NOW } from './fixtures.js';

async function journalWithOneRollback(file: string) {
  const j = new SqliteJournal(file);
  const incident = {
    key: `orders/restart-loop/${new Date(NOW).toISOString()}`,
    app: 'orders',
    kind: 'restart-loop' as const,
    openedAt: NOW,
    updatedAt: NOW,
    status: 'open' as const,
    actions: [{ type: 'rollback' as const, at: NOW }],
  };
  await j.upsertIncident(incident);
  await j.recordDecision({
    at: NOW,
    app: 'orders',
    incidentKey: incident.key,
    decision: {
      kind: 'act',
      reason: 'bad-deploy-rollback',
      action: { type: 'rollback', currentVersionId: 4 },
      diagnosis: {
        summary: 'orders is in a restart loop; rolling back.',
        evidence: ['fullRestarts: 12 restarts in 3 periods'],
      },
    },
    anomalies: [],
    evidence: { status: 'RUNNING' },
  });
  const id = await j.recordIntent({
    at: NOW,
    app: 'orders',
    incidentKey: incident.key,
    action: { type: 'rollback', currentVersionId: 4 },
    reason: 'bad-deploy-rollback',
    operation: 'RollbackApplication',
  });
  await j.recordOutcome({ intentId: id, at: NOW + 1000, status: 'accepted', operationId: 'op-9' });
  await j.close();
}

describe('healer history / status views of the journal', () => {
  it('history: decisions with reasons and evidence, actions with intent and outcomes, incidents', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'streamctl-jv-')), 'j.db');
    await journalWithOneRollback(file);
    const v = await healerHistory(configOf({ healer: { journal: file } }), { app: 'orders', limit: 10 });
    expect(v.decisions[0]).toMatchObject({ decision: { kind: 'act', reason: 'bad-deploy-rollback' } });
    expect(v.actions[0]).toMatchObject({
      action: { type: 'rollback' },
      outcomes: [{ status: 'accepted', operationId: 'op-9' }],
    });
    const text = renderHistory(v);
    expect(text).toMatch(/act\s+bad-deploy-rollback/);
    expect(text).toContain('rollback from v4');
    expect(text).toContain('- fullRestarts: 12 restarts in 3 periods');
  });

  it('status: the open incident, the unfinished action and the budget used', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'streamctl-jv-')), 'j.db');
    await journalWithOneRollback(file);
    const v = await healerStatus(configOf({ healer: { journal: file } }), NOW + 60_000);
    expect(v).toMatchObject({ actionsLastHour: 1, maxActionsPerHour: 5, mode: 'dry-run' });
    expect(v.openIncidents).toHaveLength(1);
    expect(v.unfinishedActions).toHaveLength(1);
    expect(v.latest).toEqual([
      expect.objectContaining({ app: 'orders', kind: 'act', reason: 'bad-deploy-rollback' }),
    ]);
    expect(renderStatus(v)).toContain('actions in the last hour 1/5');
  });

  it('no journal yet: says so and creates no file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'streamctl-jv-')), 'none.db');
    const v = await healerHistory(configOf({ healer: { journal: file } }), { limit: 5 });
    expect(v.note).toContain('the healer has not run here');
    expect((await import('node:fs')).existsSync(file)).toBe(false);
  });
});
