/**
 * The real-Kafka sandbox: KRaft clusters of Kafka 3.9 or 4.x started from the jars that
 * `npm run peers:fetch` puts in the peer cache, and Kafka's own command-line tools run from the
 * same jars. Used by the test bed (test/peers/kinds/kafka.ts) and by `streamctl demo`.
 * See docs/testbed-kafka.md.
 */
export { startKafkaCluster } from './cluster.js';
export { KAFKA_VERSIONS, type KafkaVersion, kafkaInstall, kafkaLibsDir, kafkaPeerDir } from './install.js';
export { type ProcessHooks, runKafkaTool, type ToolOptions, type ToolResult } from './jvm.js';
export type {
  KafkaBrokerInfo,
  KafkaCluster,
  KafkaClusterInfo,
  KafkaClusterOptions,
  KafkaScramInfo,
} from './types.js';
