/**
 * What a sharded replica shows of its shards: the /healthz fields (role, and per shard held: role,
 * token, lease age) and the /metrics gauges, read from the ShardManager at request time.
 */
import { Gauge, type Registry } from 'prom-client';
import { type HealthLimits, healthView } from './health.js';
import type { HealthView } from './server.js';
import type { ShardManager } from './shard-manager.js';

/** One held shard as /healthz shows it. */
export interface ShardHealth {
  shard: number;
  role: 'leader';
  token: number;
  leaseAgeSeconds: number;
  leaseExpiresAt: string;
}

/**
 * /healthz of a sharded replica: `leader` while it holds at least one shard, else `standby`; the
 * shards held; and the worst shard's tick health (journal fault, stalled, failing), naming it.
 */
export function shardedHealth(
  m: ShardManager,
  replica: string,
  now: number,
  limits: HealthLimits,
): HealthView & { shards: ShardHealth[]; shardCount: number; liveReplicas: number; shardTarget: number } {
  const shards = m.held().map((v) => ({
    shard: v.shard,
    role: v.role,
    token: v.token,
    leaseAgeSeconds: Math.max(0, Math.round((now - v.acquiredAt) / 1000)),
    leaseExpiresAt: new Date(v.expiresAt).toISOString(),
  }));
  const views = m.all().map((w) => ({
    shard: w.shard,
    view: healthView({ ...w.health, journalFault: w.journalFault() }, now, limits),
  }));
  const worst = views.find((v) => !v.view.ok);
  const base = worst
    ? { ...worst.view, reason: `shard ${worst.shard}: ${worst.view.reason ?? worst.view.status}` }
    : (views.find((v) => v.view.status === 'ok')?.view ?? healthView({ consecutiveFailed: 0 }, now, limits));
  return {
    ...base,
    role: shards.length > 0 ? 'leader' : 'standby',
    replica,
    ...(m.balance.conflict
      ? { notActingBecause: m.balance.conflict }
      : shards.length === 0
        ? { notActingBecause: 'no shard held by this replica' }
        : {}),
    shards,
    shardCount: m.balance.k,
    liveReplicas: m.balance.live.length,
    shardTarget: m.balance.target,
  };
}

/** The shard gauges, on the daemon's registry, collected from the manager at each scrape. */
export function registerShardMetrics(registry: Registry, m: ShardManager, now: () => number): void {
  new Gauge({
    name: 'streamctl_healer_shards_held',
    help: 'Shards whose lease this replica holds (it acts on their applications).',
    registers: [registry],
    collect() {
      this.set(m.held().length);
    },
  });
  new Gauge({
    name: 'streamctl_healer_shard_lease_token',
    help: 'Fencing token of each shard lease this replica holds.',
    labelNames: ['shard'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of m.held()) this.set({ shard: String(v.shard) }, v.token);
    },
  });
  new Gauge({
    name: 'streamctl_healer_shard_lease_age_seconds',
    help: 'Seconds since this replica acquired each shard lease it holds.',
    labelNames: ['shard'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of m.held())
        this.set({ shard: String(v.shard) }, Math.max(0, (now() - v.acquiredAt) / 1000));
    },
  });
  new Gauge({
    name: 'streamctl_healer_live_replicas',
    help: 'Healer replicas with a fresh heartbeat, as this replica last read them.',
    registers: [registry],
    collect() {
      this.set(m.balance.live.length);
    },
  });
}
