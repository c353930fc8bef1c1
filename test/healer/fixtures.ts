/**
 * Named fixtures for healer tests: an application observation builder and restart-counter series
 * written as the counter values per 1-minute period (undefined = missing datapoint).
 */
import type { ApplicationOperation } from '../../src/domain/flink.js';
import type { Classification } from '../../src/healer/classifier.js';
import type { AppObservation, RestartCounterSeries } from '../../src/healer/observation.js';
import { type HealerPolicy, policyFromConfig } from '../../src/healer/policy.js';

export const MIN = 60_000;
/** Virtual "now" of most tests: 1 h after the epoch, so series of a few periods start at t ≥ 0. */
export const NOW = 60 * MIN;

/** Counter values per period, oldest first, ending with the period that starts at `end - 1 min`. */
export function series(
  values: Array<number | undefined>,
  opts: { end?: number; metric?: 'fullRestarts' | 'numRestarts' } = {},
): RestartCounterSeries {
  const end = opts.end ?? NOW;
  return {
    metric: opts.metric ?? 'fullRestarts',
    source: 'cloudwatch',
    periodMs: MIN,
    points: values.map((value, i) => ({ t: end - (values.length - i) * MIN, value })),
  };
}

/** A RUNNING managed app with 3 snapshots, version 8, deployed 10 minutes ago. */
export function observation(
  patch: Partial<AppObservation> & { status?: string; tags?: Record<string, string> } = {},
): AppObservation {
  const { status, tags, ...rest } = patch;
  return {
    app: {
      name: 'orders',
      kind: 'managed',
      applicationName: 'orders',
      region: 'us-east-1',
      status: status ?? 'RUNNING',
      runtime: 'FLINK-1_20',
      versionId: 8,
      snapshotsEnabled: true,
      tags: tags ?? {},
    },
    account: '123456789012',
    observedAt: NOW,
    restarts: series([0, 0, 0, 0, 0, 0, 0]),
    operations: [deploy(NOW - 10 * MIN)],
    snapshots: {
      count: 3,
      latest: { name: 'snap-3', status: 'READY', createTime: new Date(NOW - 11 * MIN).toISOString() },
      items: [],
    },
    ...rest,
  };
}

/** A successful UpdateApplication 7 → 8 that ended at `end`. */
export function deploy(end: number, patch: Partial<ApplicationOperation> = {}): ApplicationOperation {
  return {
    operationId: 'op-update',
    operation: 'UpdateApplication',
    status: 'SUCCESSFUL',
    startTime: new Date(end - MIN).toISOString(),
    endTime: new Date(end).toISOString(),
    versionFrom: 7,
    versionTo: 8,
    ...patch,
  };
}

export function classification(
  verdict: 'user' | 'system' | 'unknown',
  patch: Partial<Classification> = {},
): Classification {
  return {
    verdict,
    confidence: 0.9,
    subtype:
      verdict === 'user'
        ? 'user-code-error'
        : verdict === 'system'
          ? 'external-system-unavailable'
          : 'unknown',
    rootCause: {
      exception: 'java.lang.NullPointerException',
      message: '',
      frame: 'com.acme.Enrich.map(Enrich.java:42)',
    },
    signals: [],
    ...patch,
  };
}

/** The default policy in act mode (most tests), with overrides. */
export function policy(patch: Record<string, unknown> = {}): HealerPolicy {
  return policyFromConfig({ mode: 'act', ...patch });
}
