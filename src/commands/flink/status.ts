import { Args } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { systemClock } from '../../core/clock.js';
import { exitCodeFor } from '../../core/severity.js';
import { type FlinkStatus, flinkStatus } from '../../services/flink/status.js';
import { renderFlinkStatus } from '../../ui/render/flink-status.js';

export default class FlinkStatusCommand extends FlinkCommand {
  static override description =
    `Application status, job state, subtasks per state, restarts (DIFF per minute over the healer's look-back, at least 15 minutes) read with the healer's journal — a verified heal ends the loop, the restarts before it are history — last checkpoint and last operation, with one health verdict.
Exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.`;
  static override examples = ['<%= config.bin %> flink status enricher'];
  static override args = {
    app: Args.string({ description: 'Application name from streamctl.yaml.', required: true }),
  };

  async run(): Promise<FlinkStatus> {
    const { args, flags } = await this.parse(FlinkStatusCommand);
    const { config } = await this.getConfig(flags.config);
    const s = await flinkStatus(config, this.flinkPorts(config), args.app, systemClock);
    if (!this.jsonEnabled()) this.print(renderFlinkStatus(s, systemClock.now()).trimEnd());
    this.setExitCode(exitCodeFor(s.severity));
    return s;
  }
}
