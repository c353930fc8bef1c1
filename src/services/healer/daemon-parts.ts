/**
 * The parts of a running healer daemon (daemon.ts): the ports and notifier the command brings
 * (cli/healer-edge.ts builds the AWS clients), then, once the coordination store is open, the
 * leader lease, the guarded journal under the lease's fencing token, the live ports behind the
 * per-target locks, and the tick loop over them.
 */
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { parseDuration } from '../../core/clock.js';
import { defaultClassifier } from '../../healer/classifier.js';
import type { HealerPolicy } from '../../healer/policy.js';
import type { FlinkRestPort } from '../../probes/flink-rest/index.js';
import type { Notifier } from '../../probes/notify/index.js';
import type { CoordinationStore } from '../../store/port.js';
import type { AppTarget, FlinkPorts } from '../flink/context.js';
import { LockAwareObserver, LockedHealerActions } from './coordination.js';
import { JournalGuard } from './journal-guard.js';
import { healerReplicaId, logLeaseChange, standby } from './leadership.js';
import { LeaderLease } from './lease.js';
import type { DaemonLogger } from './logger.js';
import type { DaemonMetrics } from './metrics.js';
import type { startDaemonServer } from './server.js';
import type { LeaseGate, Loop } from './tick-loop.js';
import { buildLivePorts } from './wiring.js';

/** What `streamctl healer run` gives the daemon (cli/healer-edge.ts); tests bring fakes for the ports. */
export interface DaemonOptions {
  config: Config;
  logger: DaemonLogger;
  /** Aborting stops the daemon after the current tick (SIGTERM/SIGINT in the command). */
  signal: AbortSignal;
  clock?: Clock;
  /** The Flink ports (the command's over the AWS SDK; tests: over fakes). The daemon closes them. */
  ports: FlinkPorts;
  notifier: Pick<Notifier, 'notify' | 'channels'>;
  /**
   * The controller the ports' clients were built with: aborted once the shutdown grace has elapsed,
   * which cuts the calls in flight (default: a new one, for ports that take no signal).
   */
  calls?: AbortController;
  /** Tests: the Flink REST port of an app (default: presigned for MSF, direct for self-managed). */
  restPort?: (t: AppTarget) => FlinkRestPort;
  /** The coordination store (default: the one healer.store names, opened by the daemon). */
  store?: CoordinationStore;
  /** This replica's name in leases and locks (default: healer.store.replicaId, else host/pid). */
  replicaId?: string;
  /** Overrides healer.daemon.listen (tests: 127.0.0.1:0). */
  listen?: string;
  onListening?: (url: string) => void;
}

/** The ports of the outside world the options bring: the AWS SDK's, or the tests' fakes. */
export interface EdgePorts {
  ports: FlinkPorts;
  notifier: Pick<Notifier, 'notify' | 'channels'>;
}

/** What the running daemon holds: built once the store is open, released when it stops. */
export interface Daemon {
  opts: DaemonOptions;
  clock: Clock;
  policy: HealerPolicy;
  calls: AbortController;
  edge: EdgePorts;
  metrics: DaemonMetrics;
  server: Awaited<ReturnType<typeof startDaemonServer>>;
  store: CoordinationStore;
  lease: LeaderLease;
  guard: JournalGuard;
  live: ReturnType<typeof buildLivePorts>;
  loop: Loop;
}

/**
 * Wires the leader lease, the guarded journal under its fencing token, the live ports behind the
 * per-target locks, and the tick loop over them.
 */
export function assemble(
  opts: DaemonOptions,
  parts: Omit<Daemon, 'opts' | 'lease' | 'guard' | 'live' | 'loop'>,
): Daemon {
  const { config, logger: log } = opts;
  const { clock, policy, store, metrics } = parts;
  const replica = opts.replicaId ?? healerReplicaId(config.healer.store.replicaId);
  const leaseTtlMs = parseDuration(config.healer.store.leaseTtl) ?? 15_000;
  const lease = new LeaderLease(store, 'healer/shard-0', replica, leaseTtlMs, clock, (c) =>
    logLeaseChange(log, c, replica),
  );
  // The journal the tick writes: the store's, under the current fencing token (a write with a stale
  // token is rejected in the same transaction), behind the guard that refuses to act on a fault.
  const guard = new JournalGuard(
    () => store.journal(lease.fence()),
    store.kind === 'sqlite' ? store.location : 'the coordination store',
    !opts.store && store.kind === 'sqlite',
  );
  const live = buildLivePorts({
    config,
    policy,
    ports: parts.edge.ports,
    clock,
    notifier: parts.edge.notifier,
    log,
    signal: parts.calls.signal,
    ...(opts.restPort ? { restPort: opts.restPort } : {}),
  });
  const fence = () => lease.fence();
  const now = () => clock.now();
  const loop: Loop = {
    deps: {
      observer: new LockAwareObserver(live.observer, store, fence),
      actions: new LockedHealerActions(live.actions, store, replica, fence, now),
      journal: guard.journal,
      classifier: defaultClassifier,
      policy,
      healingEnabled: (app) => live.observer.member(app)?.healingEnabled ?? true,
      now,
    },
    guard,
    clock,
    signal: opts.signal,
    metrics,
    log,
    health: { consecutiveFailed: 0 },
    summary: { ticks: 0, failedTicks: 0, actions: 0, resumedActions: 0, stoppedAt: '' },
    lease: leaseGate(lease, live.observer, clock, policy.tickIntervalMs, leaseTtlMs, metrics, log),
  };
  return { ...parts, opts, lease, guard, live, loop };
}

/** The tick loop's view of the lease: refresh it, and observe while standing by. */
function leaseGate(
  lease: LeaderLease,
  observer: Parameters<typeof standby>[0],
  clock: Clock,
  tickIntervalMs: number,
  leaseTtlMs: number,
  metrics: DaemonMetrics,
  log: DaemonLogger,
): LeaseGate {
  return {
    refresh: async () => {
      await lease.refresh();
      metrics.setLease(lease.view(), clock.now());
      return lease.fence()?.token;
    },
    standby: (nextFull) => standby(observer, nextFull, clock, tickIntervalMs, log),
    retryMs: Math.max(1, Math.floor(leaseTtlMs / 3)),
  };
}
