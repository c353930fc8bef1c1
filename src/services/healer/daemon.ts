/**
 * `streamctl healer run`: the live loop around the pure core (src/services/healer/tick.ts).
 *
 *   start ─▶ open journal ─▶ resume (resumeFleetState) ─▶ listen /metrics /healthz
 *     ┌────────────────────────────────────────────────────────────────────────┐
 *     ▼                                                                        │
 *   due? full tick every healer.tickInterval, suspects at their nextCheckAt ──┤
 *     │ runTick(deps, state, now, suspects?) → state, report → metrics, logs   │
 *     └─ sleep until the next due time (SIGTERM/SIGINT wakes it and stops) ────┘
 *   stop ─▶ the current tick finishes (after healer.daemon.shutdownGrace its calls in flight are
 *           aborted) ─▶ close server, journal, AWS clients
 *
 * A journal that cannot be opened or written (a garbage file, a full volume) stops the ticks: the
 * daemon refuses to act and /healthz says why, until the journal takes a write again (JournalGuard).
 *
 * Leadership (lease.ts): N replicas share the coordination store; only the holder of the lease
 * `healer/shard-0` ticks and acts, every journal write and lock under its fencing token. Standbys
 * keep observing (base tier, every tickInterval) and try the lease every leaseTtl/3; the one that
 * gets it resumes from the journal and acts on its first tick.
 *
 * After kill -9 the next start resumes from the journal: an intent without an outcome puts the app
 * in `acting` and the first tick reconciles it with ListApplicationOperations — an action that
 * reached MSF is verified, never repeated. A tick that throws after journaling an action rebuilds
 * the state from the journal the same way, so a crash inside the process is no worse than kill -9.
 */
import type { Config } from '../../config/schema.js';
import { type Clock, parseDuration, systemClock } from '../../core/clock.js';
import { defaultClassifier } from '../../healer/classifier.js';
import { policyFromConfig } from '../../healer/policy.js';
import { type ApiCallStats, type AwsClients, createAwsClients } from '../../probes/aws-clients.js';
import type { FlinkRestPort } from '../../probes/flink-rest/index.js';
import { createNotifier, type Notifier } from '../../probes/notify/index.js';
import { createSnsPublisher } from '../../probes/notify/sns.js';
import type { CoordinationStore } from '../../store/port.js';
import { type AppTarget, awsFlinkPorts, type FlinkPorts } from '../flink/context.js';
import { LockAwareObserver, LockedHealerActions } from './coordination.js';
import { armGrace, logStart, openStoreWhenUsable } from './daemon-support.js';
import { type HealthLimits, healthView } from './health.js';
import { JournalGuard } from './journal-guard.js';
import { healerReplicaId, leaseHealth, logLeaseChange, standby } from './leadership.js';
import { LeaderLease } from './lease.js';
import type { DaemonLogger } from './logger.js';
import type { DaemonSummary } from './tick-loop.js';

export type { DaemonSummary } from './tick-loop.js';

import { createDaemonMetrics, type DaemonMetrics } from './metrics.js';
import { type HealthView, startDaemonServer } from './server.js';
import { runShardedDaemon } from './sharded-daemon.js';
import { type LeaseGate, type Loop, tickLoop } from './tick-loop.js';
import { buildLivePorts } from './wiring.js';

