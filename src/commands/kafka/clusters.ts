import { BaseCommand } from '../../cli/base-command.js';
import { renderTable } from '../../core/output.js';
import { type ClusterRow, listClusters } from '../../services/kafka-clusters.js';

export default class KafkaClusters extends BaseCommand {
  static override description =
    'Configured Kafka clusters and, with kafka.discoverMsk, every MSK cluster of the region: type (Standard, Express, Serverless, self-managed), Kafka version, brokers, state.';
  static override examples = ['<%= config.bin %> kafka clusters', '<%= config.bin %> kafka clusters --json'];

  async run(): Promise<{ clusters: ClusterRow[] }> {
    const { flags } = await this.parse(KafkaClusters);
    const { config } = await this.getConfig(flags.config);
    const clusters = await listClusters(config);
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
    return { clusters };
  }
}
