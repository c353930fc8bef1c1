import { Args, Flags } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { systemClock } from '../../core/clock.js';
import { type ExceptionsView, exceptionsOf } from '../../services/flink/exceptions.js';
import { renderExceptions } from '../../ui/render/exceptions.js';

export default class FlinkExceptions extends FlinkCommand {
  static override description =
    "The job's root cause and exception history, each classified as user code / configuration or system. The first failure of the current loop is classified with context (a recent UpdateApplication), because later restarts mask the root cause. After the healer ended a loop, the loop's failures (from the job that looped, the logs of its window, or the healer's journal) are shown beside the new job's.";
  static override examples = [
    '<%= config.bin %> flink exceptions enricher',
    '<%= config.bin %> flink exceptions enricher --json',
  ];
  static override args = {
    app: Args.string({ description: 'Application name from streamctl.yaml.', required: true }),
  };
  static override flags = {
    max: Flags.integer({ description: 'How many history entries to read.', default: 20, min: 1, max: 1000 }),
  };

  async run(): Promise<ExceptionsView> {
    const { args, flags } = await this.parse(FlinkExceptions);
    const { config } = await this.getConfig(flags.config);
    const v = await exceptionsOf(config, this.flinkPorts(config), args.app, {
      max: flags.max,
      clock: systemClock,
    });
    if (!this.jsonEnabled()) this.print(renderExceptions(v).trimEnd());
    return v;
  }
}
