/**
 * The daemon's tick loop (see daemon.ts): due full ticks and suspect re-checks, the failed-tick
 * path, and the journal: opened and resumed before the first tick, and again after a fault (the
 * loop does not tick — so it cannot act — while the journal is unusable).
 */
import type { Clock } from '../../core/clock.js';
import type { HealerJournal } from '../../healer/journal/port.js';
import { onProbation, resumeFleetState } from '../../healer/journal/resume.js';
import type { HealerPolicy } from '../../healer/policy.js';
import type { FleetHealerState } from '../../healer/state.js';
import { isStaleFence } from '../../store/fence.js';
import type { Health } from './health.js';
import { JournalFault, type JournalGuard } from './journal-guard.js';
import type { DaemonLogger } from './logger.js';
import type { DaemonMetrics, TickKind } from './metrics.js';
import { runTick, type TickDeps, type TickReport } from './tick.js';

/** What a daemon run did, returned when it stops (and printed by `healer run --json`). */
export interface DaemonSummary {
  ticks: number;
  failedTicks: number;
  actions: number;
  resumedActions: number;
  stoppedAt: string;
}

/** What the tick loop works with. */
export interface Loop {
  deps: TickDeps;
  guard: JournalGuard;
  clock: Clock;
  signal: AbortSignal;
  metrics: DaemonMetrics;
  log: DaemonLogger;
  health: Health;
  summary: DaemonSummary;
  /** The fleet's state; undefined until the journal is open and read (again, after a fault). */
  state?: FleetHealerState;
  /** Leadership (daemon.ts): without it, this replica is the only one and always acts. */
  lease?: LeaseGate;
  /** The fencing token the state was rebuilt under: a new one means a new leadership. */
  fenceToken?: number;
}

/** What the loop needs of the lease (lease.ts, leadership.ts). */
export interface LeaseGate {
  /** Renews or tries to take the lease; the token we act under, undefined while standing by. */
  refresh(): Promise<number | undefined>;
  /** Observes the fleet without acting while standing by; the next due full observation. */
  standby(nextFull: number): Promise<number>;
  /** How long a standby waits before it tries the lease again. */
  retryMs: number;
}

/** A suspect re-check never comes sooner than this after a tick (whatever the core asked). */
const MIN_RECHECK_MS = 1_000;
/** Opens the journal and resumes from it; while it cannot, the daemon refuses to act. */
export async function openJournal(l: Loop): Promise<boolean> {
  if (!(await l.guard.recover(l.clock.now()))) {
    l.log.error(
      { error: l.guard.fault },
      'journal unusable: refusing to act until it can be opened and written (see /healthz)',
    );
    return false;
  }
  try {
    l.state = await resume(l.deps.journal, l.deps.policy, l.clock.now(), l.metrics, l.log);
    l.summary.resumedActions = Object.values(l.state.apps).filter((a) => a.action).length;
    return true;
  } catch (e) {
    l.log.error({ error: (e as Error).message }, 'journal unreadable: refusing to act (see /healthz)');
    return false;
  }
}

export async function tickLoop(l: Loop): Promise<void> {
  const { clock, signal, deps, health, metrics } = l;
  const interval = deps.policy.tickIntervalMs;
  let nextFull = clock.now();
  const suspects = new Map<string, number>();
  if (!l.lease) await openJournal(l);
  while (!signal.aborted) {
    if (l.lease) {
      const gate = await leadership(l, l.lease);
      if (gate === 'standby') {
        nextFull = await l.lease.standby(nextFull);
        suspects.clear();
        await clock.sleep(l.lease.retryMs, signal).catch(() => undefined);
        continue;
      }
      if (gate === 'new') nextFull = clock.now();
    }
    const now = clock.now();
    if (l.state && !(await l.guard.verify())) {
      l.log.error({ error: l.guard.fault }, 'journal fault: refusing to act until it takes writes again');
      l.state = undefined;
    }
    if (!l.state) {
      // A journal fault: no tick (nothing may be decided or done without it) until it recovers.
      await clock.sleep(interval, signal).catch(() => undefined);
      if (!signal.aborted && (await openJournal(l))) l.log.info({}, 'journal usable again: resuming');
      continue;
    }
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
    health.tickStartedAt = now;
    try {
      const r = await runTick(deps, l.state, now, only);
      l.state = r.state;
      health.consecutiveFailed = 0;
      health.lastSuccessAt = now;
      l.summary.ticks++;
      l.summary.actions += r.report.apps.filter((a) => a.action).length;
      metrics.tick(kind, (performance.now() - started) / 1000, r.report);
      logReport(l.log, kind, r.report, performance.now() - started);
      if (!only) nextFull = now + interval;
      for (const a of r.report.apps) {
        if (a.nextCheckAt !== undefined && a.nextCheckAt < nextFull)
          suspects.set(a.app, Math.max(a.nextCheckAt, now + MIN_RECHECK_MS));
        else suspects.delete(a.app);
      }
    } catch (e) {
      await tickFailed(l, kind, e, now, performance.now() - started);
      if (!only) nextFull = now + interval;
      for (const app of only ?? []) suspects.delete(app);
    } finally {
      health.tickStartedAt = undefined;
    }
    metrics.setConsecutiveFailures(health.consecutiveFailed);
    metrics.setOpenIncidents(
      Object.values(l.state?.apps ?? {}).filter((a) => a.incident?.status === 'open').length,
    );
  }
}

/**
 * The lease before each turn: `standby` while another replica leads (the state is dropped, to be
 * rebuilt from the journal when this one leads again), `new` when this replica just took it (the
 * state is rebuilt from the journal under the new token, and it acts on this turn), else `same`.
 */
async function leadership(l: Loop, lease: LeaseGate): Promise<'standby' | 'new' | 'same'> {
  const token = await lease.refresh();
  if (token === undefined) {
    l.state = undefined;
    l.fenceToken = undefined;
    return 'standby';
  }
  if (token === l.fenceToken && l.state) return 'same';
  l.fenceToken = token;
  await l.guard.close(); // reopened under the new token
  l.state = undefined;
  if (await openJournal(l)) return 'new';
  return 'same'; // a journal fault: the loop below waits for it like any other
}

async function tickFailed(l: Loop, kind: TickKind, e: unknown, now: number, ms: number): Promise<void> {
  const { health } = l;
  if (isStaleFence(e)) {
    // Another replica holds the lease now: the store rejected the write, nothing was done.
    l.log.warn(
      { error: (e as Error).message },
      'lease lost during the tick: a write was rejected, standing by',
    );
    l.state = undefined;
    l.fenceToken = undefined;
    return;
  }
  health.consecutiveFailed++;
  health.lastError = (e as Error).message;
  l.summary.failedTicks++;
  l.metrics.tick(kind, ms / 1000, undefined);
  l.log.error(
    { kind, error: (e as Error).message, consecutiveFailed: health.consecutiveFailed },
    'tick failed',
  );
  if (e instanceof JournalFault) {
    l.log.error({ error: l.guard.fault }, 'journal fault: refusing to act until it takes writes again');
    l.state = undefined;
    return;
  }
  // An action journaled in the failed tick must not be decided again from a stale state.
  try {
    if ((await l.deps.journal.actionsSince(now)).length > 0)
      l.state = await resume(l.deps.journal, l.deps.policy, l.clock.now(), l.metrics, l.log);
  } catch {
    l.state = undefined; // the journal failed too: the guard has the fault
  }
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
