/**
 * The KafkaAdminPort contract (docs/design.md §6): one specification, run against the in-memory fake
 * and against real 3-broker Kafka 3.9 and 4.x clusters through the kafkajs adapter. Whatever the
 * fake promises here, Kafka does too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafkaAdmin } from '../../../src/probes/kafka-admin/index.js';
import type { BrokerLogDirs, KafkaAdminPort } from '../../../src/probes/kafka-admin/port.js';
import { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';
import type { KafkaPeerInfo } from '../../peers/kinds/kafka.js';
import { usePeer } from '../../peers/use.js';
import { eventually, plaintextCluster, reassignmentsSettled, uniqueTopic } from './helpers.js';

interface Subject {
  port: KafkaAdminPort;
  /** Lets in-flight reassignments of `topic` finish (the fake finishes them when told). */
  settle(topic: string): Promise<void>;
  close(): Promise<void>;
}

const subjects: Array<[string, () => Promise<Subject>]> = [
  [
    'fake',
    async () => {
      const fake = FakeKafkaAdmin.fromSnapshot({
        version: 1,
        cluster: 'fake',
        capturedAt: '2026-11-22T00:00:00Z',
        brokers: [
          { id: 1, rack: 'use1-az1', capacityBytes: 1e12 },
          { id: 2, rack: 'use1-az2', capacityBytes: 1e12 },
          { id: 3, rack: 'use1-az3', capacityBytes: 1e12 },
        ],
        partitions: [],
      });
      return { port: fake, settle: async () => void fake.completeReassignments(), close: () => fake.close() };
    },
  ],
  ...(['3.9', '4'] as const).map((version): [string, () => Promise<Subject>] => [
    `kafka ${version}`,
    async () => {
      const info = await usePeer<KafkaPeerInfo>('kafka', { version, brokers: 3, scram: true });
      const port = await openKafkaAdmin(plaintextCluster(info));
      return { port, settle: (t) => reassignmentsSettled(port, t), close: () => port.close() };
    },
  ]),
];

