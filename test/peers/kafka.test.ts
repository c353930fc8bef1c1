import { type Admin, type ITopicMetadata, Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kafkaKind, { type KafkaPeerInfo, type StartedKafkaPeer } from './kinds/kafka.js';
import { trackPid, untrackPid } from './pids.js';
import { KAFKA_VERSIONS, type KafkaVersion, runKafkaTool } from './sandbox/kafka/index.js';
import { bindPidDir, usePeer } from './use.js';

// The Kafka test bed against real brokers: shared 3-broker (SCRAM) and 1-broker clusters per
// version, plus one private 3-broker cluster that the fault tests break on purpose.

const client = (brokers: string, extra: Partial<KafkaConfig> = {}) =>
  new Kafka({
    clientId: 'testbed-kafka-test',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    ...extra,
  });

async function withAdmin<T>(
  brokers: string,
  fn: (admin: Admin) => Promise<T>,
  extra: Partial<KafkaConfig> = {},
): Promise<T> {
  const admin = client(brokers, extra).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Polls `probe` until it returns a value (not undefined); a wait with a deadline, not a timed assertion. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Creates a topic and waits until every partition has a leader and a full ISR. Not kafkajs's
 * `waitForLeaders` (on by default, so turned off explicitly): its metadata poll retries only LEADER_NOT_AVAILABLE, but a KRaft broker that
 * has not yet applied the new topic answers UNKNOWN_TOPIC_OR_PARTITION, which kafkajs throws.
 */
async function createTopic(
  admin: Admin,
  topic: string,
  numPartitions: number,
  replicationFactor: number,
): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor }], waitForLeaders: false });
  await eventually(`topic ${topic} fully replicated`, async () => {
    const ps = await topicPartitions(admin, topic);
    return ps.length === numPartitions && ps.every((p) => p.leader >= 0 && p.isr.length === replicationFactor)
      ? true
      : undefined;
  });
}

