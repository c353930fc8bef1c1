import { LifecycleCommand, lifecycleArgs, lifecycleFlags } from '../../cli/lifecycle-command.js';

export default class FlinkRollback extends LifecycleCommand {
  static override description =
    `Roll an application back to its previous version (RollbackApplication), restoring state from the latest snapshot.
Preconditions are checked and explained first: status RUNNING/UPDATING/AUTOSCALING, at least one snapshot, the current version id. Asks for confirmation (or --yes); --dry-run explains only; --wait polls the subtasks afterwards.`;
  static override examples = [
    '<%= config.bin %> flink rollback enricher --dry-run',
    '<%= config.bin %> flink rollback enricher --yes --wait',
  ];
  static override args = lifecycleArgs;
  static override flags = lifecycleFlags;
  protected readonly action = 'rollback' as const;
}
