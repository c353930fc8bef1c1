import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { buildAlarmPlan, type InstallResult, installAlarms, planRequests } from '../../services/alarms.js';

export default class AlarmsInstall extends BaseCommand {
  static override description =
    'Create or update the recommended CloudWatch alarms in place (idempotent; tagged streamctl:managed=true). SNS actions come from notifications.sns.topicArn.';
  static override examples = ['<%= config.bin %> alarms install --yes', '<%= config.bin %> alarms install --prune --yes'];
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation.' }),
    'dry-run': Flags.boolean({ description: 'Show what would be created or updated (same as `alarms plan`).' }),
    prune: Flags.boolean({ description: 'Also delete streamctl-managed alarms the plan no longer contains.' }),
  };

  async run(): Promise<InstallResult | { dryRun: true; requests: number }> {
    const { flags } = await this.parse(AlarmsInstall);
    const { config } = await this.getConfig(flags.config);
    const plan = await buildAlarmPlan(config);
    const count = planRequests(plan).length;
    if (flags['dry-run']) {
      this.print(`Dry run: ${count} alarm(s) would be created or updated. See \`streamctl alarms plan\` for the requests.`);
      return { dryRun: true, requests: count };
    }
    await this.confirm(`Create or update ${count} CloudWatch alarm(s)${flags.prune ? ' and delete stale managed ones' : ''}?`, { yes: flags.yes });
    const r = await installAlarms(config, plan, { prune: flags.prune });
    this.print(`created ${r.created.length}, updated ${r.updated.length}${r.pruned.length ? `, deleted ${r.pruned.length}` : r.stale.length ? `, ${r.stale.length} stale (use --prune)` : ''}`);
    return r;
  }
}