const topicPartitions = async (admin: Admin, topic: string): Promise<ITopicMetadata['partitions']> =>
  (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions;

describe.each(KAFKA_VERSIONS)('Kafka %s test bed', (version: KafkaVersion) => {
  let kafka: KafkaPeerInfo;
  let single: KafkaPeerInfo;

  beforeAll(async () => {
    [kafka, single] = await Promise.all([
      usePeer<KafkaPeerInfo>('kafka', { version, brokers: 3, scram: true }),
      usePeer<KafkaPeerInfo>('kafka', { version, brokers: 1 }),
    ]);
  });

  it('describes three KRaft nodes with racks round robin and two log dirs each', async () => {
    const described = await withAdmin(kafka.bootstrap, (a) => a.describeCluster());

    expect(kafka.version).toBe(version);
    expect(described.clusterId).toBe(kafka.clusterId);
    expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect(kafka.brokers.map((b) => [b.id, b.rack, b.logDirs.length, b.roles])).toEqual([
      [1, 'use1-az1', 2, 'broker,controller'],
      [2, 'use1-az2', 2, 'broker,controller'],
      [3, 'use1-az3', 2, 'broker,controller'],
    ]);
  });

  it('reports each broker rack through per-broker DescribeConfigs', async () => {
    const racks = await withAdmin(kafka.bootstrap, (a) =>
      a.describeConfigs({
        includeSynonyms: false,
        resources: kafka.brokers.map((b) => ({
          type: 4 /* BROKER */,
          name: String(b.id),
          configNames: ['broker.rack'],
        })),
      }),
    );

    const byBroker = Object.fromEntries(
      racks.resources.map((r) => [r.resourceName, r.configEntries[0]?.configValue]),
    );
    expect(byBroker).toEqual({ '1': 'use1-az1', '2': 'use1-az2', '3': 'use1-az3' });
  });

  it('creates a replicated topic, spreads replicas and leaders, produces and consumes', async () => {
    const topic = `testbed-${version.replace('.', '')}-orders`;
    const admin = client(kafka.bootstrap).admin();
    await admin.connect();
    try {
      await createTopic(admin, topic, 6, 3);
      const producer = client(kafka.bootstrap).producer();
      await producer.connect();
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
      });
      await producer.disconnect();

      const partitions = await topicPartitions(admin, topic);
      expect(partitions).toHaveLength(6);
      for (const p of partitions) {
        expect(new Set(p.replicas)).toEqual(new Set([1, 2, 3]));
        expect(p.replicas).toContain(p.leader);
        expect(p.isr.sort()).toEqual([1, 2, 3]);
      }
      expect(new Set(partitions.map((p) => p.leader)).size).toBe(3);

      const consumer = client(kafka.bootstrap).consumer({ groupId: `${topic}-reader` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen = new Set<string>();
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.add(String(message.value));
        },
      });
      await eventually('all 60 messages consumed', async () => (seen.size === 60 ? true : undefined));
      await consumer.disconnect();
      expect(seen).toEqual(new Set(Array.from({ length: 60 }, (_, i) => `v${i}`)));
    } finally {
      await admin.disconnect();
    }
  });

  it('authenticates the SCRAM-SHA-512 admin user and rejects a wrong password', async () => {
    const scram = kafka.scram!;
    // A fresh sasl object per client: kafkajs caches its authenticator on the object it is given
    // (sasl.authenticationProvider, bound to that object's password), so a spread copy of a used
    // object would silently keep authenticating with the old password.
    const sasl = (password: string) => ({ mechanism: scram.mechanism, username: scram.username, password });

    const described = await withAdmin(scram.bootstrap, (a) => a.describeCluster(), {
      sasl: sasl(scram.password),
    });
    const rejected = withAdmin(scram.bootstrap, (a) => a.describeCluster(), {
      sasl: sasl(`${scram.password}-wrong`),
      retry: { retries: 0 },
    });

    expect(described.brokers.map((b) => b.port).sort()).toEqual(kafka.brokers.map((b) => b.saslPort).sort());
    await expect(rejected).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
  });

  it('runs a one-broker cluster with internal topics at replication factor 1', async () => {
    const topic = `testbed-${version.replace('.', '')}-single`;

    await withAdmin(single.bootstrap, async (a) => {
      await createTopic(a, topic, 2, 1);
      const tooMany = a.createTopics({ topics: [{ topic: `${topic}-rf3`, replicationFactor: 3 }] });
      await expect(tooMany).rejects.toMatchObject({ errors: [{ type: 'INVALID_REPLICATION_FACTOR' }] });
    });
    const producer = client(single.bootstrap).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }] });
    await producer.disconnect();
    const consumer = client(single.bootstrap).consumer({ groupId: `${topic}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void got.push(String(message.value)) });
    await eventually('the message consumed', async () => (got.length > 0 ? true : undefined));
    await consumer.disconnect();

    expect(single.brokers).toHaveLength(1);
    expect(got).toEqual(['one']);
  });

  it("runs Apache's ReassignPartitionsCommand from the fetched jars", async () => {
    const r = await runKafkaTool(
      version,
      'org.apache.kafka.tools.reassign.ReassignPartitionsCommand',
      ['--bootstrap-server', kafka.bootstrap, '--list'],
      {
        onSpawn: trackPid,
        onExit: untrackPid,
      },
    );

    expect(r.stderr).not.toMatch(/ClassNotFound|NoClassDefFound/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No partition reassignments found/);
  });
});

describe('Kafka fault controls (private 3-broker cluster, Kafka 4)', () => {
  let peer: StartedKafkaPeer;
  const topic = 'testbed-faults';

  beforeAll(async () => {
    bindPidDir();
    peer = await kafkaKind.start({
      version: '4',
      brokers: 3,
      extraBrokerProps: { 'replica.lag.time.max.ms': 5000 },
    });
    await withAdmin(peer.info.bootstrap, (a) => createTopic(a, topic, 3, 3));
  });

  afterAll(async () => {
    await peer?.stop();
  });

  /** Keeps writing to every partition so that a silent follower falls behind (ISR shrink needs lag). */
  async function produceWhile<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const producer = client(peer.info.bootstrap, { retry: { retries: 0 } }).producer();
    await producer.connect();
    try {
      return await eventually(what, async () => {
        await producer
          .send({
            topic,
            acks: 1,
            timeout: 2000,
            messages: [0, 1, 2].map((partition) => ({ partition, value: 'tick' })),
          })
          .catch(() => undefined);
        return probe();
      });
    } finally {
      await producer.disconnect();
    }
  }

  const healthyBrokers = () =>
    peer.cluster.brokers
      .filter((b) => b.id !== 3)
      .map((b) => `${b.host}:${b.port}`)
      .join(',');

  it('shows under-replicated partitions while a broker is paused (SIGSTOP) and recovers on SIGCONT', async () => {
    peer.cluster.pause(3);
    const shrunk = await produceWhile('ISR without broker 3', () =>
      withAdmin(healthyBrokers(), async (a) => {
        const ps = await topicPartitions(a, topic);
        return ps.every((p) => !p.isr.includes(3)) ? ps : undefined;
      }),
    );
    peer.cluster.resume(3);
    const recovered = await produceWhile('full ISR again', () =>
      withAdmin(peer.info.bootstrap, async (a) => {
        const ps = await topicPartitions(a, topic);
        return ps.every((p) => p.isr.length === 3) ? ps : undefined;
      }),
    );

    expect(shrunk.map((p) => p.isr.length)).toEqual([2, 2, 2]);
    expect(recovered.map((p) => [...p.isr].sort())).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('drops a SIGKILLed broker from the cluster and brings it back with restart', async () => {
    await peer.cluster.kill(3);
    const without = await eventually('broker 3 gone from metadata', () =>
      withAdmin(healthyBrokers(), async (a) => {
        const ids = (await a.describeCluster()).brokers.map((b) => b.nodeId).sort();
        return ids.includes(3) ? undefined : ids;
      }),
    );
    const restarted = await peer.cluster.restart(3);
    const back = await withAdmin(peer.info.bootstrap, async (a) =>
      (await a.describeCluster()).brokers.map((b) => b.nodeId).sort(),
    );

    expect(without).toEqual([1, 2]);
    expect(restarted.pid).not.toBe(peer.info.brokers[2]!.pid);
    expect(back).toEqual([1, 2, 3]);
  });

  it('adds a broker-only fourth node that joins with the next id and rack', async () => {
    const added = await peer.cluster.addBroker();
    const ids = await withAdmin(peer.cluster.bootstrap, async (a) =>
      (await a.describeCluster()).brokers.map((b) => b.nodeId).sort(),
    );

    expect(added).toMatchObject({ id: 4, roles: 'broker', rack: 'use1-az1' });
    expect(added.controllerPort).toBeUndefined();
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(peer.cluster.bootstrap.split(',')).toHaveLength(4);
  });
});
