import { Flags } from '@oclif/core';
import { clusterArg, RunbookCommand, runbookFlags } from '../../runbooks/cli.js';

export default class RunbookAddBrokers extends RunbookCommand {
  static override description =
    `Guided runbook after adding Kafka brokers: finds the empty brokers (or --brokers), checks MSK intelligent rebalancing (pause it first: MSK refuses manual moves while it is ACTIVE), plans a rebalance that fills them — moves, bytes against the lower bound, spreads, duration at --throttle — then executes it in throttled batches and follows the reassignment to the end.
Interactive on a terminal; unattended with --dry-run, --option execute|plan-only, --yes and --json.`;
  static override examples = [
    '<%= config.bin %> runbook add-brokers prod --throttle 90MB/s',
    '<%= config.bin %> runbook add-brokers prod --brokers 4,5,6 --dry-run --json',
    '<%= config.bin %> runbook add-brokers prod --option execute --yes',
  ];
  static override args = clusterArg;
  static override flags = {
    ...runbookFlags,
    brokers: Flags.string({
      description: 'The new brokers (comma-separated ids); default: every live broker with no replica.',
    }),
  };
  protected readonly runbookId = 'add-brokers';

  async run() {
    const { args, flags } = await this.parse(RunbookAddBrokers);
    return this.runRunbook(args.target, flags, { brokers: flags.brokers });
  }
}
