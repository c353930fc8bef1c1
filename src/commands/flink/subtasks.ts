import { Args, Flags } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { parseDuration } from '../../core/clock.js';
import { usageError } from '../../core/errors.js';
import { paint } from '../../core/output.js';
import { type PollOutcome, subtasksOf } from '../../services/flink/subtask-poll.js';

export default class FlinkSubtasks extends FlinkCommand {
  static override description =
    `Poll the subtask states through the presigned (MSF) or direct Flink REST API — what AWS advises right after an operation.
Exit code: 0 all RUNNING; 2 as soon as any is FAILING/FAILED/CANCELED; 3 the dashboard is unavailable; 75 timeout (with --wait); 1 still in progress (without --wait). JSON lines with --json.`;
  static override examples = [
    '<%= config.bin %> flink subtasks enricher',
    '<%= config.bin %> flink subtasks enricher --wait --timeout 10m --interval 10s --json',
  ];
  static override args = {
    app: Args.string({ description: 'Application name from streamctl.yaml.', required: true }),
  };
  static override flags = {
    wait: Flags.boolean({ description: 'Keep polling until all RUNNING, any failed, or the timeout.' }),
    timeout: Flags.string({ description: 'With --wait: give up after this long (exit 75).', default: '10m' }),
    interval: Flags.string({ description: 'With --wait: time between polls.', default: '10s' }),
  };

  async run(): Promise<PollOutcome & { app: string }> {
    const { args, flags } = await this.parse(FlinkSubtasks);
    const timeoutMs = parseDuration(flags.timeout);
    const intervalMs = parseDuration(flags.interval);
    if (timeoutMs === undefined || intervalMs === undefined || intervalMs < 1000)
      throw usageError('--timeout and --interval take durations such as 10m and 10s (interval ≥ 1s)');
    const { config } = await this.getConfig(flags.config);
    const json = this.jsonEnabled();
    const result = await subtasksOf(config, this.flinkPorts(config), args.app, {
      wait: flags.wait,
      timeoutMs,
      intervalMs,
      onUpdate: (u) => {
        if (json) this.jsonLine({ app: args.app, ...u });
        else {
          const colour =
            u.state === 'all-running'
              ? 'green'
              : u.state === 'failed'
                ? 'red'
                : u.state === 'unavailable'
                  ? 'magenta'
                  : 'yellow';
          const counts = u.counts
            ? Object.entries(u.counts)
                .filter(([, n]) => n)
                .map(([s, n]) => `${s}=${n}`)
                .join(' ')
            : '';
          this.print(
            `${new Date(u.at).toISOString().slice(11, 19)} ${paint(colour, u.state.padEnd(11))} ${u.reason}${counts ? `  [${counts}]` : ''}`,
          );
        }
      },
    });
    this.setExitCode(result.exitCode);
    if (json) {
      this.jsonLine({
        app: args.app,
        outcome: result.outcome,
        exitCode: result.exitCode,
        polls: result.polls,
      });
      return undefined as unknown as PollOutcome & { app: string };
    }
    if (result.outcome === 'timeout' && flags.wait)
      this.print(`Timed out after ${flags.timeout}: ${result.last.reason}`);
    return result;
  }
}
