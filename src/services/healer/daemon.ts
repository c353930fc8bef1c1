/**
 * `streamctl healer run`: the live loop around the pure core (src/healer/tick.ts).
 *
 *   start ─▶ open journal ─▶ resume (resumeFleetState) ─▶ listen /metrics /healthz
 *     ┌────────────────────────────────────────────────────────────────────────┐
 *     ▼                                                                        │
 *   due? full tick every healer.tickInterval, suspects at their nextCheckAt ──┤
 *     │ runTick(deps, state, now, suspects?) → state, report → metrics, logs   │
 *     └─ sleep until the next due time (SIGTERM/SIGINT wakes it and stops) ────┘
 *   stop ─▶ the current tick finishes ─▶ close server, journal, AWS clients
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
import type { HealerJournal } from '../../healer/journal/port.js';
import { onProbation, resumeFleetState } from '../../healer/journal/resume.js';
import { type HealerPolicy, policyFromConfig } from '../../healer/policy.js';
import { type FleetHealerState, initialFleetState } from '../../healer/state.js';
import { runTick, type TickDeps, type TickReport } from '../../healer/tick.js';
import { type ApiCallStats, type AwsClients, createAwsClients } from '../../probes/aws-clients.js';
import type { FlinkRestPort } from '../../probes/flink-rest/index.js';
import { createNotifier, type Notifier } from '../../probes/notify/index.js';
import { createSnsPublisher } from '../../probes/notify/sns.js';
import { isStaleFence } from '../../store/fence.js';
import { openStore } from '../../store/index.js';
import type { CoordinationStore } from '../../store/port.js';
import { type AppTarget, awsFlinkPorts, type FlinkPorts } from '../flink/context.js';
import { LockAwareObserver, LockedHealerActions } from './coordination.js';
import { healerReplicaId, leaseHealth, logLeaseChange, standby } from './leadership.js';
import { LeaderLease, type LeaseView } from './lease.js';
import type { DaemonLogger } from './logger.js';
import { createDaemonMetrics, type DaemonMetrics, type TickKind } from './metrics.js';
import { type DaemonServer, type HealthView, startDaemonServer } from './server.js';
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
  /** The coordination store (default: the one healer.store names). */
  store?: CoordinationStore;
  /** This replica's name in leases and locks (default: healer.store.replicaId, else host/pid). */
  replicaId?: string;
  /** Overrides healer.daemon.listen (tests: 127.0.0.1:0). */
  listen?: string;
  onListening?: (url: string) => void;
}

export interface DaemonSummary {
  ticks: number;
  failedTicks: number;
  actions: number;
  resumedActions: number;
  stoppedAt: string;
}

/** The tick loop's state that /healthz reads. */
interface Health {
  consecutiveFailed: number;
  lastTickAt?: number;
  lastSuccessAt?: number;
  lastError?: string;
}

