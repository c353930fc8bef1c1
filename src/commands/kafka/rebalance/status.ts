import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base-command.js';
import { liveRebalanceDeps } from '../../../cli/rebalance-deps.js';
import { Outcome } from '../../../core/exit-codes.js';
import { type RebalanceStatus, rebalanceStatus } from '../../../services/rebalance.js';
import { renderStatus } from '../../../services/rebalance-render.js';

export default class KafkaRebalanceStatus extends BaseCommand {
  static override description =
    `Show the cluster's rebalance execution (from its state file) and the reassignments Kafka reports in progress right now.
Exit 0 when nothing is unfinished, 1 while an execution is unfinished (running, interrupted or failed).`;
  static override examples = [
    '<%= config.bin %> kafka rebalance status -c prod',
    '<%= config.bin %> kafka rebalance status -c prod --json',
  ];
  static override flags = {
    cluster: Flags.string({ char: 'c', description: 'Cluster name from streamctl.yaml.', required: true }),
    'state-dir': Flags.string({
      description: 'Where execution state and locks live.',
      env: 'STREAMCTL_STATE_DIR',
      default: '.streamctl',
    }),
  };

  async run(): Promise<RebalanceStatus> {
    const { flags } = await this.parse(KafkaRebalanceStatus);
    const { config } = await this.getConfig(flags.config);
    const result = await rebalanceStatus(
      config,
      { cluster: flags.cluster, stateDir: flags['state-dir'] },
      liveRebalanceDeps(),
    );
    if (!this.jsonEnabled()) this.print(renderStatus(result));
    const phase = result.execution?.phase;
    this.setExitCode(phase && phase !== 'done' && phase !== 'cancelled' ? Outcome.UNFINISHED : Outcome.OK);
    return result;
  }
}
