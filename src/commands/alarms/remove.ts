import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { withAwsPorts } from '../../cli/live-ports.js';
import { fleetRegions, removeAlarms } from '../../services/alarms.js';

export default class AlarmsRemove extends BaseCommand {
  static override description =
    'Delete every CloudWatch alarm streamctl installed (only alarms tagged streamctl:managed=true).';
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation.' }),
    'dry-run': Flags.boolean({ description: 'List what would be deleted.' }),
  };

  async run(): Promise<{ deleted: string[]; dryRun: boolean }> {
    const { flags } = await this.parse(AlarmsRemove);
    const { config } = await this.getConfig(flags.config);
    const regions = fleetRegions(config);
    if (!flags['dry-run'])
      await this.confirm('Delete every streamctl-managed CloudWatch alarm?', { yes: flags.yes });
    const r = await withAwsPorts(config, (ports) =>
      removeAlarms(regions.length ? regions : [config.aws.region], {
        dryRun: flags['dry-run'],
        cw: ports.cloudWatch,
      }),
    );
    this.print(
      `${flags['dry-run'] ? 'would delete' : 'deleted'} ${r.deleted.length} alarm(s)${r.deleted.length ? `: ${r.deleted.join(', ')}` : ''}`,
    );
    return { ...r, dryRun: flags['dry-run'] };
  }
}
