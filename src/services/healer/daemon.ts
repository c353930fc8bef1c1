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
 * After kill -9 the next start resumes from the journal: an intent without an outcome puts the app
 * in `acting` and the first tick reconciles it with ListApplicationOperations — an action that
 * reached MSF is verified, never repeated. A tick that throws after journaling an action rebuilds
 * the state from the journal the same way, so a crash inside the process is no worse than kill -9.
 */
import type { Config } from '../../config/schema.js';
import { type Clock, parseDuration, systemClock } from '../../core/clock.js';
import { defaultClassifier } from '../../healer/classifier.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import { type HealerPolicy, policyFromConfig } from '../../healer/policy.js';
import { type ApiCallStats, type AwsClients, createAwsClients } from '../../probes/aws-clients.js';
import type { FlinkRestPort } from '../../probes/flink-rest/index.js';
import { createNotifier, type Notifier } from '../../probes/notify/index.js';
import { createSnsPublisher } from '../../probes/notify/sns.js';
import { type AppTarget, awsFlinkPorts, type FlinkPorts } from '../flink/context.js';
import { type HealthLimits, healthView } from './health.js';
import { SqliteJournal } from './journal/sqlite.js';
import { JournalGuard } from './journal-guard.js';
import type { DaemonLogger } from './logger.js';
import type { DaemonSummary } from './tick-loop.js';

export type { DaemonSummary } from './tick-loop.js';

import { createDaemonMetrics } from './metrics.js';
import { type DaemonServer, startDaemonServer } from './server.js';
import { type Loop, openJournal, tickLoop } from './tick-loop.js';
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
  journal?: HealerJournal;
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
  const guard = new JournalGuard(
    () => opts.journal ?? new SqliteJournal(config.healer.journal),
    config.healer.journal,
    !opts.journal,
  );
  const metrics = createDaemonMetrics(() => ports.apiCallStats() as ApiCallStats);
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
      observer: live.observer,
      actions: live.actions,
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
  };
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
  let server: DaemonServer | undefined;
  try {
    server = await startDaemonServer(opts.listen ?? daemonCfg.listen, {
      contentType: metrics.registry.contentType,
      metrics: () => metrics.text(),
      health: () => healthView({ ...loop.health, journalFault: guard.fault }, clock.now(), limits),
    });
    opts.onListening?.(server.url);
    await openJournal(loop);
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
    disarm();
    await server?.close();
    await guard.close();
    ports.close();
    aws?.destroy();
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
      journal: config.healer.journal,
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
