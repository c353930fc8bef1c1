import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { liveObserveDeps } from '../../cli/live-ports.js';
import { formatBytes, formatPercent, renderTable } from '../../core/output.js';
import { brokerViews } from '../../services/kafka-health.js';
import { observeLiveCluster } from '../../services/kafka-observe.js';

export default class KafkaBrokers extends BaseCommand {
  static override description =
    'Per broker: rack, partitions (replicas), leaders, disk used, and for MSK the CPU, connections and bytes in/out from CloudWatch.';
  static override examples = ['<%= config.bin %> kafka brokers -c orders'];
  static override flags = {
    cluster: Flags.string({ char: 'c', description: 'Cluster name from streamctl.yaml.', required: true }),
  };

  async run(): Promise<ReturnType<typeof brokerViews>> {
    const { flags } = await this.parse(KafkaBrokers);
    const { config } = await this.getConfig(flags.config);
    const view = brokerViews(await observeLiveCluster(config, flags.cluster, liveObserveDeps()));
    const rate = (v: number | undefined) => (v === undefined ? '-' : `${formatBytes(v)}/s`);
    this.print(`${view.cluster} (${view.brokerType}${view.instanceType ? `, ${view.instanceType}` : ''})`);
    this.print(
      renderTable(view.brokers, [
        { header: 'BROKER', get: (b) => b.id, align: 'right' },
        { header: 'RACK', get: (b) => b.rack },
        { header: 'PARTITIONS', get: (b) => b.partitions, align: 'right' },
        { header: 'LEADERS', get: (b) => b.leaders, align: 'right' },
        { header: 'DISK', get: (b) => formatBytes(b.usedBytes), align: 'right' },
        { header: 'DISK%', get: (b) => formatPercent(b.usedPercent), align: 'right' },
        { header: 'CPU%', get: (b) => formatPercent(b.cpuPercent), align: 'right' },
        { header: 'CONNS', get: (b) => b.connections, align: 'right' },
        { header: 'IN', get: (b) => rate(b.bytesInPerSec), align: 'right' },
        { header: 'OUT', get: (b) => rate(b.bytesOutPerSec), align: 'right' },
      ]),
    );
    return view;
  }
}
