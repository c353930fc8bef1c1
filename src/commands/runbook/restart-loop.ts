import { appArg, RunbookCommand, runbookFlags } from '../../runbooks/cli.js';

export default class RunbookRestartLoop extends RunbookCommand {
  static override description =
    `Guided runbook for a Flink application in a fail-and-restart loop: reads the restart counter (DIFF per minute), classifies the loop's FIRST failure (user code vs platform) and the last change, explains the options — roll back (needs a snapshot), force-stop (takes none), or wait — then acts and verifies by polling the subtasks.
Interactive on a terminal; unattended with --dry-run, --option <id>, --yes and --json (never acts without --yes: exit 64).`;
  static override examples = [
    '<%= config.bin %> runbook restart-loop orders',
    '<%= config.bin %> runbook restart-loop orders --dry-run --json',
    '<%= config.bin %> runbook restart-loop orders --option rollback --yes --timeout 10m',
  ];
  static override args = appArg;
  static override flags = runbookFlags;
  protected readonly runbookId = 'restart-loop';

  async run() {
    const { args, flags } = await this.parse(RunbookRestartLoop);
    return this.runRunbook(args.target, flags);
  }
}
