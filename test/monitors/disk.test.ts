import { describe, expect, it } from 'vitest';
import { DEFAULT_DISK_THRESHOLDS, type DiskInput, evaluateDisk } from '../../src/monitors/disk.js';

const TB = 1e12;
const H = 3_600_000;

function cluster(brokers: DiskInput['brokers'], extra: Partial<DiskInput> = {}): DiskInput {
  return { cluster: 'orders', brokerType: 'standard', brokers, ...extra };
}

describe('evaluateDisk thresholds', () => {
  it.each([
    [59.99, 'OK'],
    [60, 'WARNING'],
    [79.99, 'WARNING'],
    [80, 'CRITICAL'],
    [99, 'CRITICAL'],
  ] as const)('%f%% used is %s', (pct, severity) => {
    const r = evaluateDisk(cluster([{ id: 1, reportedPercent: pct, capacityBytes: TB }]));
    expect(r.brokers[0]!.severity).toBe(severity);
    expect(r.severity).toBe(severity);
  });

  it('honours configured thresholds', () => {
    const r = evaluateDisk(cluster([{ id: 1, reportedPercent: 55 }]), {
      ...DEFAULT_DISK_THRESHOLDS,
      warnPercent: 50,
      critPercent: 70,
    });
    expect(r.severity).toBe('WARNING');
  });

  it('is UNKNOWN, never OK, when usage cannot be read', () => {
    const r = evaluateDisk(cluster([{ id: 1 }, { id: 2, reportedPercent: 10 }]));
    expect(r.severity).toBe('UNKNOWN');
    expect(r.findings.map((f) => f.code)).toContain('disk.unknown');
  });

  it('uses the fullest log dir for self-managed brokers (DescribeLogDirs usable/total)', () => {
    const r = evaluateDisk(
      cluster(
        [
          {
            id: 1,
            logDirs: [
              { path: '/a', totalBytes: 100, usableBytes: 90 },
              { path: '/b', totalBytes: 100, usableBytes: 15 },
            ],
          },
        ],
        { brokerType: 'self-managed' },
      ),
    );
    expect(r.brokers[0]).toMatchObject({
      usedPercent: 85,
      usedBytes: 95,
      capacityBytes: 200,
      severity: 'CRITICAL',
    });
  });

  it('counts log dirs on one volume once, even when usable bytes moved between the two reads', () => {
    const GiB = 1024 ** 3;
    const r = evaluateDisk(
      cluster(
        [
          {
            id: 1,
            logDirs: [
              { path: '/a', totalBytes: 500 * GiB, usableBytes: 200 * GiB },
              { path: '/b', totalBytes: 500 * GiB, usableBytes: 200 * GiB - 3e6 },
            ],
          },
        ],
        { brokerType: 'self-managed' },
      ),
    );
    expect(r.brokers[0]!.capacityBytes).toBe(500 * GiB);
    const jbod = evaluateDisk(
      cluster(
        [
          {
            id: 1,
            logDirs: [
              { path: '/a', totalBytes: 500 * GiB, usableBytes: 200 * GiB },
              { path: '/b', totalBytes: 500 * GiB, usableBytes: 300 * GiB },
            ],
          },
        ],
        { brokerType: 'self-managed' },
      ),
    );
    expect(jbod.brokers[0]!.capacityBytes).toBe(1000 * GiB);
  });

  it('counts log dirs on one volume (same total and usable bytes) once', () => {
    const r = evaluateDisk(
      cluster(
        [
          {
            id: 1,
            logDirs: [
              { path: '/a', totalBytes: 100, usableBytes: 40 },
              { path: '/b', totalBytes: 100, usableBytes: 40 },
            ],
          },
        ],
        { brokerType: 'self-managed' },
      ),
    );
    expect(r.brokers[0]).toMatchObject({ usedBytes: 60, capacityBytes: 100, usedPercent: 60 });
  });

  it('treats an offline log dir as CRITICAL', () => {
    const r = evaluateDisk(
      cluster([{ id: 1, reportedPercent: 10, logDirs: [{ path: '/a', error: 'KAFKA_STORAGE_ERROR' }] }]),
    );
    expect(r.severity).toBe('CRITICAL');
    expect(r.findings[0]!.code).toBe('disk.log-dir-offline');
  });

  it('says Express and Serverless clusters have no per-broker disk', () => {
    const r = evaluateDisk(cluster([], { brokerType: 'express', storageUsedBytes: 5 * TB }));
    expect(r.severity).toBe('OK');
    expect(r.findings[0]!.message).toMatch(/no per-broker storage/);
    expect(r.findings[0]!.message).toMatch(/StorageUsed/);
  });
});

