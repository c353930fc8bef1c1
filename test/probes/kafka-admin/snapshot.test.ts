import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ClusterSnapshot, readSnapshotFile, validateSnapshot } from '../../../src/domain/snapshot.js';
import type { BrokerLogDirs } from '../../../src/probes/kafka-admin/port.js';
import { captureSnapshot, writeSnapshotFile } from '../../../src/probes/kafka-admin/snapshot.js';
import { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';

const NOW = Date.parse('2026-11-22T01:02:03Z');

/** Three brokers in three racks; t-0 on 1,2 and t-1 on 2,3; a single-replica partition on 1. */
const fixture = (capacity?: number): ClusterSnapshot => ({
  version: 1,
  cluster: 'fixture',
  capturedAt: '2026-01-01T00:00:00Z',
  brokers: [1, 2, 3].map((id) => ({ id, rack: `az${id}`, ...(capacity ? { capacityBytes: capacity } : {}) })),
  partitions: [
    { topic: 't', partition: 0, replicas: [1, 2], leader: 1, sizeBytes: 1000 },
    { topic: 't', partition: 1, replicas: [2, 3], leader: 2, sizeBytes: 3000 },
    { topic: 'solo', partition: 0, replicas: [1], leader: 1, sizeBytes: 50 },
  ],
});

/** The fake, with each broker's log dirs rewritten by `edit` (JBOD, futures, stale followers). */
class EditedLogDirs extends FakeKafkaAdmin {
  edit: (d: BrokerLogDirs) => BrokerLogDirs = (d) => d;
  override async describeLogDirs(ids?: number[]) {
    return (await super.describeLogDirs(ids)).map((d) => this.edit(d));
  }
}

describe('captureSnapshot', () => {
  it('captures brokers with rack and log-dir capacity, and every partition with its leader size', async () => {
    const snap = await captureSnapshot(FakeKafkaAdmin.fromSnapshot(fixture(1e9)), {
      cluster: 'prod',
      now: NOW,
    });
    expect(snap).toMatchObject({
      version: 1,
      cluster: 'prod',
      capturedAt: '2026-11-22T01:02:03.000Z',
      warnings: [],
    });
    expect(snap.brokers.map((b) => [b.id, b.rack, b.capacityBytes, b.capacitySource, b.usedBytes])).toEqual([
      [1, 'az1', 1e9, 'log-dirs', 1050],
      [2, 'az2', 1e9, 'log-dirs', 4000],
      [3, 'az3', 1e9, 'log-dirs', 3000],
    ]);
    expect(snap.partitions.map((p) => [p.topic, p.partition, p.replicas, p.leader, p.sizeBytes])).toEqual([
      ['t', 0, [1, 2], 1, 1000],
      ['t', 1, [2, 3], 2, 3000],
      ['solo', 0, [1], 1, 50],
    ]);
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snap)), 'captured')).not.toThrow();
  });

  it('counts log dirs on one filesystem (same total and usable bytes) once', async () => {
    const fake = EditedLogDirs.fromSnapshot(fixture()) as EditedLogDirs;
    fake.edit = (d) =>
      d.brokerId !== 1
        ? d
        : {
            brokerId: 1,
            logDirs: [
              { path: '/data/a', totalBytes: 500, usableBytes: 200, partitions: [] },
              { path: '/data/b', totalBytes: 500, usableBytes: 200, partitions: [] },
            ],
          };
    const b1 = (await captureSnapshot(fake, { cluster: 'c', now: NOW })).brokers[0]!;
    expect([b1.capacityBytes, b1.usableBytes]).toEqual([500, 200]);
  });

  it('falls back to the configured capacity when brokers do not report one', async () => {
    const snap = await captureSnapshot(FakeKafkaAdmin.fromSnapshot(fixture()), {
      cluster: 'c',
      capacityBytes: 5e11,
      now: NOW,
    });
    expect(snap.brokers.map((b) => [b.capacityBytes, b.capacitySource])).toEqual([
      [5e11, 'config'],
      [5e11, 'config'],
      [5e11, 'config'],
    ]);
    const none = await captureSnapshot(FakeKafkaAdmin.fromSnapshot(fixture()), { cluster: 'c', now: NOW });
    expect(none.brokers[0]!.capacityBytes).toBeUndefined();
  });

  it('sums JBOD directories and ignores future logs and offline directories for sizes', async () => {
    const fake = EditedLogDirs.fromSnapshot(fixture()) as EditedLogDirs;
    fake.edit = (d) =>
      d.brokerId !== 1
        ? d
        : {
            brokerId: 1,
            logDirs: [
              {
                path: '/a',
                totalBytes: 100,
                usableBytes: 10,
                partitions: [{ topic: 't', partition: 0, sizeBytes: 1000, offsetLag: 0, isFuture: false }],
              },
              {
                path: '/b',
                totalBytes: 300,
                usableBytes: 30,
                partitions: [
                  { topic: 't', partition: 0, sizeBytes: 9999, offsetLag: 0, isFuture: true },
                  { topic: 'solo', partition: 0, sizeBytes: 50, offsetLag: 0, isFuture: false },
                ],
              },
              { path: '/c', error: { code: 56, name: 'KAFKA_STORAGE_ERROR' }, partitions: [] },
            ],
          };
    const snap = await captureSnapshot(fake, { cluster: 'c', now: NOW });
    const b1 = snap.brokers[0]!;
    expect([b1.capacityBytes, b1.usableBytes]).toEqual([400, 40]);
    expect(snap.partitions[0]!.sizeBytes).toBe(1000);
    expect(snap.warnings).toEqual(['broker 1: log dir /c is offline (KAFKA_STORAGE_ERROR)']);
  });

  it('uses the largest replica when the leader is offline, lists the dead broker, and flags unknown sizes', async () => {
    const fake = FakeKafkaAdmin.fromSnapshot(fixture(1e9));
    fake.setBrokerOnline(1, false);
    const snap = await captureSnapshot(fake, { cluster: 'c', now: NOW });
    expect(snap.brokers.map((b) => [b.id, b.offline ?? false])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
    const byName = Object.fromEntries(snap.partitions.map((p) => [`${p.topic}-${p.partition}`, p]));
    expect(byName['t-0']).toMatchObject({ leader: 2, sizeBytes: 1000, offlineReplicas: [1] });
    expect(byName['solo-0']).toMatchObject({ leader: -1, sizeBytes: 0, sizeUnknown: true });
    expect(snap.warnings).toEqual([
      'broker 1: hosts replicas but is not in the cluster metadata (offline)',
      '1 partition(s) with no replica size reported: recorded as 0 bytes with sizeUnknown',
    ]);
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snap)), 'captured')).not.toThrow();
  });

  it('takes the leader size, not a lagging follower size', async () => {
    const fake = EditedLogDirs.fromSnapshot(fixture()) as EditedLogDirs;
    fake.edit = (d) =>
      d.brokerId === 2
        ? {
            ...d,
            logDirs: d.logDirs.map((l) => ({
              ...l,
              partitions: l.partitions.map((p) =>
                p.topic === 't' && p.partition === 0 ? { ...p, sizeBytes: 10 } : p,
              ),
            })),
          }
        : d;
    const snap = await captureSnapshot(fake, { cluster: 'c', now: NOW });
    expect(snap.partitions[0]!.sizeBytes).toBe(1000);
  });
});

