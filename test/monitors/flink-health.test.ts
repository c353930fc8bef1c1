import { describe, expect, it } from 'vitest';
import { evaluateFlinkStatus, type FlinkStatusInput } from '../../src/monitors/flink-health.js';

const NOW = 1_800_000_000_000;
const base: FlinkStatusInput = {
  app: 'enricher',
  kind: 'managed',
  status: 'RUNNING',
  jobState: 'RUNNING',
  subtasks: { kind: 'all-running', reason: 'all 4 subtasks RUNNING' },
  restarts: { state: 'quiet', trailingQuiet: 5 },
  lastCheckpointAt: NOW - 60_000,
  now: NOW,
};

describe('evaluateFlinkStatus', () => {
  it('is OK for a running application with healthy subtasks, no restarts and a fresh checkpoint', () => {
    expect(evaluateFlinkStatus(base)).toEqual({ severity: 'OK', findings: [] });
  });

  it.each([
    [
      {
        restarts: {
          state: 'loop',
          restarts: 6,
          periods: 3,
          windowStart: 0,
          firstRestartAt: 0,
          lastRestartAt: 0,
        },
      },
      'flink.restart-loop',
      'CRITICAL',
    ],
    [
      { restarts: { state: 'restarting', restarts: 1, periods: 1, windowStart: 0, trailingQuiet: 2 } },
      'flink.restarting',
      'WARNING',
    ],
    [
      {
        restarts: {
          state: 'unknown',
          reason: 'missing-datapoints',
          missingPeriods: 3,
          restarts: 0,
          trailingQuiet: 0,
        },
      },
      'flink.restarts-unknown',
      'UNKNOWN',
    ],
    [{ subtasks: { kind: 'failed', reason: '2 FAILED of 4 subtasks' } }, 'flink.subtasks-failed', 'CRITICAL'],
    [
      { subtasks: undefined, restUnavailable: 'dashboard unavailable: application is UPDATING' },
      'flink.rest-unavailable',
      'UNKNOWN',
    ],
    [{ status: 'UPDATING' }, 'flink.transitional', 'WARNING'],
    [{ status: 'READY', subtasks: undefined }, 'flink.not-running', 'WARNING'],
    [
      {
        lastOperation: {
          operationId: 'op1',
          operation: 'UpdateApplication',
          status: 'FAILED',
          endTime: new Date(NOW - 3_600_000).toISOString(),
          errorString: 'ClassNotFoundException',
        },
      },
      'flink.operation-failed',
      'WARNING',
    ],
  ] as const)('%o → %s', (change, code, severity) => {
    const r = evaluateFlinkStatus({ ...base, ...(change as Partial<FlinkStatusInput>) });
    expect(r.findings.map((f) => [f.code, f.severity])).toContainEqual([code, severity]);
    expect(r.severity).toBe(severity);
  });

  it('flags a stale checkpoint at the boundary (15 min)', () => {
    expect(evaluateFlinkStatus({ ...base, lastCheckpointAt: NOW - 15 * 60_000 }).severity).toBe('OK');
    expect(evaluateFlinkStatus({ ...base, lastCheckpointAt: NOW - 15 * 60_000 - 1 }).findings[0]?.code).toBe(
      'flink.checkpoint-stale',
    );
  });
});
