/**
 * What one healer tick observes (docs/design.md §4 "observe"). Observations are plain values built by
 * the observer (live: MSF + CloudWatch + presigned Flink REST; simulated: the scenario's world);
 * everything downstream is pure.
 *
 * Observation is tiered to keep API calls flat at fleet scale: every application gets the base tier
 * each tick (status from ListApplications, the restart counter from one batched GetMetricData per
 * 500 applications); only applications that restarted, are in flight or look anomalous are enriched
 * (DescribeApplication, ListApplicationOperations, ListApplicationSnapshots, failure texts,
 * subtasks after an operation). A field left `undefined` was not fetched: unknown, never "fine".
 */
import type {
  ApplicationOperation,
  ApplicationSnapshot,
  FlinkApplicationInfo,
  JobView,
} from '../domain/flink.js';
import type { RestartCounterSeries } from '../domain/restart-counter.js';

export {
  type RestartCounterSeries,
  type RestartMetric,
  restartMetricFor,
} from '../domain/restart-counter.js';

/** One failure of the job, as text the classifier reads (exception history, operation ErrorInfo, logs). */
export interface FailureText {
  at: number;
  text: string;
  source: 'exceptions' | 'operation' | 'logs';
}

/** Subtask states polled (presigned) after an operation, or why they could not be. */
export type SubtaskObservation =
  | { available: true; observedAt: number; job: JobView }
  | {
      available: false;
      observedAt: number;
      reason: 'dashboard-unavailable' | 'not-running' | 'forbidden' | 'error';
      detail?: string;
    };

/** A change to the application's environment made outside its lifecycle (IAM policy, endpoint), when known. */
export interface ExternalChange {
  at: number;
  kind: 'iam' | 'endpoint' | 'network';
  detail: string;
}

/** Another activity holding the target: never heal while it runs (docs/design.md §6). */
export interface TargetLock {
  kind: 'rebalance' | 'streamctl-action';
  holder: string;
  since: number;
}

/** Everything the healer knows about one application at one tick. */
export interface AppObservation {
  app: FlinkApplicationInfo;
  /** AWS account id (managed) or a configured label; with app.region it scopes the fleet breaker. */
  account?: string;
  observedAt: number;
  /** Undefined: the metric fetch failed or the application has no series yet (unknown). */
  restarts?: RestartCounterSeries;
  /** Enriched tier. Undefined = not fetched this tick. Any order. */
  operations?: ApplicationOperation[];
  snapshots?: { count: number; latest?: ApplicationSnapshot; items?: ApplicationSnapshot[] };
  /** Self-managed Flink: what a redeploy needs (previous jar, last savepoint). */
  selfManaged?: { jobId?: string; previousJarId?: string; lastSavepointPath?: string };
  /** Failures of the current loop, oldest first; the classifier reads the first one. */
  failures?: FailureText[];
  subtasks?: SubtaskObservation;
  /** Epoch ms of the last completed checkpoint; null = none since the job started; undefined = unknown. */
  lastCheckpointAt?: number | null;
  /** When the job (re)started running, for checkpoint-stall grace. */
  runningSince?: number;
  externalChanges?: ExternalChange[];
  lock?: TargetLock;
  /** Per-application healer settings from streamctl.yaml (flink.applications[].healing). */
  healing?: { checkpointStallAfterMs?: number };
}

/** The fleet context of one account/region, computed after detection (apps looping now). */
export interface FleetContext {
  scope: string;
  appsTotal: number;
  appsLooping: number;
  /**
   * Apps looping or restarting (below the loop threshold) now, maintenance aside: a fleet-wide
   * event shows here before its loops are confirmed.
   */
  appsRestarting?: number;
}

/** The scope key of an application for the fleet breaker: account/region. */
export function fleetScope(o: AppObservation): string {
  return `${o.account ?? 'default'}/${o.app.region ?? 'default'}`;
}

/** Milliseconds since epoch of an ISO timestamp, or undefined. */
export function isoMs(t: string | undefined): number | undefined {
  if (t === undefined) return undefined;
  const v = Date.parse(t);
  return Number.isNaN(v) ? undefined : v;
}
