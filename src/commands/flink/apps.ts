import { FlinkCommand } from '../../cli/flink-command.js';
import { unavailable } from '../../core/errors.js';
import { type AppRow, listApps } from '../../services/flink/views.js';
import { renderApps } from '../../ui/render/flink.js';

export default class FlinkApps extends FlinkCommand {
  static override description =
    'Every Flink application: status, runtime, version, KPUs, snapshots enabled, system rollback enabled, and the last operation with its outcome.';
  static override examples = ['<%= config.bin %> flink apps', '<%= config.bin %> flink apps --json'];

  async run(): Promise<{ apps: AppRow[] }> {
    const { flags } = await this.parse(FlinkApps);
    const { config } = await this.getConfig(flags.config);
    const apps = await listApps(config, this.flinkPorts(config));
    this.print(
      apps.length ? renderApps(apps) : 'No Flink applications configured (flink.applications) or discovered.',
    );
    // A listing that could read nothing is not a success (cron would see exit 0 and UNKNOWN rows).
    const described = apps.filter((a) => a.kind === 'managed');
    if (described.length > 0 && described.every((a) => a.error !== undefined))
      throw unavailable(
        `no Flink application could be described (${described.length} of ${described.length} failed; first: ${described[0]!.error})`,
        'Check the AWS endpoint, region and credentials (`streamctl doctor`).',
      );
    return { apps };
  }
}
