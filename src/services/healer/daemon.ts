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
import type { Config } from '../../config/schema.js';
import { type Clock, parseDuration, systemClock } from '../../core/clock.js';
import { type HealerPolicy, policyFromConfig } from '../../healer/policy.js';
import type { ApiCallStats } from '../../probes/aws-clients.js';
import { openStore } from '../../store/index.js';
import type { CoordinationStore } from '../../store/port.js';
import { assemble, type Daemon, type DaemonOptions, edgePorts } from './daemon-parts.js';
import { type HealthLimits, healthView } from './health.js';
import { leaseHealth } from './leadership.js';
import type { DaemonLogger } from './logger.js';
import { createDaemonMetrics } from './metrics.js';
import { type HealthView, startDaemonServer } from './server.js';
import { type DaemonSummary, tickLoop } from './tick-loop.js';

export type { DaemonOptions } from './daemon-parts.js';
export type { DaemonSummary } from './tick-loop.js';

/** Runs the daemon until `opts.signal` aborts (or the store never opens): the stages of the header. */
export async function runDaemon(opts: DaemonOptions): Promise<DaemonSummary> {
  const clock = opts.clock ?? systemClock;
  const policy = policyFromConfig(opts.config.healer);
  // Aborted once the shutdown grace has elapsed: cuts the calls in flight of a tick that hangs.
  const calls = new AbortController();
  const edge = edgePorts(opts, calls.signal);
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
  const daemon = assemble(opts, { clock, policy, calls, edge, metrics, server, store });
  health.view = () => runningHealth(daemon);
  return runUntilStopped(daemon);
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
  const daemonCfg = d.opts.config.healer.daemon;
  const limits: HealthLimits = {
    failLimit: daemonCfg.unhealthyAfterFailedTicks,
    tickDeadlineMs: parseDuration(daemonCfg.tickDeadline) ?? 120_000,
    mode: d.policy.mode,
  };
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
    d.edge.aws?.destroy();
    loop.summary.stoppedAt = new Date(clock.now()).toISOString();
  }
  return loop.summary;
}

/** Starts `onElapsed` `ms` after `signal` aborts; the returned function disarms it. */
function armGrace(signal: AbortSignal, ms: number, onElapsed: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const start = () => {
    timer = setTimeout(onElapsed, ms);
  };
  if (signal.aborted) start();
  else signal.addEventListener('abort', start, { once: true });
  return () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', start);
  };
}

function logStart(
  log: DaemonLogger,
  config: Config,
  policy: HealerPolicy,
  endpoint: string,
  apps: string[],
  notifications: readonly string[],
): void {
  log.info(
    {
      mode: policy.mode,
      endpoint,
      store: config.healer.store.url ? 'postgres' : `sqlite ${config.healer.journal}`,
      apps,
      discoverManaged: config.flink.discoverManaged,
      tickIntervalMs: policy.tickIntervalMs,
      suspectCheckIntervalMs: policy.suspectCheckIntervalMs,
      notifications,
    },
    policy.mode === 'act'
      ? 'healer started: mode act (actions are performed)'
      : 'healer started: dry-run (decisions are recorded, no action is taken; set healer.mode: act to act)',
  );
  if (apps.length === 0 && !config.flink.discoverManaged)
    log.warn(
      { hint: 'add flink.applications, or set flink.discoverManaged: true' },
      'no Flink application to watch: the healer will tick over an empty fleet',
    );
}

/**
 * Opens the coordination store, retrying every tick interval while it cannot (a garbage journal
 * file, PostgreSQL down): the daemon does not act meanwhile. Undefined when stopped first.
 */
async function openStoreWhenUsable(
  config: Config,
  signal: AbortSignal,
  clock: Clock,
  log: DaemonLogger,
  onFault: (fault: string | undefined) => void,
): Promise<CoordinationStore | undefined> {
  const retryMs = parseDuration(config.healer.tickInterval) ?? 60_000;
  let faulted = false;
  while (!signal.aborted) {
    try {
      const store = await openStore(config.healer);
      if (faulted) log.info({}, 'journal usable again: resuming');
      onFault(undefined);
      return store;
    } catch (e) {
      const where = config.healer.store.url ? 'the coordination store' : `journal ${config.healer.journal}`;
      faulted = true;
      onFault(`${where}: ${(e as Error).message}`);
      log.error(
        { error: (e as Error).message },
        'journal unusable: refusing to act until it can be opened and written (see /healthz)',
      );
      await clock.sleep(retryMs, signal).catch(() => undefined);
    }
  }
  return undefined;
}
