import { describe, expect, it } from 'vitest';
import { applyReassignment } from '../../src/domain/reassignment.js';
import type { ClusterSnapshot, SnapshotPartition } from '../../src/domain/snapshot.js';
import { brokerLoads } from '../../src/monitors/broker-load.js';
import { evaluatePartitions } from '../../src/monitors/partitions.js';

function snap(partitions: SnapshotPartition[], brokers = [1, 2, 3]): ClusterSnapshot {
  return {
    version: 1,
    cluster: 'c',
    capturedAt: '2026-11-22T00:00:00Z',
    brokers: brokers.map((id) => ({ id, capacityBytes: 1000 })),
    partitions,
  };
}
const p = (
  topic: string,
  partition: number,
  replicas: number[],
  extra: Partial<SnapshotPartition> = {},
): SnapshotPartition => ({
  topic,
  partition,
  replicas,
  leader: replicas[0]!,
  sizeBytes: 100,
  isr: [...replicas],
  ...extra,
});
/** n partitions round-robin over 3 brokers, RF 3. */
const balanced = (n: number, topic = 't') =>
  Array.from({ length: n }, (_, i) =>
    p(
      topic,
      i,
      [1, 2, 3].map((_, k) => ((i + k) % 3) + 1),
    ),
  );

describe('evaluatePartitions', () => {
  it('is OK for a balanced, fully replicated cluster', () => {
    const r = evaluatePartitions({
      snapshot: snap(balanced(30)),
      brokerType: 'self-managed',
      live: true,
      defaultMinIsr: 2,
    });
    expect(r.severity).toBe('OK');
    expect(r.totals).toMatchObject({ partitions: 30, replicas: 90, underReplicated: 0, offline: 0 });
  });

  it.each([
    [1000, 'OK'],
    [1001, 'WARNING'],
    [1500, 'WARNING'],
    [1501, 'CRITICAL'],
  ] as const)('%i replicas on a kafka.m5.large broker is %s', (n, severity) => {
    const parts = Array.from({ length: n }, (_, i) => p('t', i, [1], { isr: [1] }));
    const r = evaluatePartitions({
      snapshot: snap(parts, [1]),
      brokerType: 'standard',
      instanceType: 'kafka.m5.large',
      live: true,
    });
    expect(r.brokers[0]!.limitSeverity).toBe(severity);
  });

  it.each([
    ['self-managed', 'kafka.m5.huge'],
    ['standard', 'kafka.m5.huge'],
    ['standard', undefined],
  ] as const)(
    'is UNKNOWN, never OK, when the partition limit of the given instance type is unknown (%s, %s)',
    (brokerType, instanceType) => {
      const r = evaluatePartitions({
        snapshot: snap(balanced(30)),
        brokerType,
        ...(instanceType ? { instanceType } : {}),
        live: true,
        defaultMinIsr: 2,
      });
      expect(r.findings.map((f) => f.code)).toContain('partitions.limit-unknown');
      expect(r.severity).toBe('UNKNOWN');
    },
  );

  it('reports URP as WARNING and under-min-ISR and offline as CRITICAL', () => {
    const parts = [
      ...balanced(9),
      p('t', 9, [1, 2, 3], { isr: [1, 2] }),
      p('t', 10, [1, 2, 3], { isr: [1] }),
      p('t', 11, [2, 3, 1], { leader: -1, isr: [] }),
    ];
    const r = evaluatePartitions({
      snapshot: snap(parts),
      brokerType: 'self-managed',
      live: true,
      defaultMinIsr: 2,
    });
    expect(r.totals).toMatchObject({ underReplicated: 2, underMinIsr: 1, offline: 1 });
    const codes = Object.fromEntries(r.findings.map((f) => [f.code, f.severity]));
    expect(codes).toMatchObject({
      'partitions.under-replicated': 'WARNING',
      'partitions.under-min-isr': 'CRITICAL',
      'partitions.offline': 'CRITICAL',
    });
    expect(r.severity).toBe('CRITICAL');
  });

  it('skips ISR checks for offline what-if snapshots', () => {
    const parts = [p('t', 0, [1, 2, 3], { isr: [1] })];
    const r = evaluatePartitions({
      snapshot: snap(parts),
      brokerType: 'self-managed',
      live: false,
      defaultMinIsr: 2,
    });
    expect(r.totals.underReplicated).toBeUndefined();
  });

  it('detects leader skew and preferred-leader imbalance', () => {
    const parts = balanced(30).map((x) => ({ ...x, leader: 1 }));
    const r = evaluatePartitions({ snapshot: snap(parts), brokerType: 'self-managed', live: true });
    expect(r.totals.leaderSkew).toBeCloseTo(3);
    expect(r.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['partitions.leader-skew', 'partitions.preferred-leader-imbalance']),
    );
  });

  it.each([
    [3, 2, undefined],
    [3, 3, 'topics.min-isr-equals-rf'],
    [2, 3, 'topics.min-isr-above-rf'],
    [3, 1, 'topics.min-isr-one'],
  ] as const)('RF %i with min.insync.replicas %i → %s', (rf, minIsr, code) => {
    const parts = Array.from({ length: 3 }, (_, i) => p('orders', i, [1, 2, 3].slice(0, rf)));
    const r = evaluatePartitions({
      snapshot: snap(parts),
      brokerType: 'self-managed',
      live: true,
      minIsr: new Map([['orders', minIsr]]),
    });
    const topicCodes = r.findings.filter((f) => f.code.startsWith('topics.min-isr')).map((f) => f.code);
    expect(topicCodes).toEqual(code ? [code] : []);
  });

  it('flags RF below 3 on clusters of three or more brokers, but not internal topics', () => {
    const parts = [...balanced(3), p('logs', 0, [1, 2]), p('__consumer_offsets', 0, [1])];
    const r = evaluatePartitions({ snapshot: snap(parts), brokerType: 'self-managed', live: true });
    const f = r.findings.find((x) => x.code === 'topics.low-replication-factor');
    expect(f?.message).toContain('logs (RF 2)');
    expect(f?.message).not.toContain('__consumer_offsets');
  });
});