describe.each(subjects)('KafkaAdminPort contract: %s', (_name, make) => {
  let s: Subject;
  let brokers: number[];
  const topic = uniqueTopic('contract');

  beforeAll(async () => {
    s = await make();
    brokers = (await s.port.describeCluster()).brokers.map((b) => b.id);
    await s.port.createTopics([
      {
        name: topic,
        assignments: [
          [brokers[0]!, brokers[1]!],
          [brokers[1]!, brokers[2]!],
        ],
      },
    ]);
  });
  afterAll(async () => {
    await s?.port.deleteTopics([topic]).catch(() => undefined);
    await s?.close();
  });

  it('describes three brokers with racks and a controller among them', async () => {
    const c = await s.port.describeCluster();
    expect(c.brokers).toHaveLength(3);
    expect(c.brokers.map((b) => b.rack)).toEqual(['use1-az1', 'use1-az2', 'use1-az3']);
    expect(brokers).toContain(c.controllerId);
  });

  it('reports a created topic with its explicit placement, leaders on the first replica and a full ISR', async () => {
    const [t] = await eventually('topic metadata', async () => {
      const md = await s.port.topicMetadata([topic]);
      const ok =
        md[0] &&
        !md[0].error &&
        md[0].partitions.length === 2 &&
        md[0].partitions.every((p) => p.leader >= 0 && p.isr.length === 2);
      return ok ? md : undefined;
    });
    expect(
      t!.partitions.map((p) => ({
        partition: p.partition,
        replicas: p.replicas,
        leader: p.leader,
        offline: p.offlineReplicas,
      })),
    ).toEqual([
      { partition: 0, replicas: [brokers[0], brokers[1]], leader: brokers[0], offline: [] },
      { partition: 1, replicas: [brokers[1], brokers[2]], leader: brokers[1], offline: [] },
    ]);
  });

  it('reports an unknown topic as a value, not an exception', async () => {
    const [t] = await s.port.topicMetadata(['no-such-topic-contract']);
    expect(t!.error?.name).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('lists every replica of the topic in the log dirs of the broker that holds it', async () => {
    const holders = (dirs: BrokerLogDirs[], p: number) =>
      dirs
        .filter((d) =>
          d.logDirs.some((l) => l.partitions.some((x) => x.topic === topic && x.partition === p)),
        )
        .map((d) => d.brokerId);
    // Followers create their replica logs shortly after the topic exists.
    const dirs = await eventually('replica logs on every replica', async () => {
      const d = await s.port.describeLogDirs();
      return holders(d, 0).length === 2 && holders(d, 1).length === 2 ? d : undefined;
    });
    expect(dirs.map((d) => d.brokerId)).toEqual(brokers);
    expect(holders(dirs, 0)).toEqual([brokers[0], brokers[1]]);
    expect(holders(dirs, 1)).toEqual([brokers[1], brokers[2]]);
  });

  it('answers for a broker that is not in the cluster with per-broker error values', async () => {
    const [dirs] = await s.port.describeLogDirs([99]);
    expect(dirs).toMatchObject({ brokerId: 99, logDirs: [], error: { name: 'BROKER_NOT_AVAILABLE' } });
    const cfg = await s.port.describeBrokerConfigs(99);
    expect(cfg).toMatchObject({
      type: 'broker',
      name: '99',
      entries: [],
      error: { name: 'BROKER_NOT_AVAILABLE' },
    });
  });

  it('reports a reassignment of an unknown partition as a per-partition error', async () => {
    const r = await s.port.alterPartitionReassignments([
      { topic: 'no-such-topic-contract', partition: 0, replicas: [brokers[0]!] },
      { topic, partition: 7, replicas: [brokers[0]!] },
    ]);
    expect(r.map((x) => x.error?.name)).toEqual(['UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC_OR_PARTITION']);
  });

  it('sets and deletes a broker throttle on that broker only', async () => {
    // Other test files share the peer and may throttle too: recognise ours by a unique value.
    const key = 'leader.replication.throttled.rate';
    const ours = String(1_048_576 + Math.floor(Math.random() * 1_000_000));
    const [a, b] = [brokers[0]!, brokers[1]!];
    const valueOn = async (id: number) =>
      (await s.port.describeBrokerConfigs(id, [key])).entries.find((e) => e.name === key);

    const set = await s.port.incrementalAlterConfigs([
      { type: 'broker', name: String(a), ops: [{ name: key, op: 'set', value: ours }] },
    ]);
    expect(set).toEqual([{ type: 'broker', name: String(a) }]);
    const onA = await eventually('the throttle to show', async () => {
      const e = await valueOn(a);
      return e?.value === ours ? e : undefined;
    });
    expect(onA).toMatchObject({ source: 'dynamic-broker', value: ours });
    expect((await valueOn(b))?.value).not.toBe(ours);

    await s.port.incrementalAlterConfigs([
      { type: 'broker', name: String(a), ops: [{ name: key, op: 'delete' }] },
    ]);
    await eventually('the throttle to go', async () =>
      (await valueOn(a))?.value !== ours ? true : undefined,
    );
  });

  it('appends to and subtracts from a topic throttled-replicas list', async () => {
    const key = 'follower.replication.throttled.replicas';
    // Config changes reach every broker through the metadata log: describe is eventually consistent.
    const valueIs = (want: string | undefined) =>
      eventually(`${key} = ${want}`, async () => {
        const [r] = await s.port.describeTopicConfigs([topic], [key]);
        const e = r!.entries.find((x) => x.name === key && x.source === 'dynamic-topic');
        return e?.value === want ? (e ?? null) : undefined;
      });
    const alter = (op: 'set' | 'append' | 'subtract' | 'delete', value?: string) =>
      s.port.incrementalAlterConfigs([
        { type: 'topic', name: topic, ops: [{ name: key, op, ...(value ? { value } : {}) }] },
      ]);

    await alter('set', `0:${brokers[0]}`);
    await valueIs(`0:${brokers[0]}`);
    await alter('append', `1:${brokers[1]}`);
    expect(await valueIs(`0:${brokers[0]},1:${brokers[1]}`)).toMatchObject({
      name: key,
      source: 'dynamic-topic',
    });
    await alter('subtract', `0:${brokers[0]}`);
    await valueIs(`1:${brokers[1]}`);
    await alter('delete');
    expect(await valueIs(undefined)).toBeNull();
  });

  it('returns a per-resource error for a config change on a missing topic', async () => {
    const r = await s.port.incrementalAlterConfigs([
      {
        type: 'topic',
        name: 'no-such-topic-contract',
        ops: [{ name: 'retention.ms', op: 'set', value: '1000' }],
      },
    ]);
    expect(r[0]?.error?.name).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('moves a replica with a reassignment, then a preferred election makes the new first replica lead', async () => {
    const [a, b, c] = [brokers[0]!, brokers[1]!, brokers[2]!];
    const res = await s.port.alterPartitionReassignments([{ topic, partition: 0, replicas: [c, a] }]);
    expect(res).toEqual([{ topic, partition: 0 }]);
    await s.settle(topic);
    const p0 = await eventually('the new placement', async () => {
      const p = (await s.port.topicMetadata([topic]))[0]!.partitions[0]!;
      return p.replicas.join() === `${c},${a}` && p.isr.length === 2 ? p : undefined;
    });
    expect(p0.leader).toBe(a); // leadership does not move by itself
    expect(b).not.toBe(c);

    const elected = await s.port.electLeaders({ type: 'preferred', partitions: [{ topic, partition: 0 }] });
    expect(elected).toEqual([{ topic, partition: 0, outcome: 'elected' }]);
    const led = await eventually('the preferred leader', async () => {
      const p = (await s.port.topicMetadata([topic]))[0]!.partitions[0]!;
      return p.leader === c ? p : undefined;
    });
    expect(led.leader).toBe(c);

    const again = await s.port.electLeaders({ type: 'preferred', partitions: [{ topic, partition: 0 }] });
    expect(again[0]).toMatchObject({ outcome: 'not-needed' });
  });

  it('reports cancelling a reassignment that is not in progress as a per-partition error', async () => {
    const r = await s.port.alterPartitionReassignments([{ topic, partition: 1, replicas: null }]);
    expect(r[0]?.error?.name).toBe('NO_REASSIGNMENT_IN_PROGRESS');
    expect(await s.port.listPartitionReassignments([{ topic, partition: 1 }])).toEqual([]);
  });
});
