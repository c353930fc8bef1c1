import { Args, Flags } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { operations } from '../../services/flink/views.js';
import { renderOperations } from '../../ui/render/flink.js';

export default class FlinkOperations extends FlinkCommand {
  static override description =
    'Operation history of an application (newest first), or one operation in detail with its error text.';
  static override examples = [
    '<%= config.bin %> flink operations enricher',
    '<%= config.bin %> flink operations enricher --id abc123',
  ];
  static override args = {
    app: Args.string({ description: 'Application name from streamctl.yaml.', required: true }),
  };
  static override flags = {
    id: Flags.string({ description: 'One operation id (DescribeApplicationOperation).' }),
  };

  async run(): Promise<Awaited<ReturnType<typeof operations>>> {
    const { args, flags } = await this.parse(FlinkOperations);
    const { config } = await this.getConfig(flags.config);
    const result = await operations(config, this.flinkPorts(config), args.app, flags.id);
    this.print(
      result.operations.length
        ? renderOperations(result.operations)
        : `${result.app}: no operations recorded.`,
    );
    return result;
  }
}
