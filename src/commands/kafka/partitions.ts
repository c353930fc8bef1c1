import { BaseCommand } from '../../cli/base-command.js';
import { kafkaTargetFlags } from '../../cli/kafka-flags.js';
import { liveObserveDeps } from '../../cli/live-ports.js';
import { exitCodeFor } from '../../core/severity.js';
import { type PartitionsResult, partitionsResult } from '../../services/kafka-monitors.js';
import { loadKafkaObservation } from '../../services/kafka-source.js';
import { renderPartitions } from '../../ui/render/kafka.js';

export default class KafkaPartitions extends BaseCommand {
  static override description =
    `Partition monitor: partitions per broker against the MSK recommended and maximum for the broker size, under-replicated, under-min-ISR and offline partitions, leader skew, preferred-leader imbalance, and topics with RF < 3 or a misconfigured min.insync.replicas.
Exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.`;
  static override examples = [
    '<%= config.bin %> kafka partitions -c orders',
    '<%= config.bin %> kafka partitions --snapshot orders.json --instance-type kafka.m5.large --broker-type standard',
  ];
  static override flags = { ...kafkaTargetFlags };

  async run(): Promise<PartitionsResult> {
    const { flags } = await this.parse(KafkaPartitions);
    const { config } = await this.getConfig(flags.config, { optional: Boolean(flags.snapshot) });
    const result = partitionsResult(await loadKafkaObservation(flags, config, liveObserveDeps()));
    if (!this.jsonEnabled()) this.print(renderPartitions(result));
    this.setExitCode(exitCodeFor(result.severity));
    return result;
  }
}
