/**
 * One shard held by a sharded daemon replica: the shard's lease (its own fencing token), its
 * journal (reads filtered to its applications, writes fenced by its token), an observer and actions
 * over its applications only, and a tick loop (tick-loop.ts) that runs while the lease is held.
 *
 * Lost lease (another replica took it after a pause): the loop ends at its next turn; the manager
 * drops the worker. Released (surplus, shutdown): the signal stops the loop after the tick in
 * progress, then the lease is given up at once so another replica takes the shard without waiting.
 */
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { defaultClassifier } from '../../healer/classifier.js';
import type { HealerPolicy } from '../../healer/policy.js';
import { shardLeaseName, shardOf } from '../../healer/shards.js';
import type { FlinkRestPort } from '../../probes/flink-rest/index.js';
import type { Notifier } from '../../probes/notify/index.js';
import type { CoordinationStore } from '../../store/port.js';
import type { AppTarget, FlinkPorts } from '../flink/context.js';
import { LockAwareObserver, LockedHealerActions } from './coordination.js';
import { StoreFleetPeers } from './fleet-peers.js';
import type { Health } from './health.js';
import { JournalGuard } from './journal-guard.js';
import { logLeaseChange } from './leadership.js';
import { LeaderLease } from './lease.js';
import type { DaemonLogger } from './logger.js';
import type { DaemonMetrics } from './metrics.js';
import { shardJournal } from './shard-scope.js';
import { type Loop, tickLoop } from './tick-loop.js';
import { buildLivePorts } from './wiring.js';

/** What every shard worker of a replica shares. */
export interface ShardWorkerDeps {
  config: Config;
  policy: HealerPolicy;
  store: CoordinationStore;
  /** The replica's ports (ListApplications shared between its shards: shard-scope.ts). */
  ports: FlinkPorts;
  clock: Clock;
  notifier: Pick<Notifier, 'notify'>;
  log: DaemonLogger;
  metrics: DaemonMetrics;
  replica: string;
  k: number;
  leaseTtlMs: number;
  /** The SQLite journal file is the daemon's own (JournalGuard checks it was not swapped). */
  ownedJournal: boolean;
  /** Aborted after the shutdown grace: cuts the calls in flight. */
  calls: AbortSignal;
  restPort?: (t: AppTarget) => FlinkRestPort;
}

/** A shard's lease and tick loop. */
export class ShardWorker {
  readonly lease: LeaderLease;
  readonly health: Health = { consecutiveFailed: 0 };
  readonly summary = { ticks: 0, failedTicks: 0, actions: 0, resumedActions: 0, stoppedAt: '' };
  private readonly stopSignal = new AbortController();
  private done: Promise<void> | undefined;
  private guard: JournalGuard | undefined;

  constructor(
    private readonly d: ShardWorkerDeps,
    readonly shard: number,
  ) {
    const log = d.log.child({ shard });
    this.lease = new LeaderLease(d.store, shardLeaseName(shard), d.replica, d.leaseTtlMs, d.clock, (c) =>
      logLeaseChange(log, c, d.replica),
    );
  }

  /** Tries to take the shard's lease; when taken, starts its tick loop (not awaited). */
  async start(): Promise<boolean> {
    await this.lease.refresh();
    if (!this.lease.fence()) return false;
    this.lease.start();
    this.done = this.run().catch((e) => {
      // Not running any more: the manager releases the shard at its next round (never held idle).
      this.stopSignal.abort();
      this.d.log.error({ shard: this.shard, error: (e as Error).message }, 'shard loop crashed');
    });
    return true;
  }

  /** Whether the loop still runs (false once the lease was lost or the worker stopped). */
  running(): boolean {
    return this.done !== undefined && !this.stopSignal.signal.aborted;
  }

  /** Stops after the tick in progress, then gives the lease up at once. */
  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.done;
    await this.lease.stop();
    await this.guard?.close();
    this.summary.stoppedAt = new Date(this.d.clock.now()).toISOString();
  }

  /** Whether the journal is unusable (for /healthz). */
  journalFault(): string | undefined {
    return this.guard?.fault;
  }

  private async run(): Promise<void> {
    const { d, lease, shard } = this;
    const inScope = (app: string) => shardOf(app, d.k) === shard;
    const log = d.log.child({ shard });
    this.guard = new JournalGuard(
      () => shardJournal(d.store.journal(lease.fence()), inScope, d.k),
      d.store.kind === 'sqlite' ? d.store.location : 'the coordination store',
      d.ownedJournal,
    );
    const live = buildLivePorts({
      config: d.config,
      policy: d.policy,
      ports: d.ports,
      clock: d.clock,
      notifier: d.notifier,
      log,
      signal: d.calls,
      inScope,
      ...(d.restPort ? { restPort: d.restPort } : {}),
    });
    const fence = () => lease.fence();
    const loop: Loop = {
      deps: {
        observer: new LockAwareObserver(live.observer, d.store, fence),
        actions: new LockedHealerActions(live.actions, d.store, d.replica, fence, () => d.clock.now()),
        journal: this.guard.journal,
        classifier: defaultClassifier,
        policy: d.policy,
        healingEnabled: (app) => live.observer.member(app)?.healingEnabled ?? true,
        now: () => d.clock.now(),
        fleetPeers: new StoreFleetPeers({
          registry: d.store.shards(),
          journal: () => d.store.journal(),
          shard,
          k: d.k,
          fence,
          maxAgeMs: d.leaseTtlMs + 2 * d.policy.tickIntervalMs,
        }),
      },
      guard: this.guard,
      clock: d.clock,
      signal: this.stopSignal.signal,
      metrics: d.metrics,
      log,
      health: this.health,
      summary: this.summary,
      lease: {
        refresh: async () => {
          await lease.refresh();
          return lease.fence()?.token;
        },
        // Lost: this worker ends; the manager decides whether to try the shard again.
        standby: async (nextFull) => {
          this.stopSignal.abort();
          return nextFull;
        },
        retryMs: 0,
      },
    };
    await tickLoop(loop);
  }
}
