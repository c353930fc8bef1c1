import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { kafkaTargetFlags } from '../../cli/kafka-flags.js';
import { liveObserveDeps } from '../../cli/live-ports.js';
import { usageError } from '../../core/errors.js';
import { exitCodeFor } from '../../core/severity.js';
import { DEFAULT_DISK_THRESHOLDS } from '../../monitors/disk.js';
import { type DiskResult, diskResult } from '../../services/kafka-monitors.js';
import { loadKafkaObservation } from '../../services/kafka-source.js';
import { renderDisk } from '../../ui/render/kafka.js';

export default class KafkaDisk extends BaseCommand {
  static override description =
    `Disk monitor: per-broker (and per log dir) disk use against WARNING/CRITICAL thresholds (60/80% by default, as MSK alerts), a time-to-full forecast from the growth trend, and storage advice.
Exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (a metric that could not be read is never OK).`;
  static override examples = [
    '<%= config.bin %> kafka disk -c orders',
    '<%= config.bin %> kafka disk --snapshot orders.json --plan plan.json --json',
  ];
  static override flags = {
    ...kafkaTargetFlags,
    warn: Flags.integer({
      description: 'WARNING threshold, percent used (default: the cluster config, else 60).',
      min: 1,
      max: 100,
    }),
    crit: Flags.integer({
      description: 'CRITICAL threshold, percent used (default: the cluster config, else 80).',
      min: 1,
      max: 100,
    }),
  };

  async run(): Promise<DiskResult> {
    const { flags } = await this.parse(KafkaDisk);
    const { config } = await this.getConfig(flags.config, { optional: Boolean(flags.snapshot) });
    const obs = await loadKafkaObservation(flags, config, liveObserveDeps());
    const clusterCfg = config.kafka.clusters.find((c) => c.name === flags.cluster);
    const warnPercent = flags.warn ?? clusterCfg?.diskWarnPercent ?? DEFAULT_DISK_THRESHOLDS.warnPercent;
    const critPercent = flags.crit ?? clusterCfg?.diskCritPercent ?? DEFAULT_DISK_THRESHOLDS.critPercent;
    // With WARNING at or above CRITICAL, usage between them would be reported OK.
    if (warnPercent >= critPercent)
      throw usageError(`--warn ${warnPercent} must be below --crit ${critPercent}`);
    const result = diskResult(obs, { ...DEFAULT_DISK_THRESHOLDS, warnPercent, critPercent });
    if (!this.jsonEnabled()) this.print(renderDisk(result));
    this.setExitCode(exitCodeFor(result.severity));
    return result;
  }
}
