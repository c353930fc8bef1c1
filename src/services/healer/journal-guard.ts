/**
 * The daemon's hold on its journal. The journal is what makes an action safe (its intent is written
 * before the call, so a crash can be reconciled), so a journal that cannot be opened or written —
 * a garbage file, a full volume — stops the daemon from acting until it can again. Every journal
 * error becomes a JournalFault the loop recognises; `fault` says why (for /healthz); `recover`
 * reopens the file when needed and proves it takes a write before ticks resume; `verify` notices a
 * journal file replaced or removed under the open connection.
 */
import { statSync } from 'node:fs';
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import { isStaleFence } from '../../store/fence.js';

/** A journal that could not be opened, read or written: the daemon refuses to act. */
export class JournalFault extends StreamctlError {
  constructor(message: string, cause?: unknown) {
    super('JOURNAL_FAULT', message, {
      exitCode: Sysexit.UNAVAILABLE,
      hint: 'Check the journal volume (free space, permissions) and the file (healer.journal); the daemon acts again once it is writable.',
      transient: true,
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = 'JournalFault';
  }
}

/** A journal that can prove it takes writes (SqliteJournal.probe). */
type Probeable = HealerJournal & { probe?(at: number): Promise<void> };

/** Forwards to the journal it opens; every error is a JournalFault and sets `fault`. */
export class JournalGuard {
  /** Why the journal is unusable, or undefined while it works. */
  fault: string | undefined;
  private inner: Probeable | undefined;
  /** `dev:ino` of the journal file when it was opened. */
  private identity: string | undefined;
  /** The journal path stopped being the open file (see verify). */
  private replaced = false;
  /** The guarded journal the tick uses (its calls throw JournalFault while it is unusable). */
  readonly journal: HealerJournal;

  constructor(
    private readonly open: () => Probeable,
    private readonly label: string,
    /** Opened here (closed and reopened after a fault), not lent by the caller. */
    private readonly owned = true,
  ) {
    this.journal = new Proxy({} as HealerJournal, {
      // Methods only: not a thenable (`await guard.journal` must not call it), no symbols.
      get: (_t, prop) =>
        typeof prop === 'symbol' || prop === 'then'
          ? undefined
          : (...args: unknown[]) => this.call(prop as keyof HealerJournal, args),
    });
  }

  /** Opens the journal (if it is not open) and proves it takes a write; false sets `fault`. */
  async recover(now: number): Promise<boolean> {
    if (this.replaced) return false;
    try {
      if (!this.inner) {
        this.inner = this.open();
        // The file first opened is the journal: a reopen (a new lease token) must not adopt a file
        // that replaced it meanwhile.
        this.identity ??= this.fileIdentity();
      }
      await this.inner.probe?.(now);
      this.fault = undefined;
      return true;
    } catch (e) {
      this.failed(e);
      if (this.owned) await this.close();
      return false;
    }
  }

  /**
   * Before each tick: the path must still be the file that is open. A journal replaced (renamed
   * over) or removed would take every later record into a deleted file, lost at the next start.
   */
  async verify(): Promise<boolean> {
    if (!this.inner || this.identity === undefined) return this.inner !== undefined;
    const now = this.fileIdentity();
    if (now === this.identity) return true;
    // Sticky until a restart: SQLite would read the new file through the old one's WAL.
    this.replaced = true;
    this.fault = `journal ${this.label} was ${now ? 'replaced by another file' : 'removed'} while open: refusing to act (restart the daemon to open what is at that path now)`;
    await this.close();
    return false;
  }

  /** `dev:ino` of the journal path (undefined: not a file this guard opened, or missing). */
  private fileIdentity(): string | undefined {
    if (!this.owned || this.label === ':memory:') return undefined;
    try {
      const st = statSync(this.label);
      return `${st.dev}:${st.ino}`;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    const j = this.inner;
    this.inner = undefined;
    await j?.close().catch(() => undefined);
  }

  private async call(method: keyof HealerJournal, args: unknown[]): Promise<unknown> {
    if (method === 'close') return this.close();
    if (!this.inner)
      throw new JournalFault(`journal ${this.label} is not usable: ${this.fault ?? 'not open'}`);
    try {
      const fn = this.inner[method] as (...a: unknown[]) => Promise<unknown>;
      return await fn.apply(this.inner, args);
    } catch (e) {
      // A stale fencing token is not a journal fault: another replica leads (tick-loop.ts).
      if (isStaleFence(e)) throw e;
      throw this.failed(e);
    }
  }

  private failed(e: unknown): JournalFault {
    const why = (e as Error)?.message ?? String(e);
    this.fault = why.includes(this.label) ? why : `journal ${this.label}: ${why}`;
    return e instanceof JournalFault ? e : new JournalFault(this.fault, e);
  }
}
