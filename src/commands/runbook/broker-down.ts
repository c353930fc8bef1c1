import { clusterArg, RunbookCommand, runbookFlags } from '../../runbooks/cli.js';

export default class RunbookBrokerDown extends RunbookCommand {
  static override description =
    `Guided runbook for a Kafka broker that is down: which brokers, offline / under-replicated / under-min-ISR partitions, what the broker held; options: bring it back (restart steps printed) or move its replicas to the live brokers (a throttled reassignment, verified to the end).
Interactive on a terminal; unattended with --dry-run, --option <id>, --yes and --json.`;
  static override examples = [
    '<%= config.bin %> runbook broker-down prod',
    '<%= config.bin %> runbook broker-down prod --dry-run --json',
  ];
  static override args = clusterArg;
  static override flags = runbookFlags;
  protected readonly runbookId = 'broker-down';

  async run() {
    const { args, flags } = await this.parse(RunbookBrokerDown);
    return this.runRunbook(args.target, flags);
  }
}
