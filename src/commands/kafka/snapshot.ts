import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { liveObserveDeps } from '../../cli/live-ports.js';
import { formatBytes } from '../../core/output.js';
import { writeSnapshotFile } from '../../probes/kafka-admin/snapshot.js';
import { observeLiveCluster } from '../../services/kafka-observe.js';

export default class KafkaSnapshot extends BaseCommand {
  static override description =
    'Write the cluster snapshot (the format of docs/design.md §3: brokers with racks and capacity, every partition with replicas, leader, ISR and size from DescribeLogDirs) for the planner and the offline monitors. Written atomically.';
  static override examples = ['<%= config.bin %> kafka snapshot -c orders -o orders.json'];
  static override flags = {
    cluster: Flags.string({ char: 'c', description: 'Cluster name from streamctl.yaml.', required: true }),
    output: Flags.string({ char: 'o', description: 'File to write.', required: true }),
  };

  async run(): Promise<{
    file: string;
    cluster: string;
    brokers: number;
    partitions: number;
    totalBytes: number;
    warnings: string[];
  }> {
    const { flags } = await this.parse(KafkaSnapshot);
    const { config } = await this.getConfig(flags.config);
    const obs = await observeLiveCluster(config, flags.cluster, liveObserveDeps());
    // Broker type and size travel with the snapshot so offline what-ifs apply the right limits.
    const snapshot = {
      ...obs.snapshot,
      brokerType: obs.brokerType,
      ...(obs.instanceType ? { instanceType: obs.instanceType } : {}),
    };
    writeSnapshotFile(flags.output, snapshot);
    const totalBytes = snapshot.partitions.reduce((s, p) => s + p.sizeBytes * p.replicas.length, 0);
    const warnings = (obs.gaps ?? []).map((g) => g.message);
    this.print(
      `Wrote ${flags.output}: ${snapshot.brokers.length} brokers, ${snapshot.partitions.length} partitions, ${formatBytes(totalBytes)} in replicas.`,
    );
    for (const w of warnings) this.print(`warning: ${w}`);
    return {
      file: flags.output,
      cluster: obs.cluster,
      brokers: snapshot.brokers.length,
      partitions: snapshot.partitions.length,
      totalBytes,
      warnings,
    };
  }
}
