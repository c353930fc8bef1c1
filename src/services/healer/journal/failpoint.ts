/**
 * Test failpoints of the SQLite journal (the daemon's fault suite), in the style of src/core/fs.ts:
 *  - `STREAMCTL_FAILPOINT_JOURNAL=KILL@3`: the 3rd journal write is killed with SIGKILL inside its
 *    transaction (the row inserted, not committed), as kill -9 in the middle of a write;
 *  - `STREAMCTL_FAILPOINT_JOURNAL=FULL@3`: the 3rd and every later write fails as SQLite fails on a
 *    full volume (SQLITE_FULL, "database or disk is full").
 * Unset in normal use; a failpoint can only make a write fail, never change what is written.
 */
import Database from 'better-sqlite3';

let writes = 0;

/** Called inside each write's transaction, after its statement ran and before it commits. */
export function journalWriteFailpoint(): void {
  writes += 1;
  const m = /^(KILL|FULL)@(\d+)$/.exec(process.env.STREAMCTL_FAILPOINT_JOURNAL ?? '');
  if (!m || writes < Number(m[2])) return;
  if (m[1] === 'FULL') throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
  if (writes === Number(m[2])) process.kill(process.pid, 'SIGKILL');
}

/** Tests in one process: count writes from zero again. */
export function resetJournalFailpoint(): void {
  writes = 0;
}
