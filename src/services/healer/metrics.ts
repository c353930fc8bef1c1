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

export function createDaemonMetrics(apiCallStats: () => ApiCallStats = () => ({})): DaemonMetrics {
  const registry = new Registry();
  const ticks = new Counter({
    name: 'streamctl_healer_ticks_total',
    help: 'Healer ticks by kind (full fleet or suspect re-check) and outcome.',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'streamctl_healer_tick_duration_seconds',
    help: 'Wall time of one tick (observe, detect, classify, decide, act, record).',
    labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const detections = new Counter({
    name: 'streamctl_healer_detections_total',
    help: 'Anomalies detected, by kind, counted when the kind appears on an application.',
    labelNames: ['kind'],
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'streamctl_healer_decisions_total',
    help: 'Decisions recorded (changes and every action), by kind and reason.',
    labelNames: ['kind', 'reason'],
    registers: [registry],
  });
  const actions = new Counter({
    name: 'streamctl_healer_actions_total',
    help: 'Healing actions by type and outcome (accepted, rejected, healed, failed, stopped).',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  const openIncidents = new Gauge({
    name: 'streamctl_healer_open_incidents',
    help: 'Incidents open now.',
    registers: [registry],
  });
  const appsObserved = new Gauge({
    name: 'streamctl_healer_apps_observed',
    help: 'Applications observed by the last full tick.',
    registers: [registry],
  });
  const failures = new Gauge({
    name: 'streamctl_healer_consecutive_failed_ticks',
    help: 'Ticks failed in a row (/healthz turns 503 at healer.daemon.unhealthyAfterFailedTicks).',
    registers: [registry],
  });
  const leader = new Gauge({
    name: 'streamctl_healer_leader',
    help: '1 while this replica holds the leader lease and acts, 0 while it stands by.',
    registers: [registry],
  });
  const token = new Gauge({
    name: 'streamctl_healer_lease_token',
    help: 'Fencing token of the leader lease (ours as leader, the holder’s as standby).',
    registers: [registry],
  });
  const leaseAge = new Gauge({
    name: 'streamctl_healer_lease_age_seconds',
    help: 'Seconds since the current leader acquired the lease.',
    registers: [registry],
  });
  const lastOk = new Gauge({
    name: 'streamctl_healer_last_successful_tick_timestamp_seconds',
    help: 'When the last tick succeeded (Unix time).',
    registers: [registry],
  });
  // AWS calls are counted by the SDK middleware; these mirror its monotonic counters at scrape time.
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

  const seen = new Map<string, Set<string>>();
  // Type of the action each app is verifying (the verification report does not repeat it).
  const inflight = new Map<string, string>();
  return {
    registry,
    tick(kind, seconds, report) {
      ticks.inc({ kind, outcome: report ? 'ok' : 'error' });
      duration.observe({ kind }, seconds);
      if (!report) return;
      lastOk.set(report.at / 1000);
      if (kind === 'full') appsObserved.set(report.apps.length);
      for (const r of report.apps) {
        const kinds = new Set(r.anomalies.map((a) => a.kind));
        const before = seen.get(r.app) ?? new Set<string>();
        for (const k of kinds) if (!before.has(k)) detections.inc({ kind: k });
        seen.set(r.app, kinds);
        if (r.decisionChanged || r.decision.kind === 'act')
          decisions.inc({ kind: r.decision.kind, reason: r.decision.reason });
        const v = r.verification;
        if (v && v.kind !== 'pending') {
          const type = inflight.get(r.app) ?? 'unknown';
          inflight.delete(r.app);
          actions.inc({
            type,
            outcome: v.kind === 'healed' ? (v.via === 'stopped' ? 'stopped' : 'healed') : 'failed',
          });
        }
        if (r.action && r.decision.kind === 'act') {
          actions.inc({
            type: r.decision.action.type,
            outcome: r.action.result.ok ? 'accepted' : 'rejected',
          });
          if (r.action.result.ok) inflight.set(r.app, r.decision.action.type);
        }
      }
    },
    resumedAction: (app, type) => inflight.set(app, type),
    setOpenIncidents: (n) => openIncidents.set(n),
    setConsecutiveFailures: (n) => failures.set(n),
    setLease: (v, now) => {
      leader.set(v.role === 'leader' ? 1 : 0);
      if (v.token !== undefined) token.set(v.token);
      leaseAge.set(v.acquiredAt !== undefined ? Math.max(0, (now - v.acquiredAt) / 1000) : 0);
    },
    text: () => registry.metrics(),
  };
}
