import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { type HistoryView, healerHistory, renderHistory } from '../../services/healer/journal-view.js';

export default class HealerHistory extends BaseCommand {
  static override description =
    "The healer's journal: decisions with their reasons and evidence, actions (intent before the call, outcomes after) and incidents, oldest first.";

  static override examples = [
    '<%= config.bin %> healer history',
    '<%= config.bin %> healer history orders --limit 20',
    '<%= config.bin %> healer history orders --json',
  ];

  static override args = {
    app: Args.string({ description: 'Only this application (its name in streamctl.yaml).' }),
  };

  static override flags = {
    limit: Flags.integer({
      description: 'Newest N of each (decisions, actions, incidents).',
      default: 50,
      min: 1,
    }),
  };

  async run(): Promise<HistoryView> {
    const { args, flags } = await this.parse(HealerHistory);
    const { config } = await this.getConfig(flags.config);
    const view = await healerHistory(config, { ...(args.app ? { app: args.app } : {}), limit: flags.limit });
    if (!this.jsonEnabled()) this.print(renderHistory(view));
    return view;
  }
}
