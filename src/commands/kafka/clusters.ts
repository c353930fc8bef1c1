import { BaseCommand, DEFAULT_DEADLINE } from '../../cli/base-command.js';
import { withClusterPorts } from '../../cli/live-ports.js';
import { unavailable } from '../../core/errors.js';
import { renderTable } from '../../core/output.js';
import { type ClusterRow, listClusters } from '../../services/kafka-clusters.js';

export default class KafkaClusters extends BaseCommand {
  static override deadline = DEFAULT_DEADLINE;
  static override description =
    'Configured Kafka clusters and, with kafka.discoverMsk, every MSK cluster of the region: type (Standard, Express, Serverless, self-managed), Kafka version, brokers, state.';
  static override examples = ['<%= config.bin %> kafka clusters', '<%= config.bin %> kafka clusters --json'];

  async run(): Promise<{ clusters: ClusterRow[] }> {
    const { flags } = await this.parse(KafkaClusters);
    const { config } = await this.getConfig(flags.config);
    const clusters = await withClusterPorts(config, (ports) => listClusters(config, ports));
    this.print(
      renderTable(clusters, [
        { header: 'CLUSTER', get: (c) => (c.source === 'discovered' ? `${c.name} (discovered)` : c.name) },
        { header: 'TYPE', get: (c) => c.kind },
        { header: 'VERSION', get: (c) => c.kafkaVersion },
        { header: 'BROKERS', get: (c) => c.brokers, align: 'right' },
        { header: 'SIZE', get: (c) => c.instanceType },
        { header: 'STATE', get: (c) => c.state },
        { header: 'NOTE', get: (c) => c.error },
      ]),
    );
    // A listing that could read nothing is not a success (cron would see exit 0 and UNKNOWN rows).
    if (clusters.length > 0 && clusters.every((c) => c.error !== undefined))
      throw unavailable(
        `no Kafka cluster could be described (${clusters.length} of ${clusters.length} failed; first: ${clusters[0]!.error})`,
        'Check the endpoints, region and credentials (`streamctl doctor`).',
      );
    return { clusters };
  }
}
