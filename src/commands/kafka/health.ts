import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { liveObserveDeps } from '../../cli/live-ports.js';
import { usageError } from '../../core/errors.js';
import { exitCodeFor, severityLabel } from '../../core/index.js';
import { type KafkaHealthResult, kafkaHealth } from '../../services/kafka-health.js';
import { renderFindings } from '../../ui/render/findings.js';

export default class KafkaHealth extends BaseCommand {
  static override description =
    `One health verdict per Kafka cluster across the disk and partition monitors, for cron and alerting.
Exit code: the worst of all clusters — 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (an unreachable cluster is UNKNOWN).`;
  static override examples = [
    '<%= config.bin %> kafka health',
    '<%= config.bin %> kafka health -c orders --json',
  ];
  static override flags = {
    cluster: Flags.string({
      char: 'c',
      description: 'Cluster name (default: every configured cluster).',
      multiple: true,
    }),
  };

  async run(): Promise<KafkaHealthResult> {
    const { flags } = await this.parse(KafkaHealth);
    const { config } = await this.getConfig(flags.config);
    const names = flags.cluster ?? config.kafka.clusters.map((c) => c.name);
    if (names.length === 0)
      throw usageError('no Kafka clusters configured', 'Add kafka.clusters to streamctl.yaml or pass -c.');
    const result = await kafkaHealth(config, names, liveObserveDeps());
    if (!this.jsonEnabled()) {
      for (const c of result.clusters) {
        this.print(
          `${c.target}: ${severityLabel(c.severity)}  (${c.monitors.map((m) => `${m.monitor} ${m.severity}`).join(', ') || 'not observed'})`,
        );
        const notable = c.findings.filter((f) => f.severity !== 'OK');
        if (notable.length) this.print(renderFindings(notable).replace(/^/gm, '  '));
      }
    }
    this.setExitCode(exitCodeFor(result.severity));
    return result;
  }
}
