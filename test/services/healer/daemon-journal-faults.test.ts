import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { runDaemon } from '../../../src/services/healer/daemon.js';
import { resetJournalFailpoint } from '../../../src/services/healer/journal/failpoint.js';
import { SqliteJournal } from '../../../src/services/healer/journal/sqlite.js';
import { config, logSink, loopingWorld } from './daemon-world.js';
import { NOW } from './fixtures.js';

/**
 * The daemon's journal faults, in process over the probes' fakes (a bad deploy the healer wants to
 * roll back): a journal file replaced by garbage, and a full volume (the FULL failpoint fails a
 * write as SQLite does on ENOSPC: SQLITE_FULL) at every write in turn. The daemon must refuse to
 * act while the journal is unusable, say why on /healthz, never lose a committed record, and act
 * exactly once when the journal works again (an action whose outcome could not be written is
 * reconciled, never repeated).
 */
afterEach(() => {
  delete process.env.STREAMCTL_FAILPOINT_JOURNAL;
  resetJournalFailpoint();
});

interface Seen {
  status: number;
  body: { status: string; reason?: string; ok: boolean };
}

/** Runs the daemon for `sleeps` sleeps; `onSleep(n)` runs after the n-th one (after /healthz is read). */
async function run(journal: string, sleeps: number, onSleep: (n: number) => void) {
  const f = loopingWorld();
  const stop = new AbortController();
  const { lines, logger } = logSink();
  const health: Seen[] = [];
  let url = '';
  let t = NOW;
  let n = 0;
  const clock: Clock = {
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(ms, 1);
      n++;
      const r = await fetch(`${url}/healthz`);
      health.push({ status: r.status, body: (await r.json()) as Seen['body'] });
      onSleep(n);
      if (n >= sleeps) stop.abort();
    },
  };
  await runDaemon({
    config: config('act', journal),
    logger,
    signal: stop.signal,
    clock,
    ports: f.ports,
    restPort: () => f.rest,
    notifier: { channels: [], notify: async () => [] },
    onListening: (u) => {
      url = u;
    },
  });
  const rollbacks = f.msf.calls.filter((c) => c.method === 'rollback').length;
  return { health, lines, rollbacks };
}

describe('the daemon and its journal', () => {
  it('a journal replaced by garbage: refuses to act, says why on /healthz, leaves the file as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-jfault-'));
    const file = join(dir, 'j.db');
    const garbage = Buffer.from(`${'not a database '.repeat(400)}\u0000\u00ff`);
    writeFileSync(file, garbage);
    let untouched = false;
    const r = await run(file, 4, (n) => {
      if (n === 3) untouched = readFileSync(file).equals(garbage);
    });
    expect(untouched).toBe(true);
    expect(r.rollbacks).toBe(0);
    expect(r.health.map((h) => h.status)).toEqual([503, 503, 503, 503]);
    expect(r.health[0]!.body).toMatchObject({ ok: false, status: 'journal-fault' });
    expect(r.health[0]!.body.reason).toMatch(/refusing to act: .*j\.db.*not a database/);
    expect(r.lines.map((l) => l.msg)).toContain(
      'journal unusable: refusing to act until it can be opened and written (see /healthz)',
    );
  });

  it('once the garbage is moved away, the daemon opens a fresh journal and acts (once)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-jfault-'));
    const file = join(dir, 'j.db');
    writeFileSync(file, 'garbage, not SQLite\n'.repeat(300));
    const r = await run(file, 8, (n) => {
      if (n === 2) rmSync(file);
    });
    expect(r.health[0]!.status).toBe(503);
    expect(r.health.at(-1)!.status).toBe(200);
    expect(r.rollbacks).toBe(1);
    expect(r.lines.map((l) => l.msg)).toContain('journal usable again: resuming');
  });

  it('a journal replaced under the open connection: refuses to act and says so (no record into a deleted file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-jswap-'));
    const file = join(dir, 'j.db');
    const garbage = join(dir, 'garbage');
    writeFileSync(garbage, 'not a journal\n'.repeat(500));
    const r = await run(file, 4, (n) => {
      if (n === 1) renameSync(garbage, file);
    });
    const faults = r.health.filter((h) => h.body.status === 'journal-fault');
    expect(faults.length).toBeGreaterThan(0);
    expect(r.health.at(-1)!.status).toBe(503);
    expect(r.health.at(-1)!.body.reason).toContain('was replaced by another file while open');
    expect(r.rollbacks).toBe(1); // the first tick's, before the swap; none after
    expect(readFileSync(file, 'utf8')).toBe('not a journal\n'.repeat(500));
  });

  // The volume fills at the k-th journal write (the start's probe is the first), and is freed at
  // the 3rd sleep. Whatever write fails — a decision, the incident, the intent before the call, the
  // outcome after it — the daemon refuses to act meanwhile and rolls back exactly once in all.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('a full volume from journal write %i on', async (k) => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-jfull-'));
    const file = join(dir, 'j.db');
    process.env.STREAMCTL_FAILPOINT_JOURNAL = `FULL@${k}`;
    const r = await run(file, 10, (n) => {
      if (n === 3) delete process.env.STREAMCTL_FAILPOINT_JOURNAL; // space freed
    });
    const faults = r.health.filter((h) => h.body.status === 'journal-fault');
    expect(faults.length).toBeGreaterThan(0);
    expect(faults[0]!.status).toBe(503);
    expect(faults[0]!.body.reason).toContain('database or disk is full');
    expect(r.health.at(-1)!.status).toBe(200);
    expect(r.rollbacks).toBe(1);
    // Nothing committed was lost: the call has its intent, and its outcome (`accepted`, or
    // `reconciled-happened` when the fault came between the call and the outcome's write); an
    // intent whose call never left (the fault came first) is reconciled, never left open.
    const j = new SqliteJournal(file);
    const actions = await j.actions();
    await j.close();
    const accepted = actions.filter((a) =>
      a.outcomes.some((o) => o.status === 'accepted' || o.status === 'reconciled-happened'),
    );
    expect(accepted).toHaveLength(1);
    for (const a of actions) expect(a.outcomes.length).toBeGreaterThan(0);
    for (const a of actions.filter((x) => x !== accepted[0]))
      expect(a.outcomes.map((o) => o.status)).toEqual(['reconciled-not-happened']);
  });
});
