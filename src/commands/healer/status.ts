import { BaseCommand } from '../../cli/base-command.js';
import { healerStatus, renderStatus, type StatusView } from '../../services/healer/journal-view.js';

export default class HealerStatus extends BaseCommand {
  static override description =
    "What the healer is doing now, from its journal: open incidents, unfinished actions, the hourly action budget used, and each application's latest decision.";

  static override examples = ['<%= config.bin %> healer status', '<%= config.bin %> healer status --json'];

  async run(): Promise<StatusView> {
    const { flags } = await this.parse(HealerStatus);
    const { config } = await this.getConfig(flags.config);
    const view = await healerStatus(config, Date.now());
    if (!this.jsonEnabled()) this.print(renderStatus(view));
    return view;
  }
}
