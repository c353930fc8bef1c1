import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteJournal } from '../../../src/services/healer/journal/sqlite.js';
import { SEQUENCE } from './kill-sequence.js';

/**
 * kill -9 during every journal write: a child process (kill-child.ts) writes SEQUENCE with the
 * failpoint STREAMCTL_FAILPOINT_JOURNAL=KILL@N, which SIGKILLs it inside the N-th write's
 * transaction. After each kill the journal must open, pass SQLite's integrity check, hold exactly
 * the N-1 records committed before the kill (none lost, the half-done one absent), tell the
 * unfinished actions right (what the daemon reconciles after a crash), and take writes again.
 */
const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function runChild(file: string, killAt: number): Promise<{ signal: string | null; committed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], {
      env: { ...process.env, STREAMCTL_FAILPOINT_JOURNAL: `KILL@${killAt}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.on('error', reject);
    child.on('close', (_code, signal) =>
      resolve({ signal, committed: out.split('\n').filter((l) => l.startsWith('committed ')).length }),
    );
  });
}

/** The rows the first `n` writes of SEQUENCE leave. */
function expected(n: number) {
  const done = SEQUENCE.slice(0, n);
  const count = (k: string) => done.filter((s) => s.kind === k).length;
  const finals = new Set(
    done.flatMap((s) => (s.kind === 'outcome' && s.status === 'healed' ? [s.intent] : [])),
  );
  const unfinished = done.flatMap((s, i) =>
    s.kind === 'intent' && !finals.has(done.slice(0, i + 1).filter((x) => x.kind === 'intent').length)
      ? [s.app]
      : [],
  );
  return {
    decisions: count('decision'),
    incidents: count('incident'),
    intents: count('intent'),
    outcomes: count('outcome'),
    unfinished,
  };
}

describe('kill -9 during every journal write', () => {
  it.concurrent.each(SEQUENCE.map((s, i) => [i + 1, s.kind] as const))(
    'killed in write %i (%s): the committed records survive, the cut one is absent',
    async (n) => {
      const dir = mkdtempSync(join(tmpdir(), 'streamctl-kill-'));
      dirs.push(dir);
      const file = join(dir, 'journal.db');
      const r = await runChild(file, n);
      expect(r).toEqual({ signal: 'SIGKILL', committed: n - 1 });

      const raw = new Database(file, { readonly: true });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = (t: string) => (raw.prepare(`SELECT COUNT(*) AS c FROM ${t}`).get() as { c: number }).c;
      const want = expected(n - 1);
      expect({
        decisions: rows('decisions'),
        incidents: rows('incidents'),
        intents: rows('intents'),
        outcomes: rows('outcomes'),
      }).toEqual({
        decisions: want.decisions,
        incidents: want.incidents,
        intents: want.intents,
        outcomes: want.outcomes,
      });
      raw.close();

      const j = new SqliteJournal(file);
      expect((await j.unfinishedActions()).map((a) => a.app)).toEqual(want.unfinished);
      await j.recordDecision({
        at: 1,
        app: 'after',
        decision: { kind: 'ignore', reason: 'no-anomaly' },
        anomalies: [],
        evidence: {},
      });
      expect((await j.decisions({ app: 'after' })).length).toBe(1);
      await j.close();
    },
    60_000,
  );
});
