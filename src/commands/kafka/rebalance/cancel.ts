import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base-command.js';
import { liveRebalanceDeps } from '../../../cli/rebalance-deps.js';
import { redact } from '../../../core/redact.js';
import { cancelRebalance } from '../../../services/rebalance.js';
import { eventWriter, renderSummary } from '../../../services/rebalance-render.js';
import type { ExecutionSummary } from '../../../services/rebalance-summary.js';

export default class KafkaRebalanceCancel extends BaseCommand {
  static override description =
    `Cancel the cluster's rebalance execution: in-flight reassignments are reverted (Kafka's cancel: target replicas null), the replication throttles it set are cleared, and the execution is marked cancelled.
Moves of batches that already completed stay where they are; the plan's .rollback.json moves them back. When an executor is running, it is asked to cancel and this waits for it.`;
  static override examples = [
    '<%= config.bin %> kafka rebalance cancel -c prod',
    '<%= config.bin %> kafka rebalance cancel -c prod --yes --json',
  ];
  static override flags = {
    cluster: Flags.string({ char: 'c', description: 'Cluster name from streamctl.yaml.', required: true }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation.' }),
    'state-dir': Flags.string({
      description: 'Where execution state and locks live.',
      env: 'STREAMCTL_STATE_DIR',
      default: '.streamctl',
    }),
  };

  async run(): Promise<ExecutionSummary & { via: string }> {
    const { flags } = await this.parse(KafkaRebalanceCancel);
    const { config } = await this.getConfig(flags.config);
    const human = eventWriter(process.stdout);
    const result = await cancelRebalance(
      config,
      {
        cluster: flags.cluster,
        stateDir: flags['state-dir'],
        confirm: (q) => this.confirm(q, { yes: flags.yes }),
        emit: (e) => (this.jsonEnabled() ? undefined : human(redact(e))),
      },
      liveRebalanceDeps(),
    );
    if (!this.jsonEnabled()) this.print(renderSummary(result));
    return result;
  }
}
