/**
 * The daemon's Prometheus metrics (prom-client, a registry of its own). Counters follow the journal's
 * vocabulary: detections by anomaly kind (counted when a kind appears on an app, not every tick it
 * persists), decisions by kind and reason (when they change, as journaled), actions by type and
 * outcome (accepted/rejected by MSF, then healed/failed/stopped by verification), tick durations,
 * open incidents, and the AWS API calls and throttles counted by the SDK middleware
 * (src/probes/aws-clients.ts apiCallStats()).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiCallStats } from '../../probes/aws-clients.js';
import type { LeaseView } from './lease.js';
import type { TickReport } from './tick.js';

export type TickKind = 'full' | 'suspects';

export interface DaemonMetrics {
  registry: Registry;
  /** Records one finished tick (its report) or a failed one. */
  tick(kind: TickKind, seconds: number, report: TickReport | undefined): void;
  /** An action in flight from before a restart (resumed from the journal): its verification is counted under its type. */
  resumedAction(app: string, type: string): void;
  setOpenIncidents(n: number): void;
  setConsecutiveFailures(n: number): void;
  /** Role (1 leader, 0 standby), the lease's age and the fencing token. */
  setLease(v: LeaseView, now: number): void;
  text(): Promise<string>;
}

/** The daemon's metrics in a registry of their own; `apiCallStats` feeds the AWS call counters. */
export function createDaemonMetrics(apiCallStats: () => ApiCallStats = () => ({})): DaemonMetrics {
  const registry = new Registry();
  const m = tickInstruments(registry);
  const g = stateGauges(registry);
  mirrorApiCalls(registry, apiCallStats);
  const counts: AppCounts = { seen: new Map(), inflight: new Map() };
  return {
    registry,
    tick(kind, seconds, report) {
      m.ticks.inc({ kind, outcome: report ? 'ok' : 'error' });
      m.duration.observe({ kind }, seconds);
      if (!report) return;
      m.lastOk.set(report.at / 1000);
      if (kind === 'full') m.appsObserved.set(report.apps.length);
      for (const r of report.apps) countApp(m, counts, r);
    },
    resumedAction: (app, type) => counts.inflight.set(app, type),
    setOpenIncidents: (n) => g.openIncidents.set(n),
    setConsecutiveFailures: (n) => g.failures.set(n),
    setLease: (v, now) => {
      g.leader.set(v.role === 'leader' ? 1 : 0);
      if (v.token !== undefined) g.token.set(v.token);
      g.leaseAge.set(v.acquiredAt !== undefined ? Math.max(0, (now - v.acquiredAt) / 1000) : 0);
    },
    text: () => registry.metrics(),
  };
}

type TickInstruments = ReturnType<typeof tickInstruments>;

