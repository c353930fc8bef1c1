import { describe, expect, it } from 'vitest';
import { DISTRIBUTIONS, generateCluster } from '../../bench/cluster-gen.js';
import type { ClusterSnapshot } from '../../src/domain/snapshot.js';
import { validateSnapshot } from '../../src/domain/snapshot.js';
import { planLogDirs } from '../../src/rebalancer/log-dirs.js';
import { planAndReport } from '../../src/rebalancer/report.js';

/** Two brokers with dirs /a and /b; partitions t-0.. of the given sizes, replicas [1,2], dirs given. */
function jbod(
  sizes: number[],
  dirs: Array<[string, string]>,
  extra: Partial<ClusterSnapshot> = {},
): ClusterSnapshot {
  const logDirs = [
    { path: '/a', totalBytes: 1e9 },
    { path: '/b', totalBytes: 1e9 },
  ];
  return validateSnapshot(
    {
      version: 1,
      cluster: 'c',
      capturedAt: '2026-12-01T00:00:00Z',
      brokers: [
        { id: 1, logDirs },
        { id: 2, logDirs },
      ],
      partitions: sizes.map((s, i) => ({
        topic: 't',
        partition: i,
        replicas: [1, 2],
        leader: 1,
        sizeBytes: s,
        logDirs: dirs[i],
      })),
      ...extra,
    },
    'snap.json',
  );
}