export async function runDaemon(opts: DaemonOptions): Promise<DaemonSummary> {
  const { config, logger: log, signal } = opts;
  const clock = opts.clock ?? systemClock;
  const policy = policyFromConfig(config.healer);
  const daemonCfg = config.healer.daemon;
  let aws: AwsClients | undefined;
  if (!opts.ports || !opts.notifier) aws = createAwsClients(config.aws);
  const ports = opts.ports ?? awsFlinkPorts(config, aws);
  const notifier =
    opts.notifier ??
    createNotifier(config.notifications, {
      ...(config.notifications.sns && aws ? { sns: createSnsPublisher(aws.sns(config.aws.region)) } : {}),
      onError: (channel, message) => log.warn({ channel, error: message }, 'notification failed'),
    });
  const store = opts.store ?? (await openStore(config.healer));
  const journal = store.journal();
  const replica = opts.replicaId ?? healerReplicaId(config.healer.store.replicaId);
  const leaseTtlMs = parseDuration(config.healer.store.leaseTtl)!;
  const lease = new LeaderLease(store, 'healer/shard-0', replica, leaseTtlMs, clock, (c) =>
    logLeaseChange(log, c, replica),
  );
  const metrics = createDaemonMetrics(() => ports.apiCallStats() as ApiCallStats);
  const live = buildLivePorts({
    config,
    policy,
    ports,
    clock,
    notifier,
    log,
    ...(opts.restPort ? { restPort: opts.restPort } : {}),
  });
  const fence = () => lease.fence();
  const deps: TickDeps = {
    observer: new LockAwareObserver(live.observer, store, fence),
    actions: new LockedHealerActions(live.actions, store, replica, fence, () => clock.now()),
    journal,
    classifier: defaultClassifier,
    policy,
    healingEnabled: (app) => live.observer.member(app)?.healingEnabled ?? true,
    now: () => clock.now(),
  };
  const health: Health = { consecutiveFailed: 0 };
  const summary: DaemonSummary = { ticks: 0, failedTicks: 0, actions: 0, resumedActions: 0, stoppedAt: '' };
  let server: DaemonServer | undefined;

  try {
    // Rebuilt from the journal each time this replica becomes leader (another replica may have
    // acted until then): at the first acquisition too, never earlier.
    let state: FleetHealerState = initialFleetState();
    let stale = true;
    let resumedOnce = false;
    server = await startDaemonServer(opts.listen ?? daemonCfg.listen, {
      contentType: metrics.registry.contentType,
      metrics: () => metrics.text(),
      health: () =>
        healthView(health, daemonCfg.unhealthyAfterFailedTicks, policy.mode, lease.view(), clock.now()),
    });
    opts.onListening?.(server.url);
    log.info(
      {
        mode: policy.mode,
        endpoint: server.url,
        store: `${store.kind} ${store.location}`,
        replica,
        apps: live.observer.fleet().map((m) => m.name),
        discoverManaged: config.flink.discoverManaged,
        tickIntervalMs: policy.tickIntervalMs,
        suspectCheckIntervalMs: policy.suspectCheckIntervalMs,
        notifications: notifier.channels,
      },
      policy.mode === 'act'
        ? 'healer started: mode act (actions are performed)'
        : 'healer started: dry-run (decisions are recorded, no action is taken; set healer.mode: act to act)',
    );

    if (live.observer.fleet().length === 0 && !config.flink.discoverManaged)
      log.warn(
        { hint: 'add flink.applications, or set flink.discoverManaged: true' },
        'no Flink application to watch: the healer will tick over an empty fleet',
      );

    let nextFull = clock.now();
    const suspects = new Map<string, number>();
    lease.start();
    while (!signal.aborted) {
      const change = await lease.refresh();
      if (change.kind === 'acquired' && !change.continuous) stale = true;
      metrics.setLease(lease.view(), clock.now());
      const fenceNow = lease.fence();
      if (!fenceNow) {
        // Standby: keep the base observation warm, try the lease again within ttl/3.
        nextFull = await standby(live.observer, nextFull, clock, policy.tickIntervalMs, log);
        suspects.clear();
        stale = true;
        await clock.sleep(Math.max(1, Math.floor(leaseTtlMs / 3)), signal).catch(() => undefined);
        continue;
      }
      if (stale) {
        const resumed = await resume(journal, policy, clock.now(), metrics, log).catch((e: Error) => e);
        if (resumed instanceof Error) {
          // The store went away right after the lease was taken: no acting on a state not rebuilt.
          log.warn({ error: resumed.message }, 'cannot rebuild the state from the journal: not acting yet');
          await clock.sleep(Math.max(1, Math.floor(leaseTtlMs / 3)), signal).catch(() => undefined);
          continue;
        }
        state = resumed;
        if (!resumedOnce) summary.resumedActions = Object.values(state.apps).filter((a) => a.action).length;
        resumedOnce = true;
        stale = false;
        nextFull = clock.now();
      }
      deps.journal = store.journal(fenceNow);
      const now = clock.now();
      let only: string[] | undefined;
      if (now < nextFull) {
        const due = [...suspects].filter(([, t]) => t <= now).map(([app]) => app);
        if (due.length === 0) {
          const wake = Math.min(nextFull, ...suspects.values());
          await clock.sleep(Math.max(0, wake - now), signal).catch(() => undefined);
          continue;
        }
        only = due;
      }
      const kind: TickKind = only ? 'suspects' : 'full';
      const started = performance.now();
      health.lastTickAt = now;
      try {
        const r = await runTick(deps, state, now, only);
        state = r.state;
        health.consecutiveFailed = 0;
        health.lastSuccessAt = now;
        summary.ticks++;
        summary.actions += r.report.apps.filter((a) => a.action).length;
        metrics.tick(kind, (performance.now() - started) / 1000, r.report);
        logReport(log, kind, r.report, performance.now() - started);
        if (!only) nextFull = now + policy.tickIntervalMs;
        for (const a of r.report.apps) {
          if (a.nextCheckAt !== undefined && a.nextCheckAt < nextFull) suspects.set(a.app, a.nextCheckAt);
          else suspects.delete(a.app);
        }
      } catch (e) {
        if (isStaleFence(e)) {
          // Another replica holds the lease now: this one wrote nothing and stands by.
          log.warn(
            { error: (e as Error).message },
            'lease lost during the tick: a write was rejected, standing by',
          );
          stale = true;
          continue;
        }
        health.consecutiveFailed++;
        health.lastError = (e as Error).message;
        summary.failedTicks++;
        metrics.tick(kind, (performance.now() - started) / 1000, undefined);
        log.error(
          { kind, error: (e as Error).message, consecutiveFailed: health.consecutiveFailed },
          'tick failed',
        );
        if (!only) nextFull = now + policy.tickIntervalMs;
        for (const app of only ?? []) suspects.delete(app);
        // An action journaled in the failed tick must not be decided again from a stale state.
        if ((await journal.actionsSince(now).catch(() => [])).length > 0)
          state = await resume(journal, policy, clock.now(), metrics, log).catch(() => {
            stale = true; // rebuilt before the next tick instead
            return state;
          });
      }
      metrics.setConsecutiveFailures(health.consecutiveFailed);
      metrics.setOpenIncidents(Object.values(state.apps).filter((a) => a.incident?.status === 'open').length);
    }
    log.info(
      { ticks: summary.ticks, failedTicks: summary.failedTicks },
      'healer stopping: signal received, current tick finished',
    );
  } finally {
    await lease.stop();
    await server?.close();
    if (!opts.store) await store.close();
    ports.close();
    aws?.destroy();
    summary.stoppedAt = new Date(clock.now()).toISOString();
  }
  return summary;
}

