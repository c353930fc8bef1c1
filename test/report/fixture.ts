import type { ClusterSnapshot } from '../../src/domain/snapshot.js';
import type { FleetReport } from '../../src/report/model.js';
import { diskResult, observationFromSnapshot, partitionsResult } from '../../src/services/kafka-monitors.js';

const T0 = Date.parse('2026-11-22T00:00:00Z');

/** A small fleet: one cluster with a hot broker and growth, two Flink apps (one looping). */
export function fixtureReport(): FleetReport {
  const snapshot: ClusterSnapshot = {
    version: 1,
    cluster: 'orders',
    capturedAt: '2026-11-22T00:00:00Z',
    brokers: [1, 2, 3].map((id) => ({ id, rack: `az${id}`, capacityBytes: 1000e9 })),
    partitions: Array.from({ length: 30 }, (_, i) => ({
      topic: 'orders',
      partition: i,
      replicas: [(i % 3) + 1, ((i + 1) % 3) + 1],
      leader: (i % 3) + 1,
      sizeBytes: i % 3 === 0 ? 50e9 : 20e9,
      isr: [(i % 3) + 1, ((i + 1) % 3) + 1],
    })),
  };
  const obs = {
    ...observationFromSnapshot(snapshot, { brokerType: 'standard', instanceType: 'kafka.m5.large' }),
    live: true,
  };
  obs.history = new Map([
    [1, Array.from({ length: 12 }, (_, h) => ({ t: T0 - (11 - h) * 3_600_000, usedBytes: 600e9 + h * 5e9 }))],
  ]);
  const disk = diskResult(obs);
  const partitions = partitionsResult(obs);
  return {
    generatedAt: '2026-11-22T06:00:00.000Z',
    since: '2026-11-21T06:00:00.000Z',
    severity: 'CRITICAL',
    kafka: [{ cluster: 'orders', severity: disk.severity, disk, partitions, findings: [] }],
    flink: [
      {
        name: 'enricher',
        severity: 'CRITICAL',
        status: 'RUNNING',
        runtime: 'FLINK-1_20',
        versionId: 7,
        restartMetric: 'fullRestarts',
        restarts: Array.from({ length: 15 }, (_, i) => ({
          t: T0 + i * 60_000,
          value: i < 5 ? 0 : i === 9 ? undefined : 2,
        })),
        lastOperation: {
          operation: 'UpdateApplication',
          status: 'SUCCESSFUL',
          startTime: '2026-11-22T00:04:00Z',
        },
        findings: [
          {
            severity: 'CRITICAL',
            code: 'flink.restart-loop',
            subject: 'enricher',
            message: 'fail-and-restart loop: 18 restarts in 10 minutes',
            advice: 'streamctl runbook restart-loop enricher',
          },
        ],
      },
      {
        name: 'sessionizer <b>',
        severity: 'OK',
        status: 'RUNNING',
        restarts: [{ t: T0, value: 0 }],
        findings: [],
      },
    ],
    healer: {
      mode: 'act',
      actions: [
        {
          at: '2026-11-22T00:09:30Z',
          app: 'enricher',
          action: 'rollback',
          outcome: 'healed',
          reason: 'loop + user verdict + UpdateApplication 5 min before',
        },
      ],
      openIncidents: [],
    },
  };
}
