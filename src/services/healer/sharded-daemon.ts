/**
 * `healer run` with healer.store.shards = K > 1: instead of one leader for the whole fleet, this
 * replica holds about ceil(K / live replicas) shards (shard-manager.ts), each with its own lease,
 * fencing token, journal view and tick loop. The shards of one replica share its AWS clients and
 * one ListApplications per region and tick (shard-scope.ts).
 */
import type { HealthLimits } from './health.js';
import type { HealthView } from './server.js';
import { ShardManager } from './shard-manager.js';
import { sharedListings } from './shard-scope.js';
import { registerShardMetrics, shardedHealth } from './shard-status.js';
import type { ShardWorkerDeps } from './shard-worker.js';
import type { DaemonSummary } from './tick-loop.js';

/** What the sharded run needs beyond the workers' deps. */
export interface ShardedDaemonInput extends ShardWorkerDeps {
  signal: AbortSignal;
  limits: HealthLimits;
  /** The /metrics and /healthz base URL (logged at start, as the unsharded daemon does). */
  endpoint: string;
  /** Installs the /healthz answer of the sharded replica. */
  setHealth(health: () => HealthView): void;
}

/** Runs the replica's shards until `signal`; every shard is released (after its tick) on the way out. */
export async function runShardedDaemon(i: ShardedDaemonInput): Promise<DaemonSummary> {
  // Shards of a replica tick within a few seconds of each other: one listing serves them all.
  const ports = sharedListings(i.ports, i.clock, Math.min(10_000, Math.floor(i.policy.tickIntervalMs / 4)));
  const manager = new ShardManager({ ...i, ports });
  registerShardMetrics(i.metrics.registry, manager, () => i.clock.now());
  i.setHealth(() => shardedHealth(manager, i.replica, i.clock.now(), i.limits));
  i.log.info(
    {
      replica: i.replica,
      endpoint: i.endpoint,
      shards: i.k,
      leaseTtlMs: i.leaseTtlMs,
      mode: i.policy.mode,
      tickIntervalMs: i.policy.tickIntervalMs,
    },
    `healer started: ${i.k} shards balanced over the live replicas (${i.policy.mode})`,
  );
  await manager.run(i.signal);
  return { ...manager.summary(), stoppedAt: new Date(i.clock.now()).toISOString() };
}