describe('applyReassignment (offline what-if)', () => {
  it('moves replicas and makes the first replica the leader', () => {
    const s = snap([p('t', 0, [1, 2]), p('t', 1, [2, 3])]);
    const snapshot = applyReassignment(s, {
      version: 1,
      partitions: [{ topic: 't', partition: 0, replicas: [3, 2] }],
    });
    expect(snapshot.partitions[0]).toMatchObject({ replicas: [3, 2], leader: 3 });
    expect(brokerLoads(snapshot).map((b) => [b.id, b.partitions, b.leaders])).toEqual([
      [1, 0, 0],
      [2, 2, 1],
      [3, 2, 1],
    ]);
  });

  it('adds a broker the plan moves onto when asked (a broker being added), else refuses it', () => {
    const s = snap([p('t', 0, [1, 2])]);
    const plan = { version: 1 as const, partitions: [{ topic: 't', partition: 0, replicas: [9, 2] }] };
    expect(applyReassignment(s, plan, { newBrokers: 'add' }).brokers.map((b) => b.id)).toContain(9);
    expect(() => applyReassignment(s, plan, { file: 'p.json' })).toThrow(
      'p.json: partitions[0].replicas: expected brokers present in the snapshot (got broker 9)',
    );
  });

  it('refuses a partition the snapshot does not have (a stale plan)', () => {
    const s = snap([p('t', 0, [1, 2])]);
    expect(() =>
      applyReassignment(
        s,
        { version: 1, partitions: [{ topic: 'x', partition: 9, replicas: [1] }] },
        { file: 'p.json', newBrokers: 'add' },
      ),
    ).toThrow('p.json: partitions[0]: expected a partition present in the snapshot (got x-9)');
  });
});
