import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { withAwsPorts } from '../../cli/live-ports.js';
import {
  type AlarmPlan,
  buildAlarmPlan,
  type InstallResult,
  incompleteInstall,
  installAlarms,
  planRequests,
} from '../../services/alarms.js';

export default class AlarmsInstall extends BaseCommand {
  static override description =
    'Create or update the recommended CloudWatch alarms in place (idempotent; tagged streamctl:managed=true). SNS actions come from notifications.sns.topicArn.';
  static override examples = [
    '<%= config.bin %> alarms install --yes',
    '<%= config.bin %> alarms install --prune --yes',
  ];
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation.' }),
    'dry-run': Flags.boolean({
      description: 'Show what would be created or updated (same as `alarms plan`).',
    }),
    prune: Flags.boolean({
      description: 'Also delete streamctl-managed alarms the plan no longer contains.',
    }),
  };

  async run(): Promise<
    (InstallResult & { skipped: AlarmPlan['skipped'] }) | { dryRun: true; requests: number }
  > {
    const { flags } = await this.parse(AlarmsInstall);
    const { config } = await this.getConfig(flags.config);
    const plan = await withAwsPorts(config, (ports) => buildAlarmPlan(config, ports));
    const count = planRequests(plan).length;
    // Every target unreachable is not "nothing to do": installing nothing must not exit 0.
    if (count === 0 && plan.skipped.length > 0)
      throw incompleteInstall(plan, { created: [], updated: [], stale: [], pruned: [], failed: [] });
    if (flags['dry-run']) {
      this.print(
        `Dry run: ${count} alarm(s) would be created or updated. See \`streamctl alarms plan\` for the requests.`,
      );
      return { dryRun: true, requests: count };
    }
    await this.confirm(
      `Create or update ${count} CloudWatch alarm(s)${flags.prune ? ' and delete stale managed ones' : ''}?`,
      { yes: flags.yes },
    );
    const r = await withAwsPorts(config, (ports) =>
      installAlarms(plan, { prune: flags.prune, cw: ports.cloudWatch }),
    );
    this.print(
      `created ${r.created.length}, updated ${r.updated.length}${r.pruned.length ? `, deleted ${r.pruned.length}` : r.stale.length ? `, ${r.stale.length} stale (use --prune)` : ''}`,
    );
    // A target that could not be described got no alarms (and keeps its old ones): say so.
    for (const s of plan.skipped)
      this.print(`skipped ${s.target} (its alarms were left as they are): ${s.reason}`);
    for (const f of r.failed) this.print(`not installed: ${f.alarm}: ${f.reason}`);
    // Anything not installed is not success (it exited 0 before).
    const incomplete = incompleteInstall(plan, r);
    if (incomplete) throw incomplete;
    return { ...r, skipped: plan.skipped };
  }
}
