/**
 * The coordination store (issue 12): one place for everything several streamctl processes must
 * agree on — the healer journal and its incidents, the leader leases with their fencing tokens,
 * the per-target action locks, and the journal of operators' actions (CLI and runbooks).
 *
 * Two adapters pass one contract (test/store/contract.test.ts): embedded SQLite (sqlite.ts, the
 * default for one node: nothing to install) and PostgreSQL ≥ 15 (postgres.ts, for N replicas on
 * several hosts). Times are milliseconds since the epoch passed in by the caller, so a virtual
 * clock drives tests; hosts sharing a PostgreSQL store need NTP (skew ≪ the lease TTL).
 */
import type { HealerJournal } from '../healer/journal/port.js';
import type { FleetContext } from '../healer/observation.js';

/** A leader lease and who holds it. `token` is bumped by every acquisition (the fencing token). */
export interface LeaseRecord {
  name: string;
  holder: string;
  token: number;
  acquiredAt: number;
  renewedAt: number;
  expiresAt: number;
}

/** The outcome of trying to take or keep a lease: ours (with the token) or someone else's. */
export type LeaseResult = { ok: true; lease: LeaseRecord } | { ok: false; held: LeaseRecord };

/**
 * What a fenced write carries: the lease it acts under and the token it got. The store rejects the
 * write (StaleFenceError) unless the lease still has this token, atomically with the write.
 */
export interface Fence {
  lease: string;
  token: number;
}

/** Who holds a target's lock, named in every refusal. */
export interface TargetLock {
  /** `kafka:<cluster>` or `flink:<application>` (see targetKey). */
  target: string;
  /** A random id of this acquisition (release and take-over compare it). */
  id: string;
  /** What holds it: `streamctl kafka rebalance execute`, `streamctl healer (replica r1)`. */
  owner: string;
  pid: number;
  host: string;
  acquiredAt: number;
  /** Locks of the healer expire (a crashed replica's lock lapses); operators' locks do not. */
  expiresAt?: number;
  /** The fencing token of the healer's lease when it took the lock. */
  fence?: number;
}

/** The outcome of trying to take a lock. */
export type LockResult = { ok: true; lock: TargetLock } | { ok: false; held: TargetLock };

/** An operator's action (CLI, runbook), journaled before (`intent`) and after (the outcome). */
export interface OperatorActionRecord {
  at: number;
  /** `cli`, `runbook:<name>`. */
  actor: string;
  target: string;
  /** `rollback`, `force-stop`, `rebalance execute`, `force-unlock`, a runbook step. */
  action: string;
  detail?: string;
}

/** What became of an operator's action. */
export type OperatorOutcome = 'done' | 'failed' | 'refused';

/** A journaled operator action with its outcome so far. */
export interface OperatorActionHistory extends OperatorActionRecord {
  id: string;
  outcome?: { at: number; status: OperatorOutcome; detail?: string };
}

/** The port. Every method may throw StreamctlError UNAVAILABLE when the store cannot be reached. */
export interface CoordinationStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it is, for logs and doctor (a file, or host:port/db — never a password). */
  readonly location: string;
  /** The healer journal; with a fence, every write is rejected once the token is stale. */
  journal(fence?: Fence): HealerJournal;

  /**
   * Takes the lease if it is free, expired, or already ours (then renewed, same token). A new
   * acquisition bumps the token. Atomic: two replicas never both get it.
   */
  tryAcquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now: number,
    opts?: { takeOverFrom?: { holder: string; token: number } },
  ): Promise<LeaseResult>;
  /** Extends our lease; false when it is no longer ours with this token (lost: stop acting). */
  renewLease(name: string, holder: string, token: number, ttlMs: number, now: number): Promise<boolean>;
  /** Gives the lease up at once (clean shutdown), keeping its token for the next holder to bump. */
  releaseLease(name: string, holder: string, token: number): Promise<void>;
  leases(prefix?: string): Promise<LeaseRecord[]>;

  /**
   * Takes a target's lock unless someone holds it. `takeOver`: the id of a held lock the caller
   * found stale (expired, dead PID): replaced only if it is still that one. With a fence the lock
   * is taken only while the fence is current.
   */
  tryLock(
    req: Omit<TargetLock, 'id' | 'acquiredAt'>,
    now: number,
    opts?: { takeOver?: string; fence?: Fence },
  ): Promise<LockResult>;
  /** Pushes an expiring lock's expiry (a long run's heartbeat); false when it is no longer ours. */
  extendLock(target: string, id: string, expiresAt: number): Promise<boolean>;
  /** Releases the lock if it is still this acquisition. */
  unlock(target: string, id: string): Promise<void>;
  /** Removes the lock whoever holds it (`--force-unlock`); returns what was removed. */
  forceUnlock(target: string): Promise<TargetLock | undefined>;
  readLock(target: string): Promise<TargetLock | undefined>;
  locks(): Promise<TargetLock[]>;

  /** Journals an operator's action before it runs; returns its id. */
  recordOperatorAction(r: OperatorActionRecord): Promise<string>;
  recordOperatorOutcome(id: string, at: number, status: OperatorOutcome, detail?: string): Promise<void>;
  operatorActions(opts?: { target?: string; limit?: number }): Promise<OperatorActionHistory[]>;

  /** Membership of healer replicas and the shards' published fleet counts (sharded daemons). */
  shards(): ShardRegistry;

  /** Applied schema version (migrations run on open). */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/** The lock key of a target. */
export function targetKey(kind: 'kafka' | 'flink', name: string): string {
  return `${kind}:${name}`;
}

/** A healer replica's membership row (a sharded daemon heartbeats it every lease TTL / 3). */
export interface MemberRecord {
  replica: string;
  startedAt: number;
  heartbeatAt: number;
  expiresAt: number;
  /** The K it runs with (healer.store.shards): replicas disagreeing on K must not act together. */
  shards: number;
}

/** The fleet counts a shard's leader published, with the token it held. */
export interface PublishedFleetCounts {
  lease: string;
  token: number;
  at: number;
  contexts: FleetContext[];
}

/**
 * What sharded healer replicas share besides leases: who is alive (to balance the shards) and each
 * shard's looping counts (so the fleet breaker sees the whole fleet).
 */
export interface ShardRegistry {
  /** Creates or extends this replica's membership (running with K = `shards`) until now + ttlMs. */
  heartbeat(replica: string, ttlMs: number, now: number, shards: number): Promise<void>;
  /** Removes this replica's membership at once (clean shutdown: the others rebalance now). */
  leave(replica: string): Promise<void>;
  /** Every membership row, expired ones included (the caller decides who is live). */
  members(): Promise<MemberRecord[]>;
  /** Replaces the shard's published counts; StaleFenceError unless `fence` is current (nothing written). */
  publishFleetCounts(fence: Fence, contexts: readonly FleetContext[], now: number): Promise<void>;
  /** Every shard's latest publication. */
  fleetCounts(): Promise<PublishedFleetCounts[]>;
}
