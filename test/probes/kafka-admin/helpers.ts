import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaCluster } from '../../../src/config/sections/kafka.js';
import type { KafkaAdminPort } from '../../../src/probes/kafka-admin/port.js';
import type { KafkaPeerInfo } from '../../peers/kinds/kafka.js';

/** A unique topic name so test files sharing a peer never collide. */
export const uniqueTopic = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** A config-file cluster entry for a sandbox peer (PLAINTEXT listener). */
export function plaintextCluster(info: KafkaPeerInfo, name = 'sandbox'): KafkaCluster {
  return KafkaCluster.parse({ name, bootstrap: info.bootstrap.split(','), auth: { type: 'none' } });
}

/** Polls `probe` until it returns a value other than undefined; fails with `what` after `ms`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until no reassignment is in flight for the given topic. */
export async function reassignmentsSettled(port: KafkaAdminPort, topic: string): Promise<void> {
  await eventually(`reassignments of ${topic} to finish`, async () => {
    const ongoing = await port.listPartitionReassignments();
    return ongoing.some((o) => o.topic === topic) ? undefined : true;
  });
}

/** Produces `count` records of `bytes` bytes to every partition of a topic with kafkajs (acks=all). */
export async function produce(
  bootstrap: string,
  topic: string,
  partitions: number,
  count: number,
  bytes = 1024,
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'streamctl-test',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const value = Buffer.alloc(bytes, 'x');
    for (let p = 0; p < partitions; p++) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => ({ partition: p, key: String(i), value })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}
