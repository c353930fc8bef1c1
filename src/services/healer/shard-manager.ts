/**
 * A sharded daemon replica's shards (healer.store.shards = K > 1): every round (leaseTtl / 3) it
 * heartbeats its membership, reads the membership and the shard leases, asks the pure planShards
 * (src/healer/shards.ts) what to take and give up, and starts or stops a ShardWorker per shard.
 * A surplus shard is released after its tick finishes (ShardWorker.stop); a dead replica's shards
 * are taken by the living once their leases expire (they stop heartbeating and renewing).
 */
import { planShards, shardOfLease } from '../../healer/shards.js';
import type { ShardRegistry } from '../../store/port.js';
import type { LeaseView } from './lease.js';
import type { DaemonMetrics } from './metrics.js';
import { ShardWorker, type ShardWorkerDeps } from './shard-worker.js';

/** One shard as /healthz, /metrics and logs show it. */
export interface ShardView {
  shard: number;
  role: 'leader';
  token: number;
  acquiredAt: number;
  expiresAt: number;
}

/** What the replica knows of the fleet's balance after its last round. */
export interface ShardBalance {
  k: number;
  live: string[];
  target: number;
  /** Why this replica acts on no shard (planShards' conflict), while it lasts. */
  conflict?: string;
}

/** The shards of this replica. */
export class ShardManager {
  private readonly workers = new Map<number, ShardWorker>();
  private readonly stopping = new Map<number, Promise<void>>();
  /** Per shard, what its loop last set of the fleet-level gauges (see metricsOf). */
  private readonly incidents = new Map<number, number>();
  private readonly failures = new Map<number, number>();
  private readonly registry: ShardRegistry;
  /** What the workers released so far did (a run's summary adds the ones still held). */
  private readonly totals = { ticks: 0, failedTicks: 0, actions: 0, resumedActions: 0 };
  balance: ShardBalance;

  constructor(private readonly d: ShardWorkerDeps) {
    this.registry = d.store.shards();
    this.balance = { k: d.k, live: [d.replica], target: d.k };
  }

  /** One round: heartbeat, plan, act on the plan. A store fault is logged and retried next round. */
  async round(): Promise<void> {
    const { d } = this;
    const now = d.clock.now();
    try {
      await this.registry.heartbeat(d.replica, d.leaseTtlMs, now, d.k);
      for (const [s, w] of this.workers) if (!w.running()) this.release(s, 'lease lost');
      const [members, leases] = await Promise.all([this.registry.members(), d.store.leases('healer/shard-')]);
      const holds = leases.flatMap((l) => {
        const shard = shardOfLease(l.name);
        return shard === undefined || this.stopping.has(shard)
          ? []
          : [{ shard, holder: l.holder, expiresAt: l.expiresAt }];
      });
      const plan = planShards({
        me: d.replica,
        k: d.k,
        now,
        members: members.map((m) => ({ replica: m.replica, expiresAt: m.expiresAt, k: m.shards })),
        holds,
      });
      if (plan.conflict && plan.conflict !== this.balance.conflict)
        d.log.error(
          { replica: d.replica, conflict: plan.conflict },
          'not acting on any shard: ' + plan.conflict,
        );
      this.balance = {
        k: d.k,
        live: plan.live,
        target: plan.target,
        ...(plan.conflict ? { conflict: plan.conflict } : {}),
      };
      for (const s of plan.release)
        this.release(s, `surplus: ${plan.live.length} live replicas, target ${plan.target}`);
      const wanted = [...plan.keep.filter((s) => !this.workers.has(s)), ...plan.acquire];
      for (const s of wanted) {
        if (this.workers.has(s) || this.stopping.has(s)) continue;
        const w = new ShardWorker({ ...d, metrics: this.metricsOf(s) }, s);
        if (await w.start()) {
          this.workers.set(s, w);
          d.log.info(
            { shard: s, replica: d.replica, target: plan.target, live: plan.live.length },
            'shard taken',
          );
        }
      }
    } catch (e) {
      d.log.warn({ error: (e as Error).message }, 'shard round failed: keeping the shards held, retrying');
    }
  }

  /** The daemon's metrics as one shard's loop sets them: gauges summed (incidents) or maxed over shards. */
  private metricsOf(shard: number): DaemonMetrics {
    const m = this.d.metrics;
    const { incidents, failures } = this;
    return {
      ...m,
      setOpenIncidents: (n) => {
        incidents.set(shard, n);
        m.setOpenIncidents([...incidents.values()].reduce((a, b) => a + b, 0));
      },
      setConsecutiveFailures: (n) => {
        failures.set(shard, n);
        m.setConsecutiveFailures(Math.max(0, ...failures.values()));
      },
    };
  }

  /** Stops a shard's worker after its tick, then releases its lease (in the background). */
  private release(shard: number, why: string): void {
    const w = this.workers.get(shard);
    if (!w) return;
    this.workers.delete(shard);
    this.d.log.info({ shard, replica: this.d.replica, why }, 'shard released after its tick');
    const p = w.stop().finally(() => {
      this.stopping.delete(shard);
      this.incidents.delete(shard);
      this.failures.delete(shard);
      for (const k of Object.keys(this.totals) as Array<keyof typeof this.totals>)
        this.totals[k] += w.summary[k];
    });
    this.stopping.set(shard, p);
  }

  /** Rounds every leaseTtl / 3 until `signal`; then every shard is released and the membership left. */
  async run(signal: AbortSignal): Promise<void> {
    const every = Math.max(200, Math.floor(this.d.leaseTtlMs / 3));
    while (!signal.aborted) {
      await this.round();
      await this.d.clock.sleep(every, signal).catch(() => undefined);
    }
    await this.stop();
  }

  /** Releases every shard after its tick and leaves the membership (a clean stop). */
  async stop(): Promise<void> {
    for (const s of [...this.workers.keys()]) this.release(s, 'shutdown');
    await Promise.all(this.stopping.values());
    await this.registry.leave(this.d.replica).catch(() => undefined);
  }

  /** The shards held now, with their tokens. */
  held(): ShardView[] {
    const out: ShardView[] = [];
    for (const w of this.workers.values()) {
      const v: LeaseView = w.lease.view();
      if (v.role === 'leader' && v.token !== undefined)
        out.push({
          shard: w.shard,
          role: 'leader',
          token: v.token,
          acquiredAt: v.acquiredAt!,
          expiresAt: v.expiresAt!,
        });
    }
    return out.sort((a, b) => a.shard - b.shard);
  }

  /** What every shard this replica held did, so far. */
  summary(): { ticks: number; failedTicks: number; actions: number; resumedActions: number } {
    const t = { ...this.totals };
    for (const w of this.workers.values())
      for (const k of Object.keys(t) as Array<keyof typeof t>) t[k] += w.summary[k];
    return t;
  }

  /** The workers (health and summaries). */
  all(): ShardWorker[] {
    return [...this.workers.values()];
  }
}
