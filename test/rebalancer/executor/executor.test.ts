import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../src/services/rebalance-exec/execution-state.js';
import {
  cancelExecution,
  type ExecEvent,
  runExecution,
} from '../../../src/services/rebalance-exec/executor.js';
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
/** Admin calls and state saves of one uninterrupted run: every one of them is a kill point. */
const FULL = await (async () => {
  const fake = FakeKafkaAdmin.fromSnapshot(scaleOut());
  const state = await prepare(fake, { maxPerBroker: 2 });
  const p = new MortalProcess();
  const store = new MemoryStateStore();
  await runExecution(
    state,
    { admin: p.port(fake), store: p.store(store), clock: new DrivingClock(fake, 1) },
    { pollMs: 1_000, stallMs: 10_000 },
  );
  return { calls: p.calls, saves: p.saves };
})();
const target = Object.fromEntries(PLAN.partitions.map((p) => [`${p.topic}-${p.partition}`, p.replicas]));

async function setup(batching = {}, rate: number | null = 1_000_000) {
  const fake = FakeKafkaAdmin.fromSnapshot(scaleOut());
  const state = await prepare(fake, batching, rate);
  const store = new MemoryStateStore();
  const clock = new DrivingClock(fake, 1);
  const events: ExecEvent[] = [];
  const rec = recordingConfigs(fake);
  return {
    fake,
    configLog: rec.log,
    state,
    store,
    clock,
    events,
    deps: { admin: rec.port, store, clock, emit: (e: ExecEvent) => events.push(e) },
  };
}

