import { VirtualClock } from '../../../src/core/clock.js';
import type { ClusterSnapshot } from '../../../src/domain/snapshot.js';
import type { ConfigChange, KafkaAdminPort } from '../../../src/probes/kafka-admin/port.js';
import type { BatchingOptions } from '../../../src/rebalancer/batching.js';
import type { Reassignment } from '../../../src/rebalancer/plan.js';
import {
  buildExecutionState,
  readLiveFacts,
} from '../../../src/services/rebalance-exec/execution-prepare.js';
import type {
  ExecutionState,
  MemoryStateStore,
  StateStore,
} from '../../../src/services/rebalance-exec/execution-state.js';
import type { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';

/**
 * "scale-out": brokers 1-3 (racks a, b, c) hold two topics; broker 4 (rack a) is new and empty.
 * The plan moves four partitions onto broker 4 and swaps one leader.
 */
export function scaleOut(): ClusterSnapshot {
  const p = (topic: string, partition: number, replicas: number[], sizeBytes: number) => ({
    topic,
    partition,
    replicas,
    leader: replicas[0]!,
    sizeBytes,
  });
  return {
    version: 1,
    cluster: 'fake',
    capturedAt: '2026-11-22T00:00:00Z',
    brokers: [
      { id: 1, rack: 'a' },
      { id: 2, rack: 'b' },
      { id: 3, rack: 'c' },
      { id: 4, rack: 'a' },
      { id: 5, rack: 'b' },
    ],
    partitions: [
      p('orders', 0, [1, 2, 3], 5_000),
      p('orders', 1, [2, 3, 1], 4_000),
      p('orders', 2, [3, 1, 2], 3_000),
      p('clicks', 0, [1, 3, 2], 2_000),
      p('clicks', 1, [2, 1, 3], 1_000),
      p('clicks', 2, [3, 2, 1], 500),
    ],
  };
}

/** Four replica moves onto broker 4 (rack a replaces rack a) and one leader-only change. */
export const PLAN: Reassignment = {
  version: 1,
  partitions: [
    { topic: 'orders', partition: 0, replicas: [4, 2, 3] },
    { topic: 'orders', partition: 1, replicas: [2, 3, 4] },
    { topic: 'orders', partition: 2, replicas: [3, 4, 2] },
    { topic: 'clicks', partition: 0, replicas: [4, 3, 2] },
    { topic: 'clicks', partition: 1, replicas: [1, 2, 3] },
  ],
};

/** The rollback file `kafka rebalance plan` would write beside PLAN. */
export const ROLLBACK: Reassignment = {
  version: 1,
  partitions: PLAN.partitions.map((p) => ({
    topic: p.topic,
    partition: p.partition,
    replicas: scaleOut().partitions.find((x) => x.topic === p.topic && x.partition === p.partition)!.replicas,
  })),
};

/** A fake whose ongoing reassignments complete `perSleep` at a time whenever the executor sleeps. */
export class DrivingClock extends VirtualClock {
  constructor(
    private readonly fake: FakeKafkaAdmin,
    private readonly perSleep = 1,
  ) {
    super(Date.parse('2026-11-22T01:00:00Z'));
  }
  override async sleep(ms: number): Promise<void> {
    this.advance(ms);
    this.fake.completeReassignments(this.perSleep);
  }
}

/** A prepared state for PLAN on a fake. */
export async function prepare(
  admin: KafkaAdminPort,
  batching: Partial<BatchingOptions> = {},
  rate: number | null = 1_000_000,
  plan = PLAN,
): Promise<ExecutionState> {
  const live = await readLiveFacts(admin, plan);
  return buildExecutionState(
    {
      cluster: 'fake',
      planFile: 'plan.json',
      planHash: 'h',
      plan,
      assumedBefore: ROLLBACK,
      batching,
      throttleBytesPerSec: rate,
      now: Date.parse('2026-11-22T01:00:00Z'),
      id: 'e1',
    },
    live,
  );
}

/** Replicas of every partition of a fake, `topic-p` → list. */
export async function assignment(admin: KafkaAdminPort): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const t of await admin.topicMetadata())
    for (const p of t.partitions) out[`${t.name}-${p.partition}`] = p.replicas;
  return out;
}

