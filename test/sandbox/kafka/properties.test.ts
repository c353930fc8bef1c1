import { describe, expect, it } from 'vitest';
import {
  type ClusterLayout,
  type NodeLayout,
  nodeProperties,
  renderProperties,
} from '../../peers/sandbox/kafka/properties.js';

const voters = [
  { id: 1, host: '127.0.0.1', controllerPort: 9101 },
  { id: 2, host: '127.0.0.1', controllerPort: 9102 },
  { id: 3, host: '127.0.0.1', controllerPort: 9103 },
];

function combined(over: Partial<NodeLayout> = {}): NodeLayout {
  return {
    id: 1,
    roles: 'broker,controller',
    host: '127.0.0.1',
    port: 9001,
    controllerPort: 9101,
    rack: 'use1-az1',
    logDirs: ['/d/a', '/d/b'],
    ...over,
  };
}

describe('nodeProperties', () => {
  it.each([
    { brokerCount: 1, rf: '1', minIsr: '1' },
    { brokerCount: 2, rf: '2', minIsr: '2' },
    { brokerCount: 3, rf: '3', minIsr: '2' },
    { brokerCount: 4, rf: '3', minIsr: '2' },
  ])(
    'sizes internal topics for $brokerCount broker(s): RF $rf, transaction min ISR $minIsr',
    ({ brokerCount, rf, minIsr }) => {
      const props = nodeProperties(combined(), {
        voters: voters.slice(0, Math.min(3, brokerCount)),
        brokerCount,
      });

      expect(props['offsets.topic.replication.factor']).toBe(rf);
      expect(props['transaction.state.log.replication.factor']).toBe(rf);
      expect(props['default.replication.factor']).toBe(rf);
      expect(props['transaction.state.log.min.isr']).toBe(minIsr);
    },
  );

  it('makes a combined node a quorum voter with a CONTROLLER listener, two log dirs and its rack', () => {
    const props = nodeProperties(combined(), { voters, brokerCount: 3 });

    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103',
      listeners: 'PLAINTEXT://127.0.0.1:9001,CONTROLLER://127.0.0.1:9101',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9001',
      'log.dirs': '/d/a,/d/b',
      'broker.rack': 'use1-az1',
      'auto.create.topics.enable': 'false',
    });
    expect(props['sasl.enabled.mechanisms']).toBeUndefined();
  });

  it('gives a broker-only node no CONTROLLER listener but the same quorum', () => {
    const node = combined({
      id: 4,
      roles: 'broker',
      port: 9004,
      controllerPort: undefined,
      rack: 'use1-az1',
    });

    const props = nodeProperties(node, { voters, brokerCount: 3 });

    expect(props['process.roles']).toBe('broker');
    expect(props.listeners).toBe('PLAINTEXT://127.0.0.1:9004');
    expect(props['controller.quorum.voters']).toBe('1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103');
  });

  it('adds a SCRAM-SHA-512 SASL_PLAINTEXT listener with its server JAAS entry', () => {
    const props = nodeProperties(combined({ saslPort: 9201 }), { voters, brokerCount: 3 });

    expect(props.listeners).toBe(
      'PLAINTEXT://127.0.0.1:9001,SASL_PLAINTEXT://127.0.0.1:9201,CONTROLLER://127.0.0.1:9101',
    );
    expect(props['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:9001,SASL_PLAINTEXT://127.0.0.1:9201');
    expect(props['sasl.enabled.mechanisms']).toBe('SCRAM-SHA-512');
    expect(props['listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config']).toContain(
      'ScramLoginModule required;',
    );
  });

  it('lets extra properties override the defaults', () => {
    const cluster: ClusterLayout = {
      voters,
      brokerCount: 3,
      extra: { 'replica.lag.time.max.ms': 5000, 'auto.create.topics.enable': true },
    };

    const props = nodeProperties(combined(), cluster);

    expect(props['replica.lag.time.max.ms']).toBe('5000');
    expect(props['auto.create.topics.enable']).toBe('true');
  });

  it('refuses a combined node without a controller port', () => {
    expect(() => nodeProperties(combined({ controllerPort: undefined }), { voters, brokerCount: 3 })).toThrow(
      /controller port/,
    );
  });
});

describe('renderProperties', () => {
  it('writes one key=value line per property, escaping backslashes and newlines', () => {
    expect(renderProperties({ 'a.b': 'x y;', path: 'C:\\dir', multi: 'l1\nl2' })).toBe(
      'a.b=x y;\npath=C:\\\\dir\nmulti=l1\\nl2\n',
    );
  });
});
