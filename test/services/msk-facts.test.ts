/** MSK facts (services/msk-facts.ts) through their ports: the MSK and CloudWatch fakes. */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { kafkaBrokerQuery } from '../../src/probes/cloudwatch/queries.js';
import type { MskBroker } from '../../src/probes/msk/port.js';
import { readMskFacts } from '../../src/services/msk-facts.js';
import { FakeCloudWatch } from '../fakes/cloudwatch/fake.js';
import { FakeMsk } from '../fakes/msk/fake.js';

const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/11111111-2222-3333-4444-555555555555-1';
const NOW = Date.parse('2026-11-22T12:00:00Z');
const config = parseConfigText(
  `
aws: { region: us-east-1 }
kafka:
  clusters:
    - name: orders
      msk: { arn: "${ARN}" }
      bootstrap: ["127.0.0.1:9092"]
`,
  'streamctl.yaml',
);
const cluster = config.kafka.clusters[0]!;

function msk(): FakeMsk {
  const m = new FakeMsk();
  m.add(
    {
      arn: ARN,
      name: 'orders-msk',
      type: 'standard',
      state: 'ACTIVE',
      currentVersion: 'v1',
      storagePerBrokerGiB: 100,
      tags: {},
      auth: { unauthenticated: false, tls: true, scram: false, iam: true },
    },
    [1, 2].map((brokerId) => ({ brokerId }) as MskBroker),
  );
  return m;
}

describe('readMskFacts', () => {
  it('reads the latest figures per broker, and a broker without a disk datapoint is an UNKNOWN gap', async () => {
    // Arrange: broker 1 publishes its disk and CPU; broker 2 publishes nothing.
    const cw = new FakeCloudWatch();
    const at = NOW - 10 * 60_000;
    cw.put(kafkaBrokerQuery('orders', 'orders-msk', 1, 'KafkaDataLogsDiskUsed'), [{ t: at, value: 42 }]);
    cw.put(kafkaBrokerQuery('orders', 'orders-msk', 1, 'CpuUser'), [{ t: at, value: 20 }]);
    cw.put(kafkaBrokerQuery('orders', 'orders-msk', 1, 'CpuSystem'), [{ t: at, value: 5 }]);

    // Act
    const { facts, bootstrap } = await readMskFacts(cluster, { msk: msk(), cloudWatch: cw }, NOW);

    // Assert
    expect(bootstrap).toBeUndefined(); // the config names the brokers
    expect(facts.brokerType).toBe('standard');
    expect(facts.storagePerBrokerBytes).toBe(100 * 1024 ** 3);
    expect(facts.diskUsedPercent).toEqual(new Map([[1, 42]]));
    expect(facts.brokerMetrics?.get(1)?.cpuPercent).toBe(25);
    expect(facts.gaps.map((g) => `${g.severity} ${g.code} ${g.subject}`)).toEqual([
      'UNKNOWN disk.metric-missing broker 2',
    ]);
    expect(facts.diskHistory?.get(1)).toEqual([{ t: Math.floor(at / 3_600_000) * 3_600_000, percent: 42 }]);
  });

  it('makes a CloudWatch that cannot be read one UNKNOWN gap, and keeps what MSK said', async () => {
    const cw = new FakeCloudWatch();
    cw.getMetricSeries = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };

    const { facts } = await readMskFacts(cluster, { msk: msk(), cloudWatch: cw }, NOW);

    expect(facts.brokerType).toBe('standard');
    expect(facts.gaps).toEqual([
      expect.objectContaining({ severity: 'UNKNOWN', code: 'kafka.metrics-unreadable', subject: 'orders' }),
    ]);
  });
});
