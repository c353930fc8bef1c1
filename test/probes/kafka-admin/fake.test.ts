/** Behaviour of the fake beyond the shared contract: the controls executor tests rely on. */
import { describe, expect, it } from 'vitest';
import { FakeKafkaAdmin } from '../../fakes/kafka-admin/fake.js';

const make = () =>
  FakeKafkaAdmin.fromSnapshot({
    version: 1,
    cluster: 'f',
    capturedAt: '2026-11-22T00:00:00Z',
    brokers: [1, 2, 3, 4].map((id) => ({ id, capacityBytes: 1e6 })),
    partitions: [
      { topic: 't', partition: 0, replicas: [1, 2], leader: 1, sizeBytes: 100 },
      { topic: 't', partition: 1, replicas: [2, 3], leader: 2, sizeBytes: 200 },
    ],
  });

describe('FakeKafkaAdmin', () => {
  it('keeps a reassignment in flight, with empty new replicas, until told to complete it', async () => {
    const fake = make();
    await fake.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [3, 4] }]);
    expect(await fake.listPartitionReassignments()).toEqual([
      { topic: 't', partition: 0, replicas: [3, 4, 1, 2], addingReplicas: [3, 4], removingReplicas: [1, 2] },
    ]);
    const dirs = await fake.describeLogDirs([3]);
    expect(dirs[0]!.logDirs[0]!.partitions.find((p) => p.partition === 0)?.sizeBytes).toBe(0);

    expect(fake.completeReassignments()).toBe(1);
    expect(await fake.listPartitionReassignments()).toEqual([]);
    const [t] = await fake.topicMetadata(['t']);
    expect(t!.partitions[0]).toMatchObject({ replicas: [3, 4], isr: [3, 4], leader: 3 });
  });

  it('completes reassignments oldest first, as many as asked', async () => {
    const fake = make();
    await fake.alterPartitionReassignments([{ topic: 't', partition: 1, replicas: [3, 4] }]);
    await fake.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [2, 4] }]);
    expect(fake.completeReassignments(1)).toBe(1);
    expect((await fake.listPartitionReassignments()).map((r) => r.partition)).toEqual([0]);
  });

  it('cancels an ongoing reassignment back to the original replicas', async () => {
    const fake = make();
    await fake.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [3, 4] }]);
    expect(await fake.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: null }])).toEqual([
      { topic: 't', partition: 0 },
    ]);
    expect((await fake.topicMetadata(['t']))[0]!.partitions[0]!.replicas).toEqual([1, 2]);
  });

  it('loses the original replica order on cancel, as Kafka does', async () => {
    const fake = make();
    await fake.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [3, 2] }]);
    await fake.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: null }]);
    expect((await fake.topicMetadata(['t']))[0]!.partitions[0]!.replicas).toEqual([2, 1]);
  });

  it.each([
    [[], 'INVALID_REPLICA_ASSIGNMENT'],
    [[1, 1], 'INVALID_REPLICA_ASSIGNMENT'],
    [[9], 'INVALID_REPLICA_ASSIGNMENT'],
  ])('refuses target %j with %s', async (replicas, name) => {
    const [r] = await make().alterPartitionReassignments([{ topic: 't', partition: 0, replicas }]);
    expect(r!.error?.name).toBe(name);
  });

  it('moves leadership and ISR off an offline broker, and a preferred election fails until it returns', async () => {
    const fake = make();
    fake.setBrokerOnline(1, false);
    const [t] = await fake.topicMetadata(['t']);
    expect(t!.partitions[0]).toMatchObject({ leader: 2, isr: [2], offlineReplicas: [1] });
    expect((await fake.describeLogDirs([1]))[0]!.error?.name).toBe('BROKER_NOT_AVAILABLE');
    expect(
      (await fake.electLeaders({ type: 'preferred', partitions: [{ topic: 't', partition: 0 }] }))[0],
    ).toMatchObject({ outcome: 'failed' });
    fake.setBrokerOnline(1, true);
    expect(await fake.electLeaders({ type: 'preferred' })).toEqual([
      { topic: 't', partition: 0, outcome: 'elected' },
    ]);
  });

  it('records config operations in order and applies broker defaults under broker values', async () => {
    const fake = make();
    await fake.incrementalAlterConfigs([
      { type: 'broker-default', name: '', ops: [{ name: 'x', op: 'set', value: '1' }] },
    ]);
    await fake.incrementalAlterConfigs([
      { type: 'broker', name: '2', ops: [{ name: 'x', op: 'set', value: '2' }] },
    ]);
    expect((await fake.describeBrokerConfigs(1, ['x'])).entries).toEqual([
      { name: 'x', value: '1', source: 'dynamic-default-broker', readOnly: false, sensitive: false },
    ]);
    expect((await fake.describeBrokerConfigs(2, ['x'])).entries[0]).toMatchObject({
      value: '2',
      source: 'dynamic-broker',
    });
    expect(fake.configs.log.map((o) => `${o.type}:${o.name}:${o.key}=${o.value}`)).toEqual([
      'broker-default::x=1',
      'broker:2:x=2',
    ]);
  });

  it('validates without applying when asked', async () => {
    const fake = make();
    await fake.incrementalAlterConfigs(
      [{ type: 'topic', name: 't', ops: [{ name: 'retention.ms', op: 'set', value: '1' }] }],
      { validateOnly: true },
    );
    expect(fake.configs.value('topic', 't', 'retention.ms')).toBeUndefined();
  });
});
