import { Args, Flags } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { parseDuration } from '../../core/clock.js';
import { usageError } from '../../core/errors.js';
import { Health } from '../../core/exit-codes.js';
import { assessRestarts, type RestartAssessment } from '../../healer/detect/restart-loop.js';
import { policyFromConfig } from '../../healer/policy.js';
import { type RestartsView, restarts } from '../../services/flink/views.js';
import { renderRestarts } from '../../ui/render/flink.js';

export default class FlinkRestarts extends FlinkCommand {
  static override description =
    `The restart counter (fullRestarts, or numRestarts on Flink 2.2+) per period from CloudWatch, its DIFF with counter resets and missing datapoints made explicit, and whether it is a fail-and-restart loop by the healer's rule.
Exit code: 0 quiet, 1 restarting, 2 loop, 3 unknown.`;
  static override examples = ['<%= config.bin %> flink restarts enricher --since 1h'];
  static override args = {
    app: Args.string({ description: 'Application name from streamctl.yaml.', required: true }),
  };
  static override flags = { since: Flags.string({ description: 'Window (e.g. 15m, 1h).', default: '15m' }) };

  async run(): Promise<Omit<RestartsView, 'detail'> & { assessment: RestartAssessment }> {
    const { args, flags } = await this.parse(FlinkRestarts);
    const sinceMs = parseDuration(flags.since);
    if (sinceMs === undefined)
      throw usageError(`--since ${flags.since}: expected a duration such as 15m or 1h`);
    const { config } = await this.getConfig(flags.config);
    const { detail: _d, ...view } = await restarts(config, this.flinkPorts(config), args.app, {
      sinceMs,
      now: Date.now(),
    });
    const policy = policyFromConfig(config.healer);
    const assessment = assessRestarts(
      {
        metric: view.metric,
        source: 'cloudwatch',
        periodMs: view.periodSec * 1000,
        points: view.points.map((p) => ({ t: p.t, value: p.counter })),
      },
      policy.loop,
    );
    const verdict =
      assessment.state === 'loop'
        ? `LOOP: ${assessment.restarts} restarts in ${assessment.periods} periods — see \`streamctl flink exceptions ${args.app}\` and \`streamctl runbook restart-loop ${args.app}\``
        : assessment.state === 'restarting'
          ? `restarting (${assessment.restarts} in the window), not a loop by the healer's rule`
          : assessment.state === 'quiet'
            ? 'quiet: no restarts in the rule window'
            : `unknown: ${assessment.reason}`;
    this.print(renderRestarts(view, verdict));
    this.setExitCode(
      {
        quiet: Health.OK,
        restarting: Health.WARNING,
        loop: Health.CRITICAL,
        unknown: Health.UNKNOWN,
      }[assessment.state],
    );
    return { ...view, assessment };
  }
}
