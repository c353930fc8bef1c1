import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../src/domain/snapshot.js';
import type { KafkaAdminPort, LogDirMoveRequest } from '../../../src/probes/kafka-admin/port.js';
import type { Reassignment } from '../../../src/rebalancer/plan.js';
import { MemoryStateStore } from '../../../src/services/rebalance-exec/execution-state.js';
import { type ExecEvent, runExecution } from '../../../src/services/rebalance-exec/executor.js';
import { dirStatuses } from '../../../src/services/rebalance-exec/log-dir-moves.js';
import { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';
import {
  assignment,
  DrivingClock,
  MortalProcess,
  PLAN,
  prepare,
  recordingConfigs,
  scaleOut,
  throttleLeftovers,
} from './helpers.js';

const FAST = { pollMs: 1_000, stallMs: 10_000 };
const DIRS = ['/d/a', '/d/b'];

/** scaleOut() with two log dirs per broker and every replica in /d/a. */
function jbod(): ClusterSnapshot {
  const s = scaleOut();
  for (const b of s.brokers) b.logDirs = DIRS.map((path) => ({ path }));
  for (const p of s.partitions) p.logDirs = p.replicas.map(() => '/d/a');
  return s;
}

/**
 * PLAN plus dirs: orders-0's new replica on 4 goes to /d/b (created there) and its kept replica
 * on 3 moves to /d/b; clicks-2 only moves its replica on 2 between dirs (same replicas).
 */
const DIR_PLAN: Reassignment = {
  version: 1,
  partitions: [
    { ...PLAN.partitions[0]!, log_dirs: ['/d/b', 'any', '/d/b'] },
    ...PLAN.partitions.slice(1),
    { topic: 'clicks', partition: 2, replicas: [3, 2, 1], log_dirs: ['any', '/d/b', 'any'] },
  ],
};

/** Completes reassignments and intra-broker copies whenever the executor sleeps. */
class JbodClock extends DrivingClock {
  constructor(private readonly f: FakeKafkaAdmin) {
    super(f, 1);
  }
  override async sleep(ms: number): Promise<void> {
    await super.sleep(ms);
    this.f.logDirs.completeMoves();
  }
}

/** Wraps a port to record AlterReplicaLogDirs requests and their answers. */
function recording(port: KafkaAdminPort): { port: KafkaAdminPort; log: string[] } {
  const log: string[] = [];
  const wrapped = new Proxy(port, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv);
      if (prop !== 'alterReplicaLogDirs') return typeof v === 'function' ? v.bind(target) : v;
      return async (moves: LogDirMoveRequest[]) => {
        const res = await target.alterReplicaLogDirs(moves);
        for (const r of res)
          log.push(`${r.topic}-${r.partition}@${r.brokerId}→${r.path}:${r.error?.name ?? 'ok'}`);
        return res;
      };
    },
  });
  return { port: wrapped, log };
}

async function dirOf(fake: FakeKafkaAdmin, broker: number, topic: string, partition: number) {
  const [b] = await fake.describeLogDirs([broker]);
  return b!.logDirs.find((d) =>
    d.partitions.some((p) => p.topic === topic && p.partition === partition && !p.isFuture),
  )?.path;
}

/** A prepared, throttled execution of DIR_PLAN on a fresh JBOD fake. */
async function throttledRun() {
  const fake = FakeKafkaAdmin.fromSnapshot(jbod());
  fake.logDirs.hold = true;
  const state = await prepare(fake, { maxPerBroker: 2 }, 1_000_000, DIR_PLAN);
  const store = new MemoryStateStore();
  store.save(state);
  return { fake, state, store, clock: new JbodClock(fake) };
}

/** Admin calls of one uninterrupted throttled run: every one of them is a kill point. */
const FULL_CALLS = await (async () => {
  const { fake, state, store, clock } = await throttledRun();
  const p = new MortalProcess();
  await runExecution(state, { admin: p.port(fake), store: p.store(store), clock }, FAST);
  return p.calls;
})();