describe('rebalance executor on the fake cluster', () => {
  it('moves every planned partition in batches, elects preferred leaders and ends with no throttle left', async () => {
    const { fake, state, deps, events } = await setup({ maxPerBroker: 2 });
    const final = await runExecution(state, deps, FAST);
    expect(final.phase).toBe('done');
    const now = await assignment(fake);
    for (const [k, v] of Object.entries(target)) expect(now[k]).toEqual(v);
    expect(await throttleLeftovers(fake)).toEqual([]);
    const topics = await fake.topicMetadata(['orders']);
    expect(topics[0]!.partitions[0]!.leader).toBe(4); // preferred leader elected after the move
    expect(final.election!.failed).toEqual([]);
    expect(events.filter((e) => e.type === 'batch-done')).toHaveLength(final.batches.length);
    expect(final.history.map((h) => h.to)).toEqual(
      expect.arrayContaining(['checking', 'throttling', 'moving', 'verifying', 'clearing-throttles', 'done']),
    );
  });

  it.each([1, 2, 5])('never has more than %i concurrent moves on a broker', async (cap) => {
    const { state } = await setup({ maxPerBroker: cap });
    for (const b of state.batches) {
      const busy = new Map<number, number>();
      for (const m of b.moves)
        for (const x of new Set([...m.adding, ...m.removing])) busy.set(x, (busy.get(x) ?? 0) + 1);
      expect(Math.max(0, ...busy.values())).toBeLessThanOrEqual(cap);
    }
  });

  it('sets throttles per batch: rates on the brokers involved, sources as leader and destinations as follower replicas', async () => {
    const { configLog, state, deps, events } = await setup({ maxPerBroker: 5 });
    await runExecution(state, deps, FAST);
    const set = events.find((e) => e.type === 'throttles-set');
    expect(set).toBeDefined();
    const sets = configLog.filter((o) => o.op !== 'delete' && o.op !== 'subtract');
    expect(sets).toContainEqual({
      type: 'broker',
      name: '4',
      key: 'follower.replication.throttled.rate',
      op: 'set',
      value: '1000000',
    });
    expect(sets).toContainEqual({
      type: 'broker',
      name: '1',
      key: 'leader.replication.throttled.rate',
      op: 'set',
      value: '1000000',
    });
    const orders = sets.filter((o) => o.type === 'topic' && o.name === 'orders');
    expect(
      orders.find((o) => o.key === 'follower.replication.throttled.replicas')!.value!.split(','),
    ).toEqual(expect.arrayContaining(['0:4', '1:4', '2:4']));
    expect(orders.find((o) => o.key === 'leader.replication.throttled.replicas')!.value!.split(',')).toEqual(
      expect.arrayContaining(['0:1', '0:2', '0:3']),
    );
    // Cleared: every rate deleted (none existed before), every entry subtracted.
    expect(
      configLog
        .filter((o) => o.op === 'delete')
        .map((o) => `${o.name}:${o.key}`)
        .sort(),
    ).toEqual(
      [1, 2, 3, 4]
        .flatMap((b) => [
          `${b}:follower.replication.throttled.rate`,
          `${b}:leader.replication.throttled.rate`,
        ])
        .sort(),
    );
  });

  it('sets no throttle without a rate', async () => {
    const { configLog, state, deps } = await setup({}, null);
    const final = await runExecution(state, deps, FAST);
    expect(final.phase).toBe('done');
    expect(configLog).toEqual([]);
    expect(final.history.some((h) => h.to === 'throttling')).toBe(false);
  });

  it("restores an operator's broker rate and keeps the operator's own throttled replicas", async () => {
    const { fake, state, deps } = await setup();
    await fake.incrementalAlterConfigs([
      {
        type: 'broker',
        name: '1',
        ops: [{ name: 'leader.replication.throttled.rate', op: 'set', value: '777' }],
      },
      {
        type: 'topic',
        name: 'orders',
        ops: [{ name: 'leader.replication.throttled.replicas', op: 'set', value: '0:1,5:9' }],
      },
    ]);
    await runExecution(state, deps, FAST);
    expect(await throttleLeftovers(fake)).toEqual([
      'broker 1 leader.replication.throttled.rate=777',
      'topic orders leader.replication.throttled.replicas=0:1,5:9',
    ]);
  });

  it('splits a partition that changes two replicas into two steps in successive batches with one-replica-at-a-time', async () => {
    const fake = FakeKafkaAdmin.fromSnapshot(scaleOut());
    const plan = {
      version: 1 as const,
      partitions: [{ topic: 'orders', partition: 0, replicas: [4, 5, 3] }],
    };
    const state = await prepare(fake, { oneReplicaAtATime: true }, 1_000_000, plan);
    const steps = state.batches.flatMap((b) => b.moves.map((m) => ({ batch: b.index, ...m })));
    expect(steps.map((m) => [m.step, m.steps])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(steps[0]!.batch).toBeLessThan(steps[1]!.batch);
    for (const m of steps) expect(m.replicas).toHaveLength(3);
    const store = new MemoryStateStore();
    const final = await runExecution(state, { admin: fake, store, clock: new DrivingClock(fake, 1) }, FAST);
    expect(final.phase).toBe('done');
    expect((await assignment(fake))['orders-0']).toEqual([4, 5, 3]);
    expect(await throttleLeftovers(fake)).toEqual([]);
  });

  it('cancel reverts the in-flight moves, clears throttles and marks the execution cancelled', async () => {
    const { fake, state, store, deps } = await setup({ maxPerBroker: 5 });
    let polls = 0;
    const clock = { now: () => deps.clock.now(), sleep: async (ms: number) => deps.clock.advance(ms) }; // nothing completes
    const events: ExecEvent[] = [];
    const final = await runExecution(
      state,
      { ...deps, clock, emit: (e) => events.push(e), cancelRequested: () => ++polls > 3 },
      FAST,
    );
    expect(final.phase).toBe('cancelled');
    expect(await fake.listPartitionReassignments()).toEqual([]);
    expect(await assignment(fake)).toMatchObject({ 'orders-0': [1, 2, 3], 'orders-1': [2, 3, 1] });
    expect(await throttleLeftovers(fake)).toEqual([]);
    expect(events.find((e) => e.type === 'reverted')).toBeDefined();
    expect(store.load()!.phase).toBe('cancelled');
  });

  it('cancel of an interrupted execution (no executor alive) does the same from the saved state', async () => {
    const { fake, state, store, deps } = await setup({ maxPerBroker: 5 });
    const p = new MortalProcess(Number.POSITIVE_INFINITY);
    const clock = {
      now: () => deps.clock.now(),
      sleep: async () => {
        p.dead = true;
      },
    }; // dies at its first wait
    await expect(
      runExecution(state, { ...deps, admin: p.port(fake), store: p.store(store), clock }, FAST),
    ).rejects.toThrow();
    const saved = store.load()!;
    expect(saved.phase).toBe('moving');
    expect((await fake.listPartitionReassignments()).length).toBeGreaterThan(0);
    const final = await cancelExecution(saved, { admin: fake, store, clock: deps.clock }, FAST);
    expect(final.phase).toBe('cancelled');
    expect(await fake.listPartitionReassignments()).toEqual([]);
    expect(await throttleLeftovers(fake)).toEqual([]);
  });

  it('refuses to resume when a reassignment it did not start is in progress', async () => {
    const { fake, state, deps } = await setup();
    await fake.alterPartitionReassignments([{ topic: 'clicks', partition: 2, replicas: [4, 2, 1] }]);
    await expect(runExecution(state, deps, FAST)).rejects.toThrow(
      /already in progress that this execution did not start: clicks-2/,
    );
  });

  it('fails, naming the partition, when a move is reverted outside streamctl; cancel then cleans up', async () => {
    const { fake, state, store, deps } = await setup({ maxPerBroker: 5 });
    let n = 0;
    const clock = {
      now: () => deps.clock.now(),
      sleep: async () => {
        if (++n === 1)
          await fake.alterPartitionReassignments([{ topic: 'orders', partition: 0, replicas: null }]);
      },
    };
    await expect(runExecution(state, { ...deps, clock }, FAST)).rejects.toThrow(
      /orders-0 changed outside this execution/,
    );
    expect(store.load()!.phase).toBe('failed');
    const final = await cancelExecution(store.load()!, deps, FAST);
    expect(final.phase).toBe('cancelled');
    expect(await throttleLeftovers(fake)).toEqual([]);
  });

  it('waits for a broker that cannot take its throttle (reported as a stall) and goes on when it is back', async () => {
    const { fake, state, deps } = await setup({ maxPerBroker: 5 });
    fake.setBrokerOnline(4, false);
    let sleeps = 0;
    const events: ExecEvent[] = [];
    const clock = {
      now: () => deps.clock.now(),
      sleep: async (ms: number) => {
        deps.clock.advance(ms);
        if (++sleeps === 20) fake.setBrokerOnline(4, true);
        if (sleeps > 20) fake.completeReassignments(1);
      },
    };
    const final = await runExecution(state, { ...deps, clock, emit: (e) => events.push(e) }, FAST);
    expect(events.find((e) => e.type === 'stall')).toMatchObject({ brokers: [4] });
    const firstSubmit = events.findIndex((e) => e.type === 'submitted');
    expect(events.findIndex((e) => e.type === 'stall')).toBeLessThan(firstSubmit); // nothing moved while waiting
    expect(final.phase).toBe('done');
    expect(await throttleLeftovers(fake)).toEqual([]);
  });

  it('reports a stall when nothing advances for stallMs, and carries on when moves complete again', async () => {
    const { fake, state, deps } = await setup({ maxPerBroker: 5 });
    let sleeps = 0;
    const events: ExecEvent[] = [];
    const clock = {
      now: () => deps.clock.now(),
      sleep: async (ms: number) => {
        deps.clock.advance(ms);
        if (++sleeps === 1) fake.setBrokerOnline(4, false);
        if (sleeps === 15) fake.setBrokerOnline(4, true);
        if (sleeps >= 15) fake.completeReassignments(1);
      },
    };
    const final = await runExecution(state, { ...deps, clock, emit: (e) => events.push(e) }, FAST);
    const stall = events.find((e) => e.type === 'stall');
    expect(stall).toMatchObject({ type: 'stall', brokers: [4] });
    expect((stall as { stalledMs: number }).stalledMs).toBeGreaterThanOrEqual(FAST.stallMs);
    expect(events.some((e) => e.type === 'stall-over')).toBe(true);
    expect(final.phase).toBe('done');
  });
});

describe('resume after the process is killed', () => {
  /** Runs until death, resumes from the saved state (a new process), and checks the outcome. */
  async function killAndResume(kill: MortalProcess) {
    const fake = FakeKafkaAdmin.fromSnapshot(scaleOut());
    const state = await prepare(fake, { maxPerBroker: 2 });
    const store = new MemoryStateStore();
    store.save(state);
    const clock = new DrivingClock(fake, 1);
    let first: unknown;
    try {
      first = await runExecution(state, { admin: kill.port(fake), store: kill.store(store), clock }, FAST);
    } catch (e) {
      first = e;
    }
    const saved = store.load()!;
    const again = new MortalProcess();
    const final =
      saved.phase === 'done'
        ? saved
        : await runExecution(saved, { admin: again.port(fake), store, clock }, FAST);
    return { fake, first, saved, final, submissions: [...kill.submissions, ...again.submissions] };
  }

  const reference = async () => (await killAndResume(new MortalProcess())).submissions.length;

  it('the kill points below cover a whole uninterrupted run', () => {
    expect(FULL.calls).toBeGreaterThan(10);
    expect(FULL.saves).toBeGreaterThan(10);
  });

  it.each(Array.from({ length: FULL.calls + 1 }, (_, i) => i))(
    'killed after admin call %i: resumes to done with no duplicate or lost move',
    async (n) => {
      const { fake, final, submissions, first } = await killAndResume(new MortalProcess(n));
      expect(
        first === undefined || first instanceof Error || (first as { phase: string }).phase === 'done',
      ).toBe(true);
      expect(final.phase).toBe('done');
      const now = await assignment(fake);
      for (const [k, v] of Object.entries(target)) expect(now[k]).toEqual(v);
      expect(await throttleLeftovers(fake)).toEqual([]);
      // Each move submitted exactly once, unless the kill hit before Kafka received it.
      expect(new Set(submissions).size).toBe(submissions.length);
      expect(submissions.length).toBe(await reference());
    },
  );

  it.each(Array.from({ length: FULL.saves }, (_, i) => i + 1))(
    'killed right after state save %i: resumes to done with no duplicate or lost move',
    async (n) => {
      const { fake, final, submissions } = await killAndResume(
        new MortalProcess(Number.POSITIVE_INFINITY, n),
      );
      expect(final.phase).toBe('done');
      const now = await assignment(fake);
      for (const [k, v] of Object.entries(target)) expect(now[k]).toEqual(v);
      expect(await throttleLeftovers(fake)).toEqual([]);
      expect(new Set(submissions).size).toBe(submissions.length);
    },
  );
});