/** Every throttle-related config value left on the cluster (read through the port). */
export async function throttleLeftovers(admin: KafkaAdminPort): Promise<string[]> {
  const out: string[] = [];
  for (const b of (await admin.describeCluster()).brokers) {
    const r = await admin.describeBrokerConfigs(b.id, [
      'leader.replication.throttled.rate',
      'follower.replication.throttled.rate',
    ]);
    for (const e of r.entries)
      if (e.source === 'dynamic-broker' && e.value) out.push(`broker ${b.id} ${e.name}=${e.value}`);
  }
  for (const r of await admin.describeTopicConfigs(
    ['orders', 'clicks'],
    ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'],
  )) {
    for (const e of r.entries)
      if (e.source === 'dynamic-topic' && e.value) out.push(`topic ${r.name} ${e.name}=${e.value}`);
  }
  return out;
}

/** One config operation the executor sent. */
export interface SentConfigOp {
  type: string;
  name: string;
  key: string;
  op: string;
  value?: string;
}

/** Wraps a port to record every IncrementalAlterConfigs operation sent through it. */
export function recordingConfigs(port: KafkaAdminPort): { port: KafkaAdminPort; log: SentConfigOp[] } {
  const log: SentConfigOp[] = [];
  const wrapped = new Proxy(port, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv);
      if (prop !== 'incrementalAlterConfigs') return typeof v === 'function' ? v.bind(target) : v;
      return async (changes: ConfigChange[], opts?: { validateOnly?: boolean }) => {
        for (const c of changes)
          for (const o of c.ops)
            log.push({
              type: c.type,
              name: c.name,
              key: o.name,
              op: o.op,
              ...(o.value === undefined ? {} : { value: o.value }),
            });
        return target.incrementalAlterConfigs(changes, opts);
      };
    },
  });
  return { port: wrapped, log };
}

/**
 * A simulated process that can be killed: after `dieAfterCalls` admin calls, or after
 * `dieAfterSaves` state saves, it is dead — every further admin call throws and every further
 * save is lost, exactly what kill -9 does (the cluster keeps whatever it already received).
 */
export class MortalProcess {
  dead = false;
  calls = 0;
  saves = 0;
  readonly submissions: string[] = [];
  constructor(
    private readonly dieAfterCalls = Number.POSITIVE_INFINITY,
    private readonly dieAfterSaves = Number.POSITIVE_INFINITY,
  ) {}

  port(port: KafkaAdminPort): KafkaAdminPort {
    return new Proxy(port, {
      get: (target, prop, recv) => {
        const v = Reflect.get(target, prop, recv);
        if (typeof v !== 'function' || prop === 'close') return v;
        return async (...args: unknown[]) => {
          if (this.dead || this.calls >= this.dieAfterCalls) {
            this.dead = true;
            throw new ProcessDied();
          }
          this.calls++;
          if (prop === 'alterPartitionReassignments') {
            for (const r of args[0] as Array<{ topic: string; partition: number; replicas: number[] | null }>)
              this.submissions.push(`${r.topic}-${r.partition}>${r.replicas?.join(',') ?? 'cancel'}`);
          }
          return v.apply(target, args);
        };
      },
    });
  }

  store(inner: MemoryStateStore): StateStore {
    return {
      load: () => inner.load(),
      save: (s) => {
        if (this.dead) return;
        inner.save(s);
        if (++this.saves >= this.dieAfterSaves) this.dead = true;
      },
    };
  }
}

/** Thrown by a dead process's admin port. */
export class ProcessDied extends Error {}
