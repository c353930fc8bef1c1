import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { renderHistory } from '../../services/healer/journal-view.js';
import { healerHistoryStory, type StoriedHistoryView } from '../../services/healer-history.js';

export default class HealerHistory extends BaseCommand {
  static override description =
    'The healer\'s journal: decisions with their reasons and evidence, actions (intent before the call, outcomes after) and incidents, oldest first. Each incident\'s status is its story, as flink status, watch and the report tell it: a verified heal reads "healed by <action> at <time>".';

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

  async run(): Promise<StoriedHistoryView> {
    const { args, flags } = await this.parse(HealerHistory);
    const { config } = await this.getConfig(flags.config);
    const view = await healerHistoryStory(config, {
      ...(args.app ? { app: args.app } : {}),
      limit: flags.limit,
    });
    if (!this.jsonEnabled()) this.print(renderHistory(view, (i) => view.stories[i.key]?.text));
    return view;
  }
}
