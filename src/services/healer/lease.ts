/**
 * The healer's leader lease (issue 12): N replicas run, exactly one acts. The lease lives in the
 * coordination store with an expiry; every acquisition bumps its fencing token, and every journal
 * write and lock the leader makes carries that token, so a replica that paused past its lease
 * (GC, SIGSTOP, a network stall) is rejected by the store when it wakes.
 *
 * Renewal runs on a timer every ttl/3 (wall time, unref'd) and again before every tick, so the
 * lease outlives a 60 s tick interval. The replica stops considering itself leader as soon as its
 * own clock passes the expiry it last renewed to — even when the store cannot be reached to say
 * so (PostgreSQL down longer than a lease: every replica stops acting and says why).
 */
import { hostname } from 'node:os';
import type { Clock } from '../../core/clock.js';
import type { CoordinationStore, Fence, LeaseRecord } from '../../store/port.js';
import { pidAlive } from '../../store/target-lock.js';

/** What /healthz, /metrics and `healer status` show of this replica's role. */
export interface LeaseView {
  role: 'leader' | 'standby';
  lease: string;
  replica: string;
  /** The fencing token we act under (leader), or the holder's (standby, when known). */
  token?: number;
  /** Since when we (leader) or the holder (standby) hold the lease. */
  acquiredAt?: number;
  expiresAt?: number;
  /** The other replica holding the lease (standby). */
  holder?: string;
  /** Why this replica is not acting, when it is not (held by X, store unavailable…). */
  reason?: string;
}

/** How the role changed at a refresh (logged by the daemon). */
export type LeaseChange =
  /** `continuous`: we held the token just before (expired between renewals, nobody took it). */
  | { kind: 'acquired'; token: number; continuous: boolean; previousHolder?: string }
  | { kind: 'lost'; token: number; reason: string }
  | { kind: 'unchanged' };

/**
 * Whether a lease holder named `<host>/<pid>` (the default replica id) is a process of this host
 * that no longer exists. Other names (healer.store.replicaId) are never presumed dead.
 */
export function deadOnThisHost(holder: string): boolean {
  const m = /^(.+)\/(\d+)$/.exec(holder);
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  return pid !== process.pid && !pidAlive(pid);
}

/** A replica's hold on one lease. */
export class LeaderLease {
  private mine: LeaseRecord | undefined;
  private other: LeaseRecord | undefined;
  private reason: string | undefined = 'not yet acquired';
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: CoordinationStore,
    readonly name: string,
    readonly replica: string,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly onChange: (c: LeaseChange) => void = () => undefined,
  ) {}

  /** The fence to act under, or undefined when this replica must not act now. */
  fence(): Fence | undefined {
    const m = this.mine;
    if (!m || this.clock.now() >= m.expiresAt) return undefined;
    return { lease: this.name, token: m.token };
  }

  view(): LeaseView {
    const f = this.fence();
    const m = this.mine;
    if (f && m)
      return {
        role: 'leader',
        lease: this.name,
        replica: this.replica,
        token: m.token,
        acquiredAt: m.acquiredAt,
        expiresAt: m.expiresAt,
      };
    const o = this.other;
    return {
      role: 'standby',
      lease: this.name,
      replica: this.replica,
      ...(o ? { token: o.token, acquiredAt: o.acquiredAt, expiresAt: o.expiresAt, holder: o.holder } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
    };
  }

  /** Renews or acquires (serialized with the timer's refreshes). */
  refresh(): Promise<LeaseChange> {
    const next = this.chain.then(() => this.doRefresh());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async doRefresh(): Promise<LeaseChange> {
    const now = this.clock.now();
    const held = this.mine;
    try {
      if (held && (await this.store.renewLease(this.name, this.replica, held.token, this.ttlMs, now))) {
        this.mine = { ...held, renewedAt: now, expiresAt: now + this.ttlMs };
        return this.report({ kind: 'unchanged' });
      }
      let r = await this.store.tryAcquireLease(this.name, this.replica, this.ttlMs, now);
      if (!r.ok && deadOnThisHost(r.held.holder)) {
        // Its process is gone (kill -9, then a restart by systemd): no need to wait for expiry.
        const from = { holder: r.held.holder, token: r.held.token };
        r = await this.store.tryAcquireLease(this.name, this.replica, this.ttlMs, now, {
          takeOverFrom: from,
        });
      }
      if (r.ok) {
        this.mine = r.lease;
        this.reason = undefined;
        const prev = this.other?.holder;
        this.other = undefined;
        if (held && held.token === r.lease.token) return this.report({ kind: 'unchanged' });
        const continuous = held !== undefined && r.lease.token === held.token + 1;
        return this.report({
          kind: 'acquired',
          token: r.lease.token,
          continuous,
          ...(prev ? { previousHolder: prev } : {}),
        });
      }
      this.mine = undefined;
      this.other = r.held;
      this.reason = `lease held by ${r.held.holder} (token ${r.held.token})`;
      return this.report(
        held ? { kind: 'lost', token: held.token, reason: this.reason } : { kind: 'unchanged' },
      );
    } catch (e) {
      // Store unreachable: keep the lease until our own clock says it expired, then stand by.
      this.reason = `store unavailable: ${(e as Error).message}`;
      if (held && this.clock.now() >= held.expiresAt) {
        this.mine = undefined;
        return this.report({ kind: 'lost', token: held.token, reason: this.reason });
      }
      return this.report({ kind: 'unchanged' });
    }
  }

  private report(c: LeaseChange): LeaseChange {
    if (c.kind !== 'unchanged') this.onChange(c);
    return c;
  }

  /** Renews every ttl/3 of wall time until stop(). */
  start(): void {
    this.timer ??= setInterval(() => void this.refresh(), Math.max(500, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /** Stops renewing and gives the lease up at once (clean shutdown: a standby takes over now). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
    const m = this.mine;
    this.mine = undefined;
    if (m) await this.store.releaseLease(this.name, this.replica, m.token).catch(() => undefined);
  }
}