export interface DaemonOptions {
  config: Config;
  logger: DaemonLogger;
  /** Aborting stops the daemon after the current tick (SIGTERM/SIGINT in the command). */
  signal: AbortSignal;
  clock?: Clock;
  /** Tests: ports over fakes instead of the AWS SDK. */
  ports?: FlinkPorts;
  notifier?: Pick<Notifier, 'notify' | 'channels'>;
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

export async function runDaemon(opts: DaemonOptions): Promise<DaemonSummary> {
  const { config, logger: log, signal } = opts;
  const clock = opts.clock ?? systemClock;
  const policy = policyFromConfig(config.healer);
  const daemonCfg = config.healer.daemon;
  // Aborted once the shutdown grace has elapsed: cuts the calls in flight of a tick that hangs.
  const calls = new AbortController();
  let aws: AwsClients | undefined;
  if (!opts.ports || !opts.notifier) aws = createAwsClients(config.aws, { signal: calls.signal });
  const ports = opts.ports ?? awsFlinkPorts(config, aws);
  const notifier =
    opts.notifier ??
    createNotifier(config.notifications, {
      ...(config.notifications.sns && aws ? { sns: createSnsPublisher(aws.sns(config.aws.region)) } : {}),
      onError: (channel, message) => log.warn({ channel, error: message }, 'notification failed'),
    });
  const metrics = createDaemonMetrics(() => ports.apiCallStats() as ApiCallStats);
  // /healthz answers from the start, before the store is open: a store that cannot be opened (a
  // garbage journal file, PostgreSQL down) is a journal fault the daemon names while it waits.
  let storeFault: string | undefined;
  let health: () => HealthView = () =>
    storeFault
      ? {
          ok: false,
          status: 'journal-fault',
          reason: `refusing to act: ${storeFault}`,
          consecutiveFailedTicks: 0,
          mode: policy.mode,
        }
      : { ok: true, status: 'starting', consecutiveFailedTicks: 0, mode: policy.mode };
  const server = await startDaemonServer(opts.listen ?? daemonCfg.listen, {
    contentType: metrics.registry.contentType,
    metrics: () => metrics.text(),
    health: () => health(),
  });
  opts.onListening?.(server.url);
  const store =
    opts.store ??
    (await openStoreWhenUsable(config, signal, clock, log, (f) => {
      storeFault = f;
    }).catch(async (e) => {
      await server.close();
      throw e;
    }));
  if (!store) {
    await server.close();
    return {
      ticks: 0,
      failedTicks: 0,
      actions: 0,
      resumedActions: 0,
      stoppedAt: new Date(clock.now()).toISOString(),
    };
  }
  const replica = opts.replicaId ?? healerReplicaId(config.healer.store.replicaId);
  const leaseTtlMs = parseDuration(config.healer.store.leaseTtl) ?? 15_000;
  const limits: HealthLimits = {
    failLimit: daemonCfg.unhealthyAfterFailedTicks,
    tickDeadlineMs: parseDuration(daemonCfg.tickDeadline) ?? 120_000,
    mode: policy.mode,
  };
  const graceMs = parseDuration(daemonCfg.shutdownGrace) ?? 10_000;
  const disarm = armGrace(signal, graceMs, () => {
    log.warn({ graceMs }, 'shutdown grace elapsed: aborting the calls in flight');
    calls.abort();
  });
  const shutdown = async () => {
    disarm();
    await server.close();
    if (!opts.store) await store.close();
    ports.close();
    aws?.destroy();
  };
  // Sharded (healer.store.shards > 1, sharded-daemon.ts): each shard its own lease and tick loop.
  if (config.healer.store.shards > 1)
    return runShardedDaemon({
      ...{ config, policy, store, ports, clock, notifier, log, metrics, replica, leaseTtlMs, signal, limits },
      k: config.healer.store.shards,
      ownedJournal: !opts.store && store.kind === 'sqlite',
      calls: calls.signal,
      ...(opts.restPort ? { restPort: opts.restPort } : {}),
      endpoint: server.url,
      setHealth: (h) => {
        health = h;
      },
    }).finally(shutdown);
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
    ports,
    clock,
    notifier,
    log,
    signal: calls.signal,
    ...(opts.restPort ? { restPort: opts.restPort } : {}),
  });
  const loop: Loop = {
    deps: {
      observer: new LockAwareObserver(live.observer, store, () => lease.fence()),
      actions: new LockedHealerActions(
        live.actions,
        store,
        replica,
        () => lease.fence(),
        () => clock.now(),
      ),
      journal: guard.journal,
      classifier: defaultClassifier,
      policy,
      healingEnabled: (app) => live.observer.member(app)?.healingEnabled ?? true,
      now: () => clock.now(),
    },
    guard,
    clock,
    signal,
    metrics,
    log,
    health: { consecutiveFailed: 0 },
    summary: { ticks: 0, failedTicks: 0, actions: 0, resumedActions: 0, stoppedAt: '' },
    lease: leaseGate(lease, live.observer, clock, policy.tickIntervalMs, leaseTtlMs, metrics, log),
  };
  health = () => ({
    ...leaseHealth(lease.view(), clock.now()),
    ...healthView({ ...loop.health, journalFault: guard.fault }, clock.now(), limits),
  });
  try {
    lease.start();
    logStart(
      log,
      config,
      policy,
      server.url,
      live.observer.fleet().map((m) => m.name),
      notifier.channels,
    );
    await tickLoop(loop);
    log.info(
      { ticks: loop.summary.ticks, failedTicks: loop.summary.failedTicks, aborted: calls.signal.aborted },
      calls.signal.aborted
        ? 'healer stopping: signal received, the current tick was cut short after the grace'
        : 'healer stopping: signal received, current tick finished',
    );
  } finally {
    await lease.stop();
    await guard.close();
    await shutdown();
    loop.summary.stoppedAt = new Date(clock.now()).toISOString();
  }
  return loop.summary;
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