/** What a tick's report moves: ticks, their duration, detections, decisions and actions. */
function tickInstruments(registry: Registry) {
  const registers = [registry];
  return {
    ticks: new Counter({
      name: 'streamctl_healer_ticks_total',
      help: 'Healer ticks by kind (full fleet or suspect re-check) and outcome.',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
    duration: new Histogram({
      name: 'streamctl_healer_tick_duration_seconds',
      help: 'Wall time of one tick (observe, detect, classify, decide, act, record).',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    detections: new Counter({
      name: 'streamctl_healer_detections_total',
      help: 'Anomalies detected, by kind, counted when the kind appears on an application.',
      labelNames: ['kind'],
      registers,
    }),
    decisions: new Counter({
      name: 'streamctl_healer_decisions_total',
      help: 'Decisions recorded (changes and every action), by kind and reason.',
      labelNames: ['kind', 'reason'],
      registers,
    }),
    actions: new Counter({
      name: 'streamctl_healer_actions_total',
      help: 'Healing actions by type and outcome (accepted, rejected, healed, failed, stopped).',
      labelNames: ['type', 'outcome'],
      registers,
    }),
    appsObserved: new Gauge({
      name: 'streamctl_healer_apps_observed',
      help: 'Applications observed by the last full tick.',
      registers,
    }),
    lastOk: new Gauge({
      name: 'streamctl_healer_last_successful_tick_timestamp_seconds',
      help: 'When the last tick succeeded (Unix time).',
      registers,
    }),
  };
}

/** The gauges the daemon sets outside ticks: incidents open, failed ticks in a row, the lease. */
function stateGauges(registry: Registry) {
  const registers = [registry];
  return {
    openIncidents: new Gauge({
      name: 'streamctl_healer_open_incidents',
      help: 'Incidents open now.',
      registers,
    }),
    failures: new Gauge({
      name: 'streamctl_healer_consecutive_failed_ticks',
      help: 'Ticks failed in a row (/healthz turns 503 at healer.daemon.unhealthyAfterFailedTicks).',
      registers,
    }),
    leader: new Gauge({
      name: 'streamctl_healer_leader',
      help: '1 while this replica holds the leader lease and acts, 0 while it stands by.',
      registers,
    }),
    token: new Gauge({
      name: 'streamctl_healer_lease_token',
      help: 'Fencing token of the leader lease (ours as leader, the holder’s as standby).',
      registers,
    }),
    leaseAge: new Gauge({
      name: 'streamctl_healer_lease_age_seconds',
      help: 'Seconds since the current leader acquired the lease.',
      registers,
    }),
  };
}

/** AWS calls are counted by the SDK middleware; these mirror its monotonic counters at scrape time. */
function mirrorApiCalls(registry: Registry, apiCallStats: () => ApiCallStats): void {
  const mirror = (name: string, help: string, field: 'calls' | 'throttles' | 'errors' | 'attempts') =>
    new Counter({
      name,
      help,
      labelNames: ['service', 'operation'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [key, c] of Object.entries(apiCallStats())) {
          const [service = '', operation = ''] = key.split(':');
          if (c[field] > 0) this.inc({ service, operation }, c[field]);
        }
      },
    });
  mirror('streamctl_aws_api_calls_total', 'AWS API calls (one per SDK send, retries excluded).', 'calls');
  mirror('streamctl_aws_api_attempts_total', 'AWS HTTP attempts, retries included.', 'attempts');
  mirror('streamctl_aws_api_throttles_total', 'AWS attempts answered with a throttling error.', 'throttles');
  mirror('streamctl_aws_api_errors_total', 'AWS API calls that finally failed.', 'errors');
}

/** What the counters remember per app between ticks. */
interface AppCounts {
  /** The anomaly kinds each app showed at its last tick (a detection counts when a kind appears). */
  seen: Map<string, Set<string>>;
  /** Type of the action each app is verifying (the verification report does not repeat it). */
  inflight: Map<string, string>;
}

/** Counts one app's tick: new anomaly kinds, a recorded decision, an action and its verification. */
function countApp(m: TickInstruments, counts: AppCounts, r: TickReport['apps'][number]): void {
  const kinds = new Set(r.anomalies.map((a) => a.kind));
  const before = counts.seen.get(r.app) ?? new Set<string>();
  for (const k of kinds) if (!before.has(k)) m.detections.inc({ kind: k });
  counts.seen.set(r.app, kinds);
  if (r.decisionChanged || r.decision.kind === 'act')
    m.decisions.inc({ kind: r.decision.kind, reason: r.decision.reason });
  const v = r.verification;
  if (v && v.kind !== 'pending') {
    const type = counts.inflight.get(r.app) ?? 'unknown';
    counts.inflight.delete(r.app);
    m.actions.inc({
      type,
      outcome: v.kind === 'healed' ? (v.via === 'stopped' ? 'stopped' : 'healed') : 'failed',
    });
  }
  if (r.action && r.decision.kind === 'act') {
    m.actions.inc({
      type: r.decision.action.type,
      outcome: r.action.result.ok ? 'accepted' : 'rejected',
    });
    if (r.action.result.ok) counts.inflight.set(r.app, r.decision.action.type);
  }
}