describe('intra-broker (JBOD) balance', () => {
  it('moves the fewest bytes to even out a broker whose dirs are skewed, with a reason per move', () => {
    // Broker 1: /a holds 100+60+40, /b nothing: one move of 100 evens it (100/100).
    const s = jbod(
      [100, 60, 40],
      [
        ['/a', '/a'],
        ['/a', '/b'],
        ['/a', '/a'],
      ],
    );
    const d = planLogDirs(s, [], { band: 1.03 });
    const b1 = d.moves.filter((m) => m.broker === 1);
    expect(b1).toEqual([
      {
        topic: 't',
        partition: 0,
        broker: 1,
        from: '/a',
        to: '/b',
        bytes: 100,
        reason: 'log dir on 1: /a → /b',
      },
    ]);
    // Broker 2 (/a 140, /b 60) sheds 40: 140 bytes in all, which is the lower bound.
    expect(d.report.movedBytes).toBe(140);
    expect(d.report.lowerBoundBytes).toBe(140);
    expect(d.report.spread.before).toBeCloseTo(2);
    expect(d.report.spread.after).toBeCloseTo(1);
    expect(d.report.met).toBe(true);
    // The plan entry for t-0 names the new dir on broker 1 only; the rollback the old one.
    expect(d.logDirs.get(0)).toEqual(['/b', 'any']);
    expect(d.rollbackDirs.get(0)).toEqual(['/a', 'any']);
  });

  it('moves nothing between dirs already within the band, and re-planning moves nothing', () => {
    const s = jbod(
      [100, 100],
      [
        ['/a', '/a'],
        ['/b', '/b'],
      ],
    );
    expect(planLogDirs(s, [], { band: 1.03 }).moves).toEqual([]);
  });

  it('places replicas a broker receives in its emptiest dir first, at no extra byte', () => {
    const s = validateSnapshot(
      {
        version: 1,
        cluster: 'c',
        brokers: [
          { id: 1, logDirs: [{ path: '/a' }, { path: '/b' }] },
          { id: 2, logDirs: [{ path: '/a' }, { path: '/b' }] },
          { id: 3, logDirs: [{ path: '/a' }, { path: '/b' }] },
        ],
        partitions: [
          { topic: 't', partition: 0, replicas: [1], leader: 1, sizeBytes: 50, logDirs: ['/a'] },
          { topic: 't', partition: 1, replicas: [2], leader: 2, sizeBytes: 50, logDirs: ['/a'] },
          { topic: 't', partition: 2, replicas: [3], leader: 3, sizeBytes: 50, logDirs: ['/a'] },
        ],
      },
      's.json',
    );
    // Broker 3 receives t-0 and t-1: /a has 50, so one goes to /b, the other evens to 100/50 → /b.
    const d = planLogDirs(
      s,
      [
        { topic: 't', partition: 0, target: [3] },
        { topic: 't', partition: 1, target: [3] },
      ],
      { band: 1.03 },
    );
    const on3 = d.moves.filter((m) => m.broker === 3);
    expect(on3.every((m) => m.from === null || m.bytes > 0)).toBe(true);
    expect(d.report.placements).toBe(2);
    expect(d.report.movedBytes).toBe(on3.filter((m) => m.from !== null).reduce((x, m) => x + m.bytes, 0));
    expect(d.logDirs.get(0)).toEqual([expect.stringMatching(/^\/[ab]$/)]);
  });

  it('leaves a broker alone (with a warning) when a replica dir is unknown or offline, and a snapshot without replica dirs', () => {
    const s = jbod(
      [100, 60],
      [
        ['/a', '/a'],
        ['/a', '/b'],
      ],
    );
    s.partitions[0]!.logDirs = [null, '/a'];
    const d = planLogDirs(s, [], { band: 1.03 });
    expect(d.moves.every((m) => m.broker === 2)).toBe(true);
    expect(d.report.warnings.join()).toMatch(/broker 1: .*not balanced/);
    for (const p of s.partitions) delete p.logDirs;
    expect(planLogDirs(s, [], { band: 1.03 }).report.warnings.join()).toMatch(/partitions\[\]\.logDirs/);
  });

  it("warns when a broker's dirs look like one volume (same total and usable bytes)", () => {
    const s = jbod(
      [100, 60],
      [
        ['/a', '/a'],
        ['/a', '/b'],
      ],
    );
    s.brokers[0]!.logDirs = [
      { path: '/a', totalBytes: 1e9, usableBytes: 5e8 },
      { path: '/b', totalBytes: 1e9, usableBytes: 5e8 },
    ];
    expect(planLogDirs(s, [], { band: 1.03 }).report.warnings).toContain(
      'broker 1: log dirs /a, /b look like one volume (same total and usable bytes): balancing them evens the dirs but frees no disk',
    );
  });

  it('moves only the listed topics between dirs with --topics, none with --light, nothing on Express', () => {
    const s = jbod(
      [100, 60, 40],
      [
        ['/a', '/a'],
        ['/a', '/b'],
        ['/a', '/a'],
      ],
    );
    s.partitions[0]!.topic = 'big';
    const only = planLogDirs(s, [], { band: 1.03, topics: ['t'] });
    expect(only.moves.length).toBeGreaterThan(0);
    expect(only.moves.filter((m) => m.topic !== 't')).toEqual([]);
    expect(planLogDirs(s, [], { band: 1.03, placeOnly: true }).moves).toEqual([]);
    expect(planAndReport(s, { plan: { brokerType: 'express' } }).report.logDirs.moves).toBe(0);
    for (const b of s.brokers) b.capacityBytes = 2e9;
    expect(planAndReport(s, { plan: { light: true } }).report.logDirs.moves).toBe(0);
  });

  it('writes dir moves into the plan (same replicas, new dirs) and the rollback, with reasons in moves', () => {
    const s = jbod(
      [100, 60, 40],
      [
        ['/a', '/a'],
        ['/a', '/b'],
        ['/a', '/a'],
      ],
    );
    const { plan, rollback, report } = planAndReport(s);
    const t0 = plan.partitions.find((p) => p.partition === 0)!;
    expect(t0.replicas.length).toBe(2);
    expect(t0.log_dirs).toContain('/b');
    const rb = rollback.partitions.find((p) => p.partition === 0)!;
    expect(rb.log_dirs).toContain('/a');
    const m = report.moves.find((x) => x.partition === 0)!;
    expect(m.reasons.some((r) => r.startsWith('log dir on 1: /a → /b'))).toBe(true);
    expect(report.logDirs.dirs.find((x) => x.broker === 1 && x.path === '/a')).toMatchObject({
      bytesBefore: 200,
      bytesAfter: 100,
      utilisationBefore: 200 / 1e9,
    });
  });

  it('balances the generated skewed-dirs distribution within the band at moved/LB ≤ 1.05', () => {
    const g = generateCluster(DISTRIBUTIONS.find((x) => x.name === 'jbod-skewed-dirs')!);
    const { report } = planAndReport(g.snapshot, { plan: g.options });
    const r = report.logDirs;
    expect(r.brokers).toBe(g.snapshot.brokers.length);
    expect(r.spread.before).toBeGreaterThan(1.5);
    expect(r.spread.after).toBeLessThanOrEqual(1.03 + 1e-9);
    expect(r.met).toBe(true);
    expect(r.movedBytes / r.lowerBoundBytes).toBeLessThanOrEqual(1.05);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: raw JSON mutated into bad shapes on purpose
type Loose = any;

describe('snapshot log dirs: clear errors naming file and field', () => {
  const base = () => ({
    version: 1,
    cluster: 'c',
    brokers: [{ id: 1, logDirs: [{ path: '/a' }, { path: '/b' }] }],
    partitions: [{ topic: 't', partition: 0, replicas: [1], leader: 1, sizeBytes: 1, logDirs: ['/a'] }],
  });
  it.each([
    [
      (s: Loose) => (s.brokers[0].logDirs[1].path = 'b'),
      /snap\.json: brokers\[0\]\.logDirs\[1\]\.path: expected an absolute directory path/,
    ],
    [(s: Loose) => (s.brokers[0].logDirs[1].totalBytes = -1), /brokers\[0\]\.logDirs\[1\]\.totalBytes/],
    [(s: Loose) => (s.brokers[0].logDirs = 'x'), /brokers\[0\]\.logDirs: expected an array/],
    [
      (s: Loose) => (s.partitions[0].logDirs = ['/a', '/b']),
      /partitions\[0\]\.logDirs: expected one log dir \(or null\) per replica \(1\)/,
    ],
    [
      (s: Loose) => (s.partitions[0].logDirs = ['/c']),
      /partitions\[0\]\.logDirs\[0\]: expected null or a log dir of broker 1 \(\/a, \/b\)/,
    ],
  ])('%#', (mutate, message) => {
    const s = base();
    mutate(s);
    expect(() => validateSnapshot(s, 'snap.json')).toThrow(message);
  });
  it('accepts a snapshot without log dirs (single-dir brokers, older snapshots)', () => {
    const s = base() as Loose;
    delete s.brokers[0].logDirs;
    delete s.partitions[0].logDirs;
    expect(validateSnapshot(s, 'snap.json').partitions[0]!.logDirs).toBeUndefined();
  });
});