/** Recent incidents read at start to find heals still on probation (newest first). */
const RECENT_INCIDENTS = 1_000;

async function resume(
  journal: HealerJournal,
  policy: HealerPolicy,
  now: number,
  metrics: DaemonMetrics,
  log: DaemonLogger,
): Promise<FleetHealerState> {
  const [openIncidents, unfinished, recentActions, recentIncidents] = await Promise.all([
    journal.openIncidents(),
    journal.unfinishedActions(),
    journal.actionsSince(now - 3_600_000),
    journal.incidents({ limit: RECENT_INCIDENTS }),
  ]);
  const healedRecently = onProbation(recentIncidents, now, policy);
  const state = resumeFleetState({ now, policy, openIncidents, unfinished, recentActions, healedRecently });
  for (const h of unfinished) {
    metrics.resumedAction(h.app, h.action.type);
    log.warn(
      {
        app: h.app,
        intentId: h.id,
        action: h.action.type,
        intentAt: new Date(h.at).toISOString(),
        outcomes: h.outcomes.map((o) => o.status),
        phase: state.apps[h.app]?.phase,
      },
      'resuming an unfinished action from the journal: it will be reconciled with ListApplicationOperations, never repeated',
    );
  }
  if (openIncidents.length)
    log.info({ incidents: openIncidents.map((i) => i.key) }, 'open incidents resumed');
  return state;
}

function healthView(
  h: Health,
  failLimit: number,
  mode: 'dry-run' | 'act',
  lease: LeaseView,
  now: number,
): HealthView {
  const failing = h.consecutiveFailed >= failLimit;
  return {
    ...leaseHealth(lease, now),
    ok: !failing,
    status: failing
      ? 'failing'
      : h.lastSuccessAt === undefined && h.consecutiveFailed === 0
        ? 'starting'
        : 'ok',
    consecutiveFailedTicks: h.consecutiveFailed,
    ...(h.lastTickAt !== undefined ? { lastTickAt: new Date(h.lastTickAt).toISOString() } : {}),
    ...(h.lastSuccessAt !== undefined ? { lastSuccessAt: new Date(h.lastSuccessAt).toISOString() } : {}),
    ...(h.lastError ? { lastError: h.lastError } : {}),
    mode,
  };
}

/** One line per tick, one per changed decision, action and verification outcome. */
function logReport(log: DaemonLogger, kind: TickKind, report: TickReport, ms: number): void {
  log.debug(
    { kind, apps: report.apps.length, enriched: report.enriched, durationMs: Math.round(ms) },
    'tick',
  );
  for (const a of report.apps) {
    const d = a.decision;
    if (a.decisionChanged || d.kind === 'act') {
      log.info(
        {
          app: a.app,
          decision: d.kind,
          reason: d.reason,
          anomalies: a.anomalies.map((x) => x.kind),
          ...(a.classification
            ? {
                verdict: a.classification.verdict,
                subtype: a.classification.subtype,
                confidence: a.classification.confidence,
              }
            : {}),
          ...(d.kind === 'record'
            ? { proposed: d.proposed.kind === 'act' ? d.proposed.action.type : d.proposed.kind }
            : {}),
        },
        d.kind === 'act' || d.kind === 'page'
          ? 'diagnosis' in d
            ? d.diagnosis.summary
            : 'decision'
          : 'decision',
      );
    }
    if (a.action) {
      const r = a.action.result;
      log.warn(
        {
          app: a.app,
          intentId: a.action.intentId,
          action: d.kind === 'act' ? d.action.type : undefined,
          ok: r.ok,
          ...(r.ok ? { operationId: r.operationId } : { error: r.error }),
        },
        r.ok ? 'action accepted' : 'action rejected',
      );
    }
    if (a.reconciliation)
      log.warn({ app: a.app, reconciliation: a.reconciliation }, 'in-flight action reconciled');
    if (a.verification && a.verification.kind !== 'pending')
      log.info({ app: a.app, verification: a.verification }, `action verified: ${a.verification.kind}`);
  }
}
