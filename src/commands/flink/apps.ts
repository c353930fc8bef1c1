import { FlinkCommand } from '../../cli/flink-command.js';
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
    return { apps };
  }
}
