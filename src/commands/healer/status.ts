import { BaseCommand } from '../../cli/base-command.js';
import { renderStatus } from '../../services/healer/journal-view.js';
import {
  healerStatusStory,
  renderEndedButOpen,
  type StoriedStatusView,
} from '../../services/healer-history.js';

export default class HealerStatus extends BaseCommand {
  static override description =
    "What the healer is doing now, from its journal: open incidents, unfinished actions, the hourly action budget used, and each application's latest decision.";

  static override examples = ['<%= config.bin %> healer status', '<%= config.bin %> healer status --json'];

  async run(): Promise<StoriedStatusView> {
    const { flags } = await this.parse(HealerStatus);
    const { config } = await this.getConfig(flags.config);
    const view = await healerStatusStory(config, Date.now());
    if (!this.jsonEnabled()) this.print(renderStatus(view) + renderEndedButOpen(view));
    return view;
  }
}
