import { LifecycleCommand, lifecycleArgs, lifecycleFlags } from '../../cli/lifecycle-command.js';

export default class FlinkForceStop extends LifecycleCommand {
  static override description =
    `Force-stop an application (StopApplication Force=true). NO SNAPSHOT IS TAKEN: state since the last snapshot is lost; the restart options are shown first.
Asks for confirmation (or --yes); --dry-run explains only; --wait waits until the application is READY.`;
  static override examples = [
    '<%= config.bin %> flink force-stop enricher --dry-run',
    '<%= config.bin %> flink force-stop enricher --yes',
  ];
  static override args = lifecycleArgs;
  static override flags = lifecycleFlags;
  protected readonly action = 'force-stop' as const;
}
