/**
 * The server.properties of one sandbox KRaft node, as a pure function of the cluster layout.
 * Combined nodes (broker + controller) form the static controller quorum; broker-only nodes
 * (added later to grow the cluster) point at the same quorum.
 */

/** Ports and placement of one node, as chosen by the launcher. */
export interface NodeLayout {
  id: number;
  roles: 'broker,controller' | 'broker';
  host: string;
  port: number;
  /** The SCRAM-SHA-512 SASL_PLAINTEXT listener's port, when the cluster has one. */
  saslPort?: number;
  /** The CONTROLLER listener's port (combined nodes only). */
  controllerPort?: number;
  rack: string;
  logDirs: string[];
}

/** The cluster-wide facts every node's properties depend on. */
export interface ClusterLayout {
  /** Controller quorum voters: the combined nodes. */
  voters: { id: number; host: string; controllerPort: number }[];
  /** Number of brokers at start; sizes the internal topics' replication factors. */
  brokerCount: number;
  extra?: Record<string, string | number | boolean>;
}

/**
 * The SCRAM listener's server-side JAAS entry: the ScramLoginModule takes no options (credentials
 * live in the metadata log, created at format time with `--add-scram`).
 */
const SCRAM_JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';

/** Builds the properties of one node. `extra` wins over every default. */
export function nodeProperties(node: NodeLayout, cluster: ClusterLayout): Record<string, string> {
  const rf = Math.min(3, cluster.brokerCount);
  const listeners = [`PLAINTEXT://${node.host}:${node.port}`];
  const advertised = [`PLAINTEXT://${node.host}:${node.port}`];
  if (node.saslPort !== undefined) {
    listeners.push(`SASL_PLAINTEXT://${node.host}:${node.saslPort}`);
    advertised.push(`SASL_PLAINTEXT://${node.host}:${node.saslPort}`);
  }
  if (node.roles === 'broker,controller') {
    if (node.controllerPort === undefined)
      throw new Error(`node ${node.id}: a controller needs a controller port`);
    listeners.push(`CONTROLLER://${node.host}:${node.controllerPort}`);
  }
  const props: Record<string, string | number | boolean> = {
    'process.roles': node.roles,
    'node.id': node.id,
    'controller.quorum.voters': cluster.voters.map((v) => `${v.id}@${v.host}:${v.controllerPort}`).join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    listeners: listeners.join(','),
    'advertised.listeners': advertised.join(','),
    'listener.security.protocol.map':
      'PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': node.logDirs.join(','),
    'broker.rack': node.rack,
    // Topics are created explicitly by the tests and the tool under test, as on MSK.
    'auto.create.topics.enable': false,
    'default.replication.factor': rf,
    'num.partitions': 1,
    'offsets.topic.replication.factor': rf,
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': Math.min(2, rf),
    // Few internal partitions: 50 + 50 replicated partitions cost seconds of start-up per broker.
    'offsets.topic.num.partitions': 5,
    'transaction.state.log.num.partitions': 5,
    'group.initial.rebalance.delay.ms': 0,
    // Small thread pools and buffers: up to 8 JVMs share 2 cores and a few GB here.
    'num.network.threads': 2,
    'num.io.threads': 2,
    'num.replica.fetchers': 1,
    'background.threads': 2,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
    'log.retention.check.interval.ms': 30_000,
    'log.segment.bytes': 64 * 1024 * 1024,
    'socket.request.max.bytes': 100 * 1024 * 1024,
  };
  if (node.saslPort !== undefined) {
    props['sasl.enabled.mechanisms'] = 'SCRAM-SHA-512';
    props['listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config'] = SCRAM_JAAS;
  }
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...props, ...(cluster.extra ?? {}) })) merged[k] = String(v);
  return merged;
}

/** Renders properties in Java's .properties syntax (escaping what Properties.load would misread). */
export function renderProperties(props: Record<string, string>): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return `${Object.entries(props)
    .map(([k, v]) => `${esc(k).replace(/([=:\s])/g, '\\$1')}=${esc(v)}`)
    .join('\n')}\n`;
}
