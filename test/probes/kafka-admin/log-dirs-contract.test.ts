/**
 * The log-dir (JBOD) part of the KafkaAdminPort contract: AlterReplicaLogDirs and what
 * DescribeLogDirs shows afterwards, run against the fake (two dirs per broker) and against real
 * Kafka 3.9 and 4.x clusters whose brokers have two log dirs each (data-a, data-b).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafkaAdmin } from '../../../src/probes/kafka-admin/index.js';
import type { KafkaAdminPort } from '../../../src/probes/kafka-admin/port.js';
import { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';
import type { KafkaPeerInfo } from '../../peers/kinds/kafka.js';
import { usePeer } from '../../peers/use.js';
import { eventually, plaintextCluster, reassignmentsSettled, uniqueTopic } from './helpers.js';

interface Subject {
  port: KafkaAdminPort;
  settle(topic: string): Promise<void>;
  close(): Promise<void>;
}

const subjects: Array<[string, () => Promise<Subject>]> = [
  [
    'fake',
    async () => {
      const logDirs = [{ path: '/fake/data-a' }, { path: '/fake/data-b' }];
      const fake = FakeKafkaAdmin.fromSnapshot({
        version: 1,
        cluster: 'fake',
        capturedAt: '2026-11-22T00:00:00Z',
        brokers: [1, 2, 3].map((id) => ({ id, logDirs })),
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

describe.each(subjects)('KafkaAdminPort log dirs contract: %s', (_name, make) => {
  let s: Subject;
  let b: number[];
  const topic = uniqueTopic('logdirs');

  /** The dir holding (current log) the topic's partition 0 on `broker`, and whether a future log exists. */
  async function where(broker: number): Promise<{ dir?: string; future?: string; dirs: string[] }> {
    const [entry] = await s.port.describeLogDirs([broker]);
    const has = (future: boolean) =>
      entry!.logDirs.find((d) =>
        d.partitions.some((p) => p.topic === topic && p.partition === 0 && p.isFuture === future),
      )?.path;
    const dir = has(false);
    const future = has(true);
    return {
      ...(dir ? { dir } : {}),
      ...(future ? { future } : {}),
      dirs: entry!.logDirs.map((d) => d.path).sort(),
    };
  }

  beforeAll(async () => {
    s = await make();
    b = (await s.port.describeCluster()).brokers.map((x) => x.id);
    await s.port.createTopics([{ name: topic, assignments: [[b[0]!, b[1]!]] }]);
  });
  afterAll(async () => {
    await s?.port.deleteTopics([topic]).catch(() => undefined);
    await s?.close();
  });

  it('moves a hosted replica into another log dir of its broker; DescribeLogDirs shows it there', async () => {
    const before = await eventually('replica log on the first broker', async () => {
      const w = await where(b[0]!);
      return w.dir ? w : undefined;
    });
    expect(before.dirs).toHaveLength(2);
    const other = before.dirs.find((d) => d !== before.dir)!;
    const res = await s.port.alterReplicaLogDirs([{ brokerId: b[0]!, topic, partition: 0, path: other }]);
    expect(res).toEqual([{ brokerId: b[0]!, topic, partition: 0, path: other }]);
    await eventually('replica in the other dir, no future log', async () => {
      const w = await where(b[0]!);
      return w.dir === other && !w.future ? true : undefined;
    });
    // Asking for the dir it is already in is a no-op, not an error.
    expect(
      (await s.port.alterReplicaLogDirs([{ brokerId: b[0]!, topic, partition: 0, path: other }]))[0]!.error,
    ).toBe(undefined);
  });

  it('records the dir of a replica the broker does not host yet (REPLICA_NOT_AVAILABLE) and creates it there', async () => {
    const { dirs } = await where(b[2]!);
    const wanted = dirs[1]!;
    const [r] = await s.port.alterReplicaLogDirs([{ brokerId: b[2]!, topic, partition: 0, path: wanted }]);
    expect(r!.error?.name).toBe('REPLICA_NOT_AVAILABLE');
    await s.port.alterPartitionReassignments([{ topic, partition: 0, replicas: [b[0]!, b[2]!] }]);
    await s.settle(topic);
    const w = await eventually('the new replica exists', async () => {
      const x = await where(b[2]!);
      return x.dir ? x : undefined;
    });
    expect(w.dir).toBe(wanted);
  });

  it('refuses a dir the broker does not have, per replica', async () => {
    const [r] = await s.port.alterReplicaLogDirs([
      { brokerId: b[0]!, topic, partition: 0, path: '/no/such/dir' },
    ]);
    expect(r!.error?.name).toBe('LOG_DIR_NOT_FOUND');
  });
});
