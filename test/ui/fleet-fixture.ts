import type { FleetView } from '../../src/services/watch-model.js';

/** A fixed fleet: one healthy cluster, one with a broker down; one app looping, one healthy, one self-managed; one open incident. */
export const T = Date.UTC(2026, 10, 22, 3, 0, 0);
export const fleet: FleetView = {
  at: T,
  windowMs: 15 * 60_000,
  severity: 'CRITICAL',
  kafka: [
    { cluster: 'prod', severity: 'WARNING', brokerType: 'standard', brokers: 3, brokersDown: [], diskMaxPercent: 71.5, diskMaxBroker: 2, urp: 0, underMinIsr: 0, offline: 0, perBroker: [{ id: 1, usedPercent: 55, partitions: 400, leaders: 133, severity: 'OK' }, { id: 2, usedPercent: 71.5, partitions: 400, leaders: 134, severity: 'WARNING' }, { id: 3, usedPercent: 52, partitions: 400, leaders: 133, severity: 'OK' }], findings: [{ severity: 'WARNING', text: 'broker 2: disk 71.5% used (warning at 60%)' }] },
    { cluster: 'events', severity: 'CRITICAL', brokerType: 'self-managed', brokers: 2, brokersDown: [3], urp: 120, underMinIsr: 4, offline: 2, perBroker: [{ id: 1, partitions: 90, leaders: 45, severity: 'OK' }, { id: 2, partitions: 90, leaders: 45, severity: 'OK' }, { id: 3, partitions: 60, leaders: 0, severity: 'CRITICAL' }], findings: [{ severity: 'CRITICAL', text: 'events: 2 offline partitions' }] },
  ],
  flink: [
    { app: 'orders', kind: 'managed', severity: 'CRITICAL', status: 'RUNNING', runtime: 'FLINK-1_20', versionId: 7, restartMetric: 'fullRestarts', perMinute: [0, 0, 0, 3, 3, 3, 4], restartsWindow: 13, loop: 'loop', lastCheckpointDurationMs: 1200, lastCheckpointSizeBytes: 4096, failedCheckpointsWindow: 5 },
    { app: 'clicks', kind: 'managed', severity: 'OK', status: 'RUNNING', runtime: 'FLINK-2_2', versionId: 2, restartMetric: 'numRestarts', perMinute: [0, 0, 0, 0], restartsWindow: 0, loop: 'quiet', lastCheckpointDurationMs: 800, lastCheckpointSizeBytes: 1_048_576 },
    { app: 'legacy', kind: 'self-managed', severity: 'OK', status: 'not polled', perMinute: [], restartsWindow: 0, loop: 'not-polled', note: 'self-managed: watch never polls Flink REST; run `streamctl flink status legacy`' },
  ],
  incidents: [{ app: 'orders', kind: 'restart-loop', openedAt: T - 300_000, summary: 'restart-loop (user, npe-in-user-function); actions: rollback → healed' }],
  calls: { 'cloudwatch:GetMetricData': 1, 'kinesisanalyticsv2:DescribeApplication': 2 },
  errors: [],
};
