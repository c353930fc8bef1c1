/**
 * The daemon's hold on its journal. The journal is what makes an action safe (its intent is written
 * before the call, so a crash can be reconciled), so a journal that cannot be opened or written —
 * a garbage file, a full volume — stops the daemon from acting until it can again. Every journal
 * error becomes a JournalFault the loop recognises; `fault` says why (for /healthz); `recover`
 * reopens the file when needed and proves it takes a write before ticks resume.
 */
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { HealerJournal } from '../../healer/journal/port.js';

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
  /** The guarded journal the tick uses (its calls throw JournalFault while it is unusable). */
  readonly journal: HealerJournal;

  constructor(
    private readonly open: () => Probeable,
    private readonly label: string,
    /** Opened here (closed and reopened after a fault), not lent by the caller. */
    private readonly owned = true,
  ) {
    this.journal = new Proxy({} as HealerJournal, {
      get:
        (_t, prop: keyof HealerJournal) =>
        (...args: unknown[]) =>
          this.call(prop, args),
    });
  }

  /** Opens the journal (if it is not open) and proves it takes a write; false sets `fault`. */
  async recover(now: number): Promise<boolean> {
    try {
      this.inner ??= this.open();
      await this.inner.probe?.(now);
      this.fault = undefined;
      return true;
    } catch (e) {
      this.failed(e);
      if (this.owned) await this.close();
      return false;
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
      throw this.failed(e);
    }
  }

  private failed(e: unknown): JournalFault {
    const why = (e as Error)?.message ?? String(e);
    this.fault = why.includes(this.label) ? why : `journal ${this.label}: ${why}`;
    return e instanceof JournalFault ? e : new JournalFault(this.fault, e);
  }
}