describe('rebalance executor: log dirs (JBOD) in the same execution', () => {
  it('creates new replicas in their planned dir, moves kept ones with AlterReplicaLogDirs, and verifies every dir', async () => {
    const fake = FakeKafkaAdmin.fromSnapshot(jbod());
    fake.logDirs.hold = true;
    const rec = recording(fake);
    const state = await prepare(rec.port, { maxPerBroker: 2 }, null, DIR_PLAN);
    expect(state.logDirs).toHaveLength(3);
    const events: ExecEvent[] = [];
    const store = new MemoryStateStore();
    const final = await runExecution(
      state,
      { admin: rec.port, store, clock: new JbodClock(fake), emit: (e) => events.push(e) },
      FAST,
    );
    expect(final.phase).toBe('done');
    expect((await assignment(fake))['orders-0']).toEqual([4, 2, 3]);
    expect(await dirOf(fake, 4, 'orders', 0)).toBe('/d/b');
    expect(await dirOf(fake, 3, 'orders', 0)).toBe('/d/b');
    expect(await dirOf(fake, 2, 'clicks', 2)).toBe('/d/b');
    expect(await dirOf(fake, 2, 'orders', 0)).toBe('/d/a');
    // The new replica was announced before its reassignment (not hosted yet), so it needed no
    // second copy; the two kept replicas were moved once each.
    expect(rec.log[0]).toBe('orders-0@4→/d/b:REPLICA_NOT_AVAILABLE');
    expect(rec.log.filter((l) => l.startsWith('orders-0@4'))).toHaveLength(1);
    expect(rec.log.filter((l) => l.endsWith(':ok')).sort()).toEqual([
      'clicks-2@2→/d/b:ok',
      'orders-0@3→/d/b:ok',
    ]);
    expect(final.logDirs!.every((t) => t.inPlace)).toBe(true);
    const last = events.filter((e) => e.type === 'log-dirs').at(-1);
    expect(last).toMatchObject({ inPlace: 3, total: 3 });
    // First seen: only the new replica in place; the two kept ones then moved and verified.
    expect(events.find((e) => e.type === 'log-dirs')).toMatchObject({ inPlace: 1, total: 3 });
  });

  it('throttles copies between dirs at the execution rate on the brokers concerned, and restores their rate at the end', async () => {
    const fake = FakeKafkaAdmin.fromSnapshot(jbod());
    fake.logDirs.hold = true;
    // An operator's own intra-broker rate on broker 3 is put back afterwards.
    await fake.incrementalAlterConfigs([
      {
        type: 'broker',
        name: '3',
        ops: [{ name: 'replica.alter.log.dirs.io.max.bytes.per.second', op: 'set', value: '777' }],
      },
    ]);
    const rec = recordingConfigs(fake);
    const state = await prepare(rec.port, { maxPerBroker: 2 }, 1_000_000, DIR_PLAN);
    const final = await runExecution(
      state,
      { admin: rec.port, store: new MemoryStateStore(), clock: new JbodClock(fake) },
      FAST,
    );
    expect(final.phase).toBe('done');
    const dirOps = rec.log.filter((o) => o.key === 'replica.alter.log.dirs.io.max.bytes.per.second');
    expect(
      dirOps
        .filter((o) => o.op === 'set' && o.value === '1000000')
        .map((o) => o.name)
        .sort(),
    ).toEqual(['2', '3']);
    expect(dirOps.filter((o) => o.op !== 'set' || o.value !== '1000000')).toEqual([
      { type: 'broker', name: '2', key: 'replica.alter.log.dirs.io.max.bytes.per.second', op: 'delete' },
      {
        type: 'broker',
        name: '3',
        key: 'replica.alter.log.dirs.io.max.bytes.per.second',
        op: 'set',
        value: '777',
      },
    ]);
    expect(final.throttles.dirBrokers ?? {}).toEqual({});
    expect(await throttleLeftovers(fake)).toEqual([]);
  });

  it('refuses a plan whose log dir the broker does not have, naming the file and the field (exit 65)', async () => {
    const fake = FakeKafkaAdmin.fromSnapshot(jbod());
    const bad: Reassignment = {
      version: 1,
      partitions: [{ ...PLAN.partitions[0]!, log_dirs: ['/d/c', 'any', 'any'] }],
    };
    await expect(prepare(fake, {}, null, bad)).rejects.toMatchObject({
      exitCode: 65,
      message: expect.stringMatching(
        /plan\.json: partitions\[0\]\.log_dirs\[0\]: expected "any" or a log dir of broker 4 \(\/d\/a, \/d\/b\)/,
      ),
    });
  });

  it('the kill points below cover a whole run, its dir phase and throttles included', () => {
    expect(FULL_CALLS).toBeGreaterThan(20);
  });

  it.each(Array.from({ length: FULL_CALLS + 1 }, (_, i) => i))(
    'killed after admin call %i, resumes to every replica in its planned dir with no throttle left',
    async (n) => {
      const { fake, state, store, clock } = await throttledRun();
      const kill = new MortalProcess(n);
      await runExecution(state, { admin: kill.port(fake), store: kill.store(store), clock }, FAST).catch(
        () => undefined,
      );
      const saved = store.load()!;
      const final =
        saved.phase === 'done' ? saved : await runExecution(saved, { admin: fake, store, clock }, FAST);
      expect(final.phase).toBe('done');
      expect(await dirOf(fake, 4, 'orders', 0)).toBe('/d/b');
      expect(await dirOf(fake, 3, 'orders', 0)).toBe('/d/b');
      expect(await dirOf(fake, 2, 'clicks', 2)).toBe('/d/b');
      expect(await throttleLeftovers(fake)).toEqual([]);
      const [b3] = await fake
        .describeBrokerConfigs(3, ['replica.alter.log.dirs.io.max.bytes.per.second'])
        .then((r) => r.entries);
      expect(b3).toBeUndefined();
    },
  );

  it('reads each replica against its planned dir: in place, moving (future log), elsewhere, absent, unknown', () => {
    const t = (broker: number, dir: string) => ({ topic: 't', partition: 0, broker, dir, inPlace: false });
    const entry = (id: number, cur: string, fut?: string) => ({
      brokerId: id,
      logDirs: DIRS.map((path) => ({
        path,
        partitions: [
          ...(path === cur
            ? [{ topic: 't', partition: 0, sizeBytes: 9, offsetLag: 0, isFuture: false }]
            : []),
          ...(path === fut ? [{ topic: 't', partition: 0, sizeBytes: 4, offsetLag: 0, isFuture: true }] : []),
        ],
      })),
    });
    const r = dirStatuses(
      [t(1, '/d/b'), t(2, '/d/b'), t(3, '/d/b'), t(4, '/d/b'), t(5, '/d/b')],
      [
        entry(1, '/d/b'),
        entry(2, '/d/a', '/d/b'),
        entry(3, '/d/a'),
        entry(4, '/none'),
        { brokerId: 5, error: { code: 8, name: 'BROKER_NOT_AVAILABLE' }, logDirs: [] },
      ],
    );
    expect(r).toEqual({ status: ['in-place', 'moving', 'elsewhere', 'absent', 'unknown'], futureBytes: 4 });
  });
});
