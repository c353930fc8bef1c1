/**
 * After kill -9: did an in-flight action happen? The journal has the intent (written before the
 * call) but maybe no outcome. MSF is the source of truth: an operation of the action's type
 * (RollbackApplication, StopApplication) that started at or after the intent (minus clock skew)
 * means the call went through: resume verifying it, never repeat it. No such operation, once the
 * listing had time to show it, means the call never left the process: the ladder may decide again.
 */
import type { ApplicationOperation } from '../../domain/flink.js';
import { isoMs } from '../observation.js';

export type Reconciliation =
  | { kind: 'happened'; operation: ApplicationOperation }
  | { kind: 'not-happened' }
  /** The operations could not be listed, or the intent is too recent to be sure: ask again next tick. */
  | { kind: 'retry-later'; why: string };

export interface ReconcileOptions {
  /** Tolerated clock skew between the daemon and AWS (healer.reconcileSkew). */
  skewMs: number;
  /** How long after the intent an absent operation still may appear in the listing. */
  listingGraceMs: number;
}

/** Reconciles one intent (`at`, `operation`) with the application's operations. Pure. */
export function reconcileIntent(
  intent: { at: number; operation: string },
  operations: readonly ApplicationOperation[] | undefined,
  now: number,
  opts: ReconcileOptions,
): Reconciliation {
  if (!operations) return { kind: 'retry-later', why: 'ListApplicationOperations was not available' };
  const match = operations
    .filter((op) => op.operation === intent.operation)
    .map((op) => ({ op, t: isoMs(op.startTime) }))
    .filter(
      (x): x is { op: ApplicationOperation; t: number } =>
        x.t !== undefined && x.t >= intent.at - opts.skewMs,
    )
    .sort((a, b) => a.t - b.t)[0];
  if (match) return { kind: 'happened', operation: match.op };
  if (now - intent.at < opts.listingGraceMs)
    return {
      kind: 'retry-later',
      why: `no ${intent.operation} listed yet (intent ${Math.round((now - intent.at) / 1000)} s old)`,
    };
  return { kind: 'not-happened' };
}