describe('writeSnapshotFile', () => {
  it('round-trips through readSnapshotFile, one partition per line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-'));
    const file = join(dir, 'c.json');
    const snap = await captureSnapshot(FakeKafkaAdmin.fromSnapshot(fixture(1e9)), { cluster: 'c', now: NOW });
    writeSnapshotFile(file, snap);
    expect(readSnapshotFile(file)).toEqual(JSON.parse(JSON.stringify(snap)));
    expect(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('    {"topic"')),
    ).toHaveLength(3);
    expect(readdirSync(dir)).toEqual(['c.json']);
  });

  it('writes a valid file for a cluster without partitions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-'));
    writeSnapshotFile(join(dir, 'e.json'), { ...fixture(), partitions: [] });
    expect(readSnapshotFile(join(dir, 'e.json')).partitions).toEqual([]);
  });

  it('replaces an existing file atomically and leaves it untouched when writing fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, 'old');
    writeSnapshotFile(file, fixture());
    expect(readSnapshotFile(file).cluster).toBe('fixture');
    const missing = join(dir, 'no-such-dir', 'c.json');
    expect(() => writeSnapshotFile(missing, fixture())).toThrow(
      expect.objectContaining({ exitCode: 73, message: expect.stringContaining('ENOENT') }),
    );
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(dir)).toEqual(['c.json']);
  });
});
