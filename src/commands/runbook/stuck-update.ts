import { appArg, RunbookCommand, runbookFlags } from '../../runbooks/cli.js';

export default class RunbookStuckUpdate extends RunbookCommand {
  static override description =
    `Guided runbook for an MSF application stuck UPDATING or AUTOSCALING: how long, which operation, compared with healer.stuckTimeout; options wait, roll back (allowed while UPDATING/AUTOSCALING, needs a snapshot) or force-stop (no snapshot); verifies by polling the subtasks.
Interactive on a terminal; unattended with --dry-run, --option <id>, --yes and --json.`;
  static override examples = [
    '<%= config.bin %> runbook stuck-update orders',
    '<%= config.bin %> runbook stuck-update orders --option rollback --yes --json',
  ];
  static override args = appArg;
  static override flags = runbookFlags;
  protected readonly runbookId = 'stuck-update';

  async run() {
    const { args, flags } = await this.parse(RunbookStuckUpdate);
    return this.runRunbook(args.target, flags);
  }
}
