/**
 * What the detectors find (docs/design.md §6: decisions are values). Every detector returns Anomaly[];
 * the decide ladder reads them. `restarts-below-threshold`, `restart-metric-unknown` and
 * `maintenance` are not faults: they make the healer look again sooner (check) or stand down.
 */
import type { ApplicationOperation } from '../domain/flink.js';
import type { RestartMetric } from './observation.js';

export type Anomaly =
  | {
      kind: 'restart-loop';
      metric: RestartMetric;
      /** `fast`: ≥ minRestarts within the window; `slow`: a steady rhythm with no stable run between restarts. */
      rule: 'fast' | 'slow';
      /** Restarts counted in the window (DIFF of the counter, resets handled). */
      restarts: number;
      /** Distinct periods with restarts. */
      periods: number;
      windowStart: number;
      /** Start of the first period with a restart in the window (the loop's start as far as we know). */
      firstRestartAt: number;
      lastRestartAt: number;
      /** The loop's observed restart interval (scales how long "quiet again" must last). */
      intervalMs: number;
      /** The job already looped before the latest counter reset: the change that reset it did not start the loop. */
      loopedBeforeReset?: boolean;
    }
  | { kind: 'restarts-below-threshold'; metric: RestartMetric; restarts: number; periods: number }
  | { kind: 'restart-metric-unknown'; reason: 'no-series' | 'missing-datapoints'; missingPeriods: number }
  | { kind: 'maintenance'; since: number; operationId?: string; suppressedRestarts: number }
  | { kind: 'stuck-operation'; status: 'UPDATING' | 'AUTOSCALING'; since: number; forMs: number }
  | {
      kind: 'failed-operation';
      operation: ApplicationOperation;
      /** MSF's system rollback of it: done (SUCCESSFUL), in progress, failed, or none referenced. */
      systemRollback: 'done' | 'in-progress' | 'failed' | 'none';
    }
  | {
      kind: 'subtasks-failing';
      afterOperation: ApplicationOperation;
      failing: number;
      canceled: number;
      total: number;
    }
  | { kind: 'checkpoint-stall'; lastCompletedAt: number | null; forMs: number; thresholdMs: number };

export type AnomalyKind = Anomaly['kind'];

/** Picks the first anomaly of a kind, typed. */
export function findAnomaly<K extends AnomalyKind>(
  list: readonly Anomaly[],
  kind: K,
): Extract<Anomaly, { kind: K }> | undefined {
  return list.find((a): a is Extract<Anomaly, { kind: K }> => a.kind === kind);
}
