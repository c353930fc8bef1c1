import { Args } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { snapshots } from '../../services/flink/views.js';
import { renderSnapshots } from '../../ui/render/flink.js';

export default class FlinkSnapshots extends FlinkCommand {
  static override description =
    'Snapshots of an application with status, application version and creation time (newest first).';
  static override args = {
    app: Args.string({ description: 'Application name from streamctl.yaml.', required: true }),
  };

  async run(): Promise<Awaited<ReturnType<typeof snapshots>>> {
    const { args, flags } = await this.parse(FlinkSnapshots);
    const { config } = await this.getConfig(flags.config);
    const result = await snapshots(config, this.flinkPorts(config), args.app);
    this.print(renderSnapshots(result.snapshots));
    return result;
  }
}
