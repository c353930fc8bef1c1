import { Args, Flags } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { parseDuration } from '../../core/clock.js';
import { usageError } from '../../core/errors.js';
import { renderTable } from '../../core/output.js';
import { transitions } from '../../services/flink/views.js';

export default class FlinkTransitions extends FlinkCommand {
  static override description =
    'Subtask state transitions from CloudWatch Logs Insights (the "switched from X to Y" query AWS recommends for continuous watching instead of polling the Flink REST API).';
  static override examples = ['<%= config.bin %> flink transitions enricher --since 1h'];
  static override args = {
    app: Args.string({ description: 'Application name from streamctl.yaml.', required: true }),
  };
  static override flags = {
    since: Flags.string({ description: 'How far back to look (e.g. 15m, 1h, 1d).', default: '1h' }),
    limit: Flags.integer({ description: 'Maximum rows.', default: 1000, min: 1, max: 10_000 }),
  };

  async run(): Promise<Awaited<ReturnType<typeof transitions>>> {
    const { args, flags } = await this.parse(FlinkTransitions);
    const sinceMs = parseDuration(flags.since);
    if (sinceMs === undefined)
      throw usageError(`--since ${flags.since}: expected a duration such as 15m, 1h or 1d`);
    const { config } = await this.getConfig(flags.config);
    const result = await transitions(config, this.flinkPorts(config), args.app, {
      sinceMs,
      now: Date.now(),
      limit: flags.limit,
    });
    if (result.logGroups.length === 0)
      this.print(`${result.app}: CloudWatch logging is not configured, so there are no transitions to read.`);
    else
      this.print(
        renderTable(result.transitions, [
          { header: 'TIME', get: (t) => new Date(t.timestamp).toISOString() },
          {
            header: 'TASK',
            get: (t) =>
              `${t.task}${t.subtaskIndex === undefined ? '' : ` (${t.subtaskIndex + 1}/${t.parallelism ?? '?'})`}`,
          },
          { header: 'ATTEMPT', get: (t) => t.attempt, align: 'right' },
          { header: 'FROM', get: (t) => t.from },
          { header: 'TO', get: (t) => t.to },
        ]),
      );
    return result;
  }
}
