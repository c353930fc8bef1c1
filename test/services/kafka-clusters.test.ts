/** `kafka clusters` (services/kafka-clusters.ts) through its ports: the MSK fake and a small admin. */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { KafkaCluster } from '../../src/config/sections/kafka.js';
import { unavailable } from '../../src/core/errors.js';
import { type ClusterPorts, listClusters } from '../../src/services/kafka-clusters.js';
import { FakeMsk } from '../fakes/msk/fake.js';

const ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/11111111-2222-3333-4444-555555555555-1';
const OTHER = 'arn:aws:kafka:eu-west-1:123456789012:cluster/clicks/11111111-2222-3333-4444-555555555555-2';

const AUTH = { unauthenticated: false, tls: true, scram: false, iam: true };

const config = parseConfigText(
  `
aws: { region: eu-west-1 }
kafka:
  discoverMsk: true
  clusters:
    - name: orders
      msk: { arn: "${ARN}" }
    - name: local
      bootstrap: ["127.0.0.1:9092"]
      instanceType: kafka.m5.large
    - name: down
      bootstrap: ["127.0.0.1:1"]
`,
  'streamctl.yaml',
);

function ports(msk: FakeMsk): ClusterPorts & { regions: Array<string | undefined>; closed: string[] } {
  const regions: Array<string | undefined> = [];
  const closed: string[] = [];
  return {
    regions,
    closed,
    msk: (region) => {
      regions.push(region);
      return msk;
    },
    openAdmin: async (c: KafkaCluster) => {
      if (c.name === 'down') throw unavailable('connect ECONNREFUSED 127.0.0.1:1');
      return {
        describeCluster: async () => ({
          controllerId: 1,
          brokers: [1, 2, 3].map((id) => ({ id, host: 'h', port: id })),
        }),
        close: async () => {
          closed.push(c.name);
        },
      };
    },
  };
}

describe('listClusters', () => {
  it('describes configured clusters, asks self-managed ones for their brokers, and lists the others MSK has', async () => {
    const msk = new FakeMsk();
    msk.add({
      arn: ARN,
      name: 'orders',
      type: 'express',
      state: 'ACTIVE',
      currentVersion: 'K1',
      auth: AUTH,
      tags: {},
      brokerCount: 3,
    });
    msk.add({
      arn: OTHER,
      name: 'clicks',
      type: 'standard',
      state: 'CREATING',
      currentVersion: 'K2',
      auth: AUTH,
      tags: {},
    });
    const p = ports(msk);

    const rows = await listClusters(config, p);

    expect(rows).toEqual([
      { name: 'orders', source: 'configured', kind: 'express', state: 'ACTIVE', arn: ARN, brokers: 3 },
      {
        name: 'local',
        source: 'configured',
        kind: 'self-managed',
        state: 'REACHABLE',
        brokers: 3,
        instanceType: 'kafka.m5.large',
      },
      {
        name: 'down',
        source: 'configured',
        kind: 'self-managed',
        state: 'UNREACHABLE',
        error: expect.stringContaining('ECONNREFUSED'),
      },
      { name: 'clicks', source: 'discovered', kind: 'standard', state: 'CREATING', arn: OTHER },
    ]);
    expect(p.closed).toEqual(['local']);
  });

  it('keeps a configured MSK cluster that cannot be described as an UNKNOWN row with the error', async () => {
    const p = ports(new FakeMsk());

    const rows = await listClusters({ ...config, kafka: { ...config.kafka, discoverMsk: false } }, p);

    expect(rows[0]).toMatchObject({
      name: 'orders',
      state: 'UNKNOWN',
      arn: ARN,
      error: expect.stringContaining(ARN),
    });
    expect(rows).toHaveLength(3);
  });
});
