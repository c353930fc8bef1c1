import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import type { Incident } from '../../src/healer/incident.js';
import { SqliteJournal } from '../../src/services/healer/journal/sqlite.js';
import { renderHistory } from '../../src/services/healer/journal-view.js';
import {
  healerHistoryStory,
  healerStatusStory,
  renderEndedButOpen,
} from '../../src/services/healer-history.js';

const NOW = Date.parse('2026-12-04T18:34:07Z');

/** A journal with the demo's episode: loop, rollback accepted, heal verified 15 s later. */
async function journalOf(incident: Partial<Incident>): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'streamctl-hh-')), 'journal.db');
  const j = new SqliteJournal(file);
  const key = `orders/restart-loop/${new Date(NOW).toISOString()}`;
  const id = await j.recordIntent({
    at: NOW + 60_000,
    app: 'orders',
    incidentKey: key,
    action: { type: 'rollback', currentVersionId: 2 },
    reason: 'bad-deploy-rollback',
    operation: 'RollbackApplication',
  });
  await j.recordOutcome({ intentId: id, at: NOW + 60_010, status: 'accepted', operationId: 'op-9' });
  await j.recordOutcome({
    intentId: id,
    at: NOW + 75_000,
    status: 'healed',
    detail: 'subtasks: all 2 subtasks RUNNING',
  });
  await j.upsertIncident({
    key,
    app: 'orders',
    kind: 'restart-loop',
    openedAt: NOW,
    updatedAt: NOW + 75_000,
    status: 'open',
    actions: [{ type: 'rollback', at: NOW + 60_000, outcome: 'healed' }],
    ...incident,
  });
  await j.close();
  return file;
}

const configOf = (journal: string) => ConfigSchema.parse({ healer: { journal } });

describe('healer history tells each incident as every view does', () => {
  it('says "healed by this action at this time" for a verified heal the journal still has open', async () => {
    const v = await healerHistoryStory(configOf(await journalOf({})), { app: 'orders', limit: 10 });

    const story = v.stories[v.incidents[0]!.key];
    expect(story).toMatchObject({ status: 'healed', statusFrom: 'action-outcome', endedAt: NOW + 75_000 });
    const text = renderHistory(v, (i) => v.stories[i.key]?.text);
    expect(text).toMatch(
      /restart-loop +healed by rollback from v2 at 2026-12-04T18:35:22Z \(verified; the journal still has the incident open\)/,
    );
    expect(text).not.toMatch(/restart-loop +open /);
  });

  it('tells the journal’s own resolution when the healer resolved the incident on the heal', async () => {
    const file = await journalOf({ status: 'resolved', resolvedAt: NOW + 75_000 });
    const v = await healerHistoryStory(configOf(file), { limit: 10 });
    expect(v.stories[v.incidents[0]!.key]).toMatchObject({ status: 'healed', statusFrom: 'journal' });
    expect(renderHistory(v, (i) => v.stories[i.key]?.text)).toMatch(
      /healed by rollback from v2 at 2026-12-04T18:35:22Z +rollback:healed/,
    );
  });

  it('keeps an incident whose action failed open (not-healed)', async () => {
    const file = await journalOf({
      actions: [{ type: 'rollback', at: NOW + 60_000, outcome: 'did-not-heal' }],
    });
    const v = await healerHistoryStory(configOf(file), { limit: 10 });
    expect(v.stories[v.incidents[0]!.key]).toMatchObject({
      status: 'not-healed',
      text: 'rollback from v2 did not heal (did-not-heal)',
    });
  });

  it('has no stories without a journal', async () => {
    const v = await healerHistoryStory(configOf(join(tmpdir(), 'streamctl-none', 'x.db')), { limit: 10 });
    expect(v.stories).toEqual({});
    expect(v.note).toContain('the healer has not run here');
  });
});

describe('healer status tells the same stories', () => {
  it('lists an incident the journal still has open after a verified heal apart, not as open', async () => {
    const v = await healerStatusStory(configOf(await journalOf({})), NOW + 120_000);
    expect(v.openIncidents).toEqual([]);
    expect(v.endedButOpenInJournal).toHaveLength(1);
    expect(renderEndedButOpen(v)).toContain(
      'orders restart-loop: healed by rollback from v2 at 2026-12-04T18:35:22Z',
    );
  });

  it('keeps an incident whose action did not heal open', async () => {
    const file = await journalOf({
      actions: [{ type: 'rollback', at: NOW + 60_000, outcome: 'did-not-heal' }],
    });
    const v = await healerStatusStory(configOf(file), NOW + 120_000);
    expect(v.openIncidents).toHaveLength(1);
    expect(renderEndedButOpen(v)).toBe('');
  });
});
