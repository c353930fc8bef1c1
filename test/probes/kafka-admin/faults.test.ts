/**
 * The adapter and snapshot capture on a broken cluster (a private 3-node Kafka 3.9 cluster, never
 * the shared peer): a hung broker and a dead broker come back as per-broker values, an offline
 * partition as a per-partition value, and the snapshot stays valid and says what it could not
 * measure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSnapshot } from '../../../src/domain/snapshot.js';
import { type KafkajsAdmin, openKafkaAdmin } from '../../../src/probes/kafka-admin/index.js';
import { captureSnapshot } from '../../../src/probes/kafka-admin/snapshot.js';
import kafkaKind, { type StartedKafkaPeer } from '../../peers/kinds/kafka.js';
import { bindPidDir } from '../../peers/use.js';
import { eventually, plaintextCluster, produce } from './helpers.js';

describe('kafka-admin on a cluster with a hung and then a dead broker', () => {
  let peer: StartedKafkaPeer;
  let port: KafkajsAdmin;

  beforeAll(async () => {
    bindPidDir();
    peer = await kafkaKind.start({ version: '3.9', brokers: 3 });
    // A short request timeout so that a hung broker costs seconds, not the default 30 s.
    port = await openKafkaAdmin(plaintextCluster(peer.info), { requestTimeoutMs: 4000 });
    await port.createTopics([
      { name: 'only-on-3', assignments: [[3]] },
      { name: 'on-3-and-1', assignments: [[3, 1]] },
    ]);
    await produce(peer.info.bootstrap, 'on-3-and-1', 1, 100);
    await produce(peer.info.bootstrap, 'only-on-3', 1, 100);
  });
  afterAll(async () => {
    await port?.close();
    await peer?.stop();
  });

  it('reports a hung (SIGSTOPped) broker as a per-broker error while the others answer', async () => {
    peer.cluster.pause(2);
    try {
      const dirs = await port.describeLogDirs([1, 2, 3]);
      expect(dirs.map((d) => [d.brokerId, d.error?.name])).toEqual([
        [1, undefined],
        [2, 'BROKER_NOT_AVAILABLE'],
        [3, undefined],
      ]);
    } finally {
      peer.cluster.resume(2);
    }
  });

  it('shows the dead broker offline, its single-replica partition offline, and captures a valid snapshot', async () => {
    await peer.cluster.kill(3);
    const topics = await eventually('the partitions to notice the dead broker', async () => {
      const t = await port.topicMetadata(['only-on-3', 'on-3-and-1']);
      return t[0]!.partitions[0]!.leader === -1 && t[1]!.partitions[0]!.leader === 1 ? t : undefined;
    });
    expect(topics[0]!.partitions[0]).toMatchObject({
      leader: -1,
      replicas: [3],
      offlineReplicas: [3],
      error: { name: 'LEADER_NOT_AVAILABLE' },
    });
    expect(topics[1]!.partitions[0]).toMatchObject({
      leader: 1,
      replicas: [3, 1],
      isr: [1],
      offlineReplicas: [3],
    });
    expect((await port.describeCluster()).brokers.map((b) => b.id)).toEqual([1, 2]);
    expect((await port.describeLogDirs([3]))[0]).toMatchObject({
      brokerId: 3,
      error: { name: 'BROKER_NOT_AVAILABLE' },
    });

    const election = await port.electLeaders({
      type: 'preferred',
      partitions: [{ topic: 'on-3-and-1', partition: 0 }],
    });
    expect(election).toEqual([
      expect.objectContaining({
        topic: 'on-3-and-1',
        partition: 0,
        outcome: 'failed',
        error: expect.objectContaining({ name: 'PREFERRED_LEADER_NOT_AVAILABLE' }),
      }),
    ]);

    const snap = await captureSnapshot(port, { cluster: 'broken', capacityBytes: 1e12, now: 0 });
    expect(snap.brokers.map((b) => [b.id, b.offline ?? false])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const by = Object.fromEntries(snap.partitions.map((p) => [p.topic, p]));
    expect(by['only-on-3']).toMatchObject({ leader: -1, sizeBytes: 0, sizeUnknown: true });
    expect(by['on-3-and-1']!.sizeBytes).toBeGreaterThan(100 * 1024);
    expect(snap.warnings).toContain('broker 3: hosts replicas but is not in the cluster metadata (offline)');
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snap)), 'captured')).not.toThrow();
  });
});