describe('evaluateDisk forecast and advice', () => {
  const growing = (start: number, perHour: number, hours: number) =>
    Array.from({ length: hours + 1 }, (_, i) => ({ t: i * H, usedBytes: start + perHour * i }));

  it('forecasts time to full from the growth trend', () => {
    // 40% of 1 TB used, growing 10 GB/h: full in 60 h, warning (60%) in 20 h.
    const r = evaluateDisk(
      cluster([{ id: 1, usedBytes: 0.4 * TB, capacityBytes: TB, history: growing(0.3 * TB, 1e10, 10) }]),
    );
    const b = r.brokers[0]!;
    expect(b.growthBytesPerDay).toBeCloseTo(24e10, -6);
    expect(b.timeToFullMs).toBeCloseTo(60 * H, -3);
    expect(b.timeToWarnMs).toBeCloseTo(20 * H, -3);
    expect(b.severity).toBe('WARNING'); // full within 7 days
    expect(r.findings.map((f) => f.code)).toContain('disk.time-to-full');
  });

  it('escalates to CRITICAL when the disk fills within 24 hours', () => {
    const r = evaluateDisk(
      cluster([{ id: 1, usedBytes: 0.5 * TB, capacityBytes: TB, history: growing(0.4 * TB, 3e10, 4) }]),
    );
    expect(r.brokers[0]!.severity).toBe('CRITICAL');
  });

  it('gives no forecast without enough history, and no alarm for a flat disk', () => {
    const short = evaluateDisk(
      cluster([{ id: 1, usedBytes: 0.5 * TB, capacityBytes: TB, history: growing(0.4 * TB, 1e10, 1) }]),
    );
    expect(short.brokers[0]!.timeToFullMs).toBeUndefined();
    const flat = evaluateDisk(
      cluster([{ id: 1, usedBytes: 0.3 * TB, capacityBytes: TB, history: growing(0.3 * TB, 0, 10) }]),
    );
    expect(flat.brokers[0]!.timeToFullMs).toBeUndefined();
    expect(flat.severity).toBe('OK');
  });

  it('advises storage to add, warning that MSK storage cannot shrink, with auto-scaling status', () => {
    const r = evaluateDisk(
      cluster([{ id: 1, usedBytes: 0.65 * TB, capacityBytes: TB, history: growing(0.6 * TB, 1e9, 50) }], {
        autoScaling: { enabled: false },
      }),
    );
    const advice = r.findings.find((f) => f.code === 'disk.add-storage');
    expect(advice?.advice).toMatch(/never be scaled down/);
    expect(advice?.advice).toMatch(/auto-scaling is off/);
    // 0.65 TB + 24 GB/day × 30 days = 1.37 TB at 50% → ≥ 2.74 TB.
    expect(r.recommendedCapacityBytes).toBeGreaterThanOrEqual(2.74e12);
    expect(r.recommendedCapacityBytes).toBeLessThan(2.75e12);
  });

  it('suggests a rebalance when brokers are uneven', () => {
    const r = evaluateDisk(
      cluster([
        { id: 1, reportedPercent: 70 },
        { id: 2, reportedPercent: 30 },
      ]),
    );
    expect(r.findings.find((f) => f.code === 'disk.imbalance')?.subject).toBe('broker 1');
  });

  it.each([
    [
      'imbalance alone (10% vs 35%)',
      [
        { id: 1, reportedPercent: 10 },
        { id: 2, reportedPercent: 35 },
      ],
      'disk.imbalance',
    ],
    [
      'add-storage advice below the warning threshold (reaches it within the planning period)',
      [{ id: 1, usedBytes: 0.5 * TB, capacityBytes: TB, history: growing(0.45 * TB, 1e9, 50) }],
      'disk.add-storage',
    ],
  ] as const)('a WARNING finding raises the cluster severity: %s', (_name, brokers, code) => {
    const r = evaluateDisk(cluster(brokers.map((b) => ({ ...b }))));
    expect(r.findings.find((f) => f.code === code)?.severity).toBe('WARNING');
    expect(r.severity).toBe('WARNING');
  });
});
