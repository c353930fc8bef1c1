import type { Config } from '../config/schema.js';
import { configError } from '../core/errors.js';
import type { KafkaObservation } from './kafka-monitors.js';

/** The cluster entry for a name, or a configuration error listing the known names. */
export function clusterConfig(config: Config, name: string): Config['kafka']['clusters'][number] {
  const c = config.kafka.clusters.find((x) => x.name === name);
  if (!c) {
    const known = config.kafka.clusters.map((x) => x.name).join(', ') || '(none configured)';
    throw configError(`unknown Kafka cluster "${name}" (known: ${known})`, 'Add it under kafka.clusters in streamctl.yaml.');
  }
  return c;
}

/**
 * Observes a live cluster through the probes: metadata and ISR, DescribeLogDirs sizes and
 * totals, topic min.insync.replicas, and for MSK the broker size and CloudWatch disk metrics.
 */
export async function observeLiveCluster(config: Config, name: string): Promise<KafkaObservation> {
  const cluster = clusterConfig(config, name);
  throw configError(`live observation of ${cluster.name} is not wired yet`);
}
