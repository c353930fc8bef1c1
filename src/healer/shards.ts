/**
 * Shards of the healer's fleet, for fleets beyond one process. Pure: the caller reads the store
 * (membership heartbeats, shard leases, published fleet counts) and does what the plan says.
 *
 * An application belongs to shard `fnv1a32(name) mod K`, where `name` is the application's name in
 * streamctl (flink.applications[].name, or the MSF application name when discovered): the key of
 * its journal rows and of its lock, so a shard owns exactly the journal of its applications. The
 * hash is FNV-1a, 32 bits, over the UTF-16 code units of the name: stable across processes, hosts
 * and Node versions (never Math.random, never a per-process seed). Changing K moves applications
 * between shards: do it with every replica stopped (docs/deployment.md).
 *
 * Balance: with L live replicas each aims at ceil(K / L) shards. A replica below its target takes
 * free or expired shards; above it, it releases the surplus (after its tick); at the target it
 * changes nothing, so a balanced fleet stays put (no flapping). No shard stays free: while one is
 * free, some live replica is below its target (L · ceil(K / L) ≥ K), and takes it.
 */

/** The lease name of shard `i` (shard 0 is the single lease of an unsharded fleet). */
export function shardLeaseName(i: number): string {
  return `healer/shard-${i}`;
}

/** The shard of a lease name, or undefined for another lease. */
export function shardOfLease(name: string): number | undefined {
  const m = /^healer\/shard-(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** FNV-1a, 32 bits, over the UTF-16 code units of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The shard (0..k-1) of an application. */
export function shardOf(app: string, k: number): number {
  return k <= 1 ? 0 : fnv1a32(app) % k;
}

/** A replica's membership row: alive until `expiresAt` unless it heartbeats again. */
export interface ShardMember {
  replica: string;
  expiresAt: number;
  /** The K it runs with. */
  k?: number;
}

/** Who holds a shard's lease, as last read. */
export interface ShardHold {
  shard: number;
  holder: string;
  expiresAt: number;
}

/** What a replica should do with the shards this round. */
export interface ShardPlan {
  /** Live replicas (sorted), this one included. */
  live: string[];
  /** ceil(K / live). */
  target: number;
  /** Shards this replica holds and keeps. */
  keep: number[];
  /** Free or expired shards to try to take (the store decides races). */
  acquire: number[];
  /** Held shards to give up, gracefully, after the current tick. */
  release: number[];
  /**
   * Why no replica may act with this plan (every shard is released): another live replica runs
   * with another K, or a lease is held by a healer that never joined the membership (K = 1, or a
   * build without shards). Both would map applications to other leases and act on them twice.
   */
  conflict?: string;
}

/** Input of planShards. */
export interface ShardPlanInput {
  me: string;
  k: number;
  now: number;
  members: readonly ShardMember[];
  holds: readonly ShardHold[];
}

/** Which shards this replica should acquire and release (see the header for the rules). */
export function planShards(input: ShardPlanInput): ShardPlan {
  const { me, k, now } = input;
  const live = [
    ...new Set([me, ...input.members.filter((m) => m.expiresAt > now).map((m) => m.replica)]),
  ].sort();
  const target = Math.ceil(k / live.length);
  const holder = new Map<number, string>();
  for (const h of input.holds)
    if (h.shard >= 0 && h.shard < k && h.expiresAt > now) holder.set(h.shard, h.holder);
  const mine = [...holder].filter(([, r]) => r === me).map(([s]) => s);
  const conflict = conflictOf(input);
  if (conflict)
    return { live, target, keep: [], acquire: [], release: [...mine].sort((a, b) => a - b), conflict };
  const free = rotate(
    Array.from({ length: k }, (_, s) => s).filter((s) => !holder.has(s)),
    live.indexOf(me),
    live.length,
    k,
  );
  if (mine.length > target) {
    const sorted = [...mine].sort((a, b) => a - b);
    return { live, target, keep: sorted.slice(0, target), acquire: [], release: sorted.slice(target) };
  }
  const acquire = free.slice(0, target - mine.length);
  return { live, target, keep: [...mine].sort((a, b) => a - b), acquire, release: [] };
}

/** Why replicas must not act together (see ShardPlan.conflict), or undefined. */
function conflictOf({ me, k, now, members, holds }: ShardPlanInput): string | undefined {
  const other = members.find((m) => m.replica !== me && m.expiresAt > now && m.k !== undefined && m.k !== k);
  if (other)
    return `replica ${other.replica} runs with ${other.k} shards and this one with ${k}: stop every replica to change healer.store.shards`;
  const known = new Set([me, ...members.map((m) => m.replica)]);
  const stranger = holds.find((h) => h.expiresAt > now && !known.has(h.holder));
  if (stranger)
    return `${stranger.holder} holds ${shardLeaseName(stranger.shard)} without joining the shard membership (a healer with healer.store.shards = 1 or an older build): stop it, or run every replica with the same shards`;
  return undefined;
}

/**
 * Free shards ordered from this replica's slice of the ring (index·K/L) onwards, so replicas
 * starting together mostly try different shards instead of racing for the same ones.
 */
function rotate(free: number[], index: number, liveCount: number, k: number): number[] {
  const start = Math.floor((index * k) / liveCount);
  return [...free].sort((a, b) => ((a - start + k) % k) - ((b - start + k) % k));
}
