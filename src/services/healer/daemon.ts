/**
 * `streamctl healer run`: the live loop around the pure core (src/services/healer/tick.ts); its
 * parts are built in daemon-parts.ts.
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
import { parseDuration, systemClock } from '../../core/clock.js';
import { type HealerPolicy, policyFromConfig } from '../../healer/policy.js';
import type { ApiCallStats } from '../../probes/aws-clients.js';
import { assemble, type Daemon, type DaemonOptions } from './daemon-parts.js';
import { armGrace, logStart, openStoreWhenUsable } from './daemon-support.js';
import { type HealthLimits, healthView } from './health.js';
import { healerReplicaId, leaseHealth } from './leadership.js';
import { createDaemonMetrics } from './metrics.js';
import { type HealthView, startDaemonServer } from './server.js';
import { runShardedDaemon } from './sharded-daemon.js';
import { type DaemonSummary, tickLoop } from './tick-loop.js';

export type { DaemonOptions } from './daemon-parts.js';
export type { DaemonSummary } from './tick-loop.js';

/** Runs the daemon until `opts.signal` aborts (or the store never opens): the stages of the header. */
export async function runDaemon(opts: DaemonOptions): Promise<DaemonSummary> {
  const clock = opts.clock ?? systemClock;
  const policy = policyFromConfig(opts.config.healer);
  // Aborted once the shutdown grace has elapsed: cuts the calls in flight of a tick that hangs.
  const calls = opts.calls ?? new AbortController();
  const edge = { ports: opts.ports, notifier: opts.notifier };
  const metrics = createDaemonMetrics(() => edge.ports.apiCallStats() as ApiCallStats);
  // /healthz answers from the start, before the store is open: a store that cannot be opened (a
  // garbage journal file, PostgreSQL down) is a journal fault the daemon names while it waits.
  let storeFault: string | undefined;
  const health = { view: (): HealthView => startingHealth(storeFault, policy) };
  const server = await startDaemonServer(opts.listen ?? opts.config.healer.daemon.listen, {
    contentType: metrics.registry.contentType,
    metrics: () => metrics.text(),
    health: () => health.view(),
  });
  opts.onListening?.(server.url);
  const store =
    opts.store ??
    (await openStoreWhenUsable(opts.config, opts.signal, clock, opts.logger, (f) => {
      storeFault = f;
    }).catch(async (e) => {
      await server.close();
      throw e;
    }));
  if (!store) {
    await server.close();
    const stoppedAt = new Date(clock.now()).toISOString();
    return { ticks: 0, failedTicks: 0, actions: 0, resumedActions: 0, stoppedAt };
  }
  const parts = { clock, policy, calls, edge, metrics, server, store };
  if (opts.config.healer.store.shards > 1)
    return runSharded(opts, parts, (h) => {
      health.view = h;
    });
  const daemon = assemble(opts, parts);
  health.view = () => runningHealth(daemon);
  return runUntilStopped(daemon);
}

/** The health limits of the daemon's configuration. */
function healthLimits(opts: DaemonOptions, policy: HealerPolicy): HealthLimits {
  const daemonCfg = opts.config.healer.daemon;
  return {
    failLimit: daemonCfg.unhealthyAfterFailedTicks,
    tickDeadlineMs: parseDuration(daemonCfg.tickDeadline) ?? 120_000,
    mode: policy.mode,
  };
}

/**
 * Sharded (healer.store.shards > 1, sharded-daemon.ts): each shard held by this replica has its own
 * lease, fencing token and tick loop; the same grace and release as the single-lease path.
 */
async function runSharded(
  opts: DaemonOptions,
  p: Omit<Daemon, 'opts' | 'lease' | 'guard' | 'live' | 'loop'>,
  setHealth: (h: () => HealthView) => void,
): Promise<DaemonSummary> {
  const { config, logger: log, signal } = opts;
  const graceMs = parseDuration(config.healer.daemon.shutdownGrace) ?? 10_000;
  const disarm = armGrace(signal, graceMs, () => {
    log.warn({ graceMs }, 'shutdown grace elapsed: aborting the calls in flight');
    p.calls.abort();
  });
  try {
    return await runShardedDaemon({
      ...{ config, policy: p.policy, store: p.store, ports: p.edge.ports, clock: p.clock, log, signal },
      notifier: p.edge.notifier,
      metrics: p.metrics,
      replica: opts.replicaId ?? healerReplicaId(config.healer.store.replicaId),
      leaseTtlMs: parseDuration(config.healer.store.leaseTtl) ?? 15_000,
      limits: healthLimits(opts, p.policy),
      k: config.healer.store.shards,
      ownedJournal: !opts.store && p.store.kind === 'sqlite',
      calls: p.calls.signal,
      ...(opts.restPort ? { restPort: opts.restPort } : {}),
      endpoint: p.server.url,
      setHealth,
    });
  } finally {
    disarm();
    await p.server.close();
    if (!opts.store) await p.store.close();
    p.edge.ports.close();
  }
}

/** /healthz before the store is open: starting, or refusing to act while the store is unusable. */
function startingHealth(storeFault: string | undefined, policy: HealerPolicy): HealthView {
  if (!storeFault) return { ok: true, status: 'starting', consecutiveFailedTicks: 0, mode: policy.mode };
  return {
    ok: false,
    status: 'journal-fault',
    reason: `refusing to act: ${storeFault}`,
    consecutiveFailedTicks: 0,
    mode: policy.mode,
  };
}

/** /healthz while running: the lease's role, the ticks' health and a journal fault, if any. */
function runningHealth(d: Daemon): HealthView {
  const limits = healthLimits(d.opts, d.policy);
  return {
    ...leaseHealth(d.lease.view(), d.clock.now()),
    ...healthView({ ...d.loop.health, journalFault: d.guard.fault }, d.clock.now(), limits),
  };
}

/** Ticks until the signal; then the grace, and everything released in reverse order. */
async function runUntilStopped(d: Daemon): Promise<DaemonSummary> {
  const { opts, calls, loop, clock } = d;
  const log = opts.logger;
  const graceMs = parseDuration(opts.config.healer.daemon.shutdownGrace) ?? 10_000;
  const disarm = armGrace(opts.signal, graceMs, () => {
    log.warn({ graceMs }, 'shutdown grace elapsed: aborting the calls in flight');
    calls.abort();
  });
  try {
    d.lease.start();
    const apps = d.live.observer.fleet().map((m) => m.name);
    logStart(log, opts.config, d.policy, d.server.url, apps, d.edge.notifier.channels);
    await tickLoop(loop);
    log.info(
      { ticks: loop.summary.ticks, failedTicks: loop.summary.failedTicks, aborted: calls.signal.aborted },
      calls.signal.aborted
        ? 'healer stopping: signal received, the current tick was cut short after the grace'
        : 'healer stopping: signal received, current tick finished',
    );
  } finally {
    disarm();
    await d.lease.stop();
    await d.server?.close();
    await d.guard.close();
    if (!opts.store) await d.store.close();
    d.edge.ports.close();
    loop.summary.stoppedAt = new Date(clock.now()).toISOString();
  }
  return loop.summary;
}
