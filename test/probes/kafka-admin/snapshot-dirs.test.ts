import { describe, expect, it } from 'vitest';
import { validateSnapshot } from '../../../src/domain/snapshot.js';
import { captureSnapshot } from '../../../src/probes/kafka-admin/snapshot.js';
import { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';

const snap = (logDirs?: Array<{ path: string }>) => ({
  version: 1 as const,
  cluster: 'c',
  capturedAt: '2026-12-01T00:00:00Z',
  brokers: [1, 2].map((id) => ({ id, ...(logDirs ? { logDirs } : {}) })),
  partitions: [
    {
      topic: 't',
      partition: 0,
      replicas: [1, 2],
      leader: 1,
      sizeBytes: 100,
      ...(logDirs ? { logDirs: ['/a', '/b'] } : {}),
    },
    {
      topic: 't',
      partition: 1,
      replicas: [2, 1],
      leader: 2,
      sizeBytes: 40,
      ...(logDirs ? { logDirs: ['/b', '/b'] } : {}),
    },
  ],
});

describe('snapshot capture: log dirs (JBOD)', () => {
  it("records each replica's dir in replica order and each dir's used bytes, and reads back valid", async () => {
    const fake = FakeKafkaAdmin.fromSnapshot(snap([{ path: '/a' }, { path: '/b' }]));
    const s = await captureSnapshot(fake, { cluster: 'c', now: 0 });
    expect(s.partitions.map((p) => p.logDirs)).toEqual([
      ['/a', '/b'],
      ['/b', '/b'],
    ]);
    expect(s.brokers.find((b) => b.id === 1)!.logDirs).toEqual([
      { path: '/a', usedBytes: 100 },
      { path: '/b', usedBytes: 40 },
    ]);
    const back = validateSnapshot(JSON.parse(JSON.stringify(s)), 'snap.json');
    expect(back.partitions[0]!.logDirs).toEqual(['/a', '/b']);
  });

  it('records no per-replica dirs when every broker has one dir (MSK Standard), as before', async () => {
    const s = await captureSnapshot(FakeKafkaAdmin.fromSnapshot(snap()), { cluster: 'c', now: 0 });
    expect(s.partitions.every((p) => p.logDirs === undefined)).toBe(true);
  });
});
