import { describe, expect, it } from 'vitest';
import type { FlinkApplicationInfo } from '../../src/domain/flink.js';
import { auditApplication, runtimeSupport } from '../../src/monitors/flink-audit.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const healthy: FlinkApplicationInfo = {
  name: 'enricher',
  kind: 'managed',
  status: 'RUNNING',
  runtime: 'FLINK-1_20',
  snapshotsEnabled: true,
  systemRollbackEnabled: true,
  checkpointingEnabled: true,
  metricsLevel: 'APPLICATION',
};
const recent = [{ name: 's1', status: 'READY', createTime: '2026-11-22T01:00:00Z' }];

describe('auditApplication', () => {
  it('has no findings for an application that follows the recommendations', () => {
    expect(auditApplication({ app: healthy, snapshots: recent, logging: true, now: NOW })).toEqual([]);
  });

  it.each([
    [{ snapshotsEnabled: false }, 'audit.snapshots-disabled', 'CRITICAL'],
    [{ systemRollbackEnabled: false }, 'audit.system-rollback-disabled', 'WARNING'],
    [{ checkpointingEnabled: false }, 'audit.checkpointing-off', 'CRITICAL'],
    [{ runtime: 'FLINK-1_13' }, 'audit.runtime-unsupported', 'CRITICAL'],
    [{ runtime: 'FLINK-1_15' }, 'audit.runtime-old', 'WARNING'],
    [{ metricsLevel: 'PARALLELISM' }, 'audit.metrics-level-costly', 'WARNING'],
  ] as const)('%o → %s (%s)', (change, code, severity) => {
    const findings = auditApplication({
      app: { ...healthy, ...change },
      snapshots: recent,
      logging: true,
      now: NOW,
    });
    expect(findings.map((f) => [f.code, f.severity])).toEqual([[code, severity]]);
  });

  it.each([
    [[], 'audit.no-snapshot'],
    [[{ name: 'old', status: 'READY', createTime: '2026-11-20T12:00:00Z' }], 'audit.snapshot-stale'],
    [[{ name: 'f', status: 'FAILED', createTime: '2026-11-22T11:00:00Z' }], 'audit.no-snapshot'],
  ])('snapshots %o → %s', (snapshots, code) => {
    expect(auditApplication({ app: healthy, snapshots, logging: true, now: NOW }).map((f) => f.code)).toEqual(
      [code],
    );
  });

  it('checks the snapshot age at the boundary (24 h)', () => {
    const at = (ms: number) =>
      auditApplication({
        app: healthy,
        snapshots: [{ name: 's', status: 'READY', createTime: new Date(NOW - ms).toISOString() }],
        now: NOW,
      });
    expect(at(24 * 3_600_000)).toEqual([]);
    expect(at(24 * 3_600_000 + 1000).map((f) => f.code)).toEqual(['audit.snapshot-stale']);
  });

  it('warns when CloudWatch logging is missing', () => {
    expect(
      auditApplication({ app: healthy, snapshots: recent, logging: false, now: NOW }).map((f) => f.code),
    ).toEqual(['audit.no-logging']);
  });

  it.each([
    ['FLINK-2_2', 'current'],
    ['FLINK-1_20', 'current'],
    ['FLINK-1_18', 'current'],
    ['FLINK-1_15', 'old'],
    ['FLINK-1_11', 'unsupported'],
    ['SQL-1_0', 'unknown'],
  ])('runtime %s is %s', (runtime, support) => expect(runtimeSupport(runtime)).toBe(support));
});
