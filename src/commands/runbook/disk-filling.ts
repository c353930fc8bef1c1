import { clusterArg, RunbookCommand, runbookFlags } from '../../runbooks/cli.js';

export default class RunbookDiskFilling extends RunbookCommand {
  static override description =
    `Guided runbook for Kafka broker disks filling up: use, growth and time to full per broker, the largest topics; options: a light rebalance off the hot brokers (throttled, executed and verified here), add storage (MSK storage never shrinks: exact commands printed), or lower retention (deletes data).
Interactive on a terminal; unattended with --dry-run, --option <id>, --yes and --json.`;
  static override examples = [
    '<%= config.bin %> runbook disk-filling prod',
    '<%= config.bin %> runbook disk-filling prod --dry-run --json',
  ];
  static override args = clusterArg;
  static override flags = runbookFlags;
  protected readonly runbookId = 'disk-filling';

  async run() {
    const { args, flags } = await this.parse(RunbookDiskFilling);
    return this.runRunbook(args.target, flags);
  }
}
