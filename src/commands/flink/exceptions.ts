import { Args, Flags } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { systemClock } from '../../core/clock.js';
import { paint, renderTable } from '../../core/output.js';
import { type ExceptionsView, exceptionsOf } from '../../services/flink/exceptions.js';

export default class FlinkExceptions extends FlinkCommand {
  static override description =
    "The job's root cause and exception history, each classified as user code / configuration or system. The first failure of the current loop is classified with context (a recent UpdateApplication), because later restarts mask the root cause.";
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
    if (!this.jsonEnabled()) {
      if (v.note) this.print(paint('dim', v.note));
      if (v.firstFailure) {
        const c = v.firstFailure.classification;
        this.print(
          `First failure of the loop (${new Date(v.firstFailure.timestamp).toISOString()}, ${v.firstFailure.loopSize} failure(s) in the loop):`,
        );
        this.print(
          `  verdict     ${paint(c.verdict === 'user' ? 'yellow' : c.verdict === 'system' ? 'cyan' : 'magenta', c.verdict.toUpperCase())} (${Math.round(c.confidence * 100)}%, ${c.subtype})`,
        );
        this.print(
          `  root cause  ${c.rootCause.exception}${c.rootCause.message ? `: ${c.rootCause.message}` : ''}`,
        );
        if (c.rootCause.frame) this.print(`  at          ${c.rootCause.frame}`);
        for (const s of c.signals.slice(0, 4))
          this.print(`  signal      ${s.rule} (${s.weight > 0 ? '+' : ''}${s.weight}): ${s.evidence}`);
      } else this.print('No failures recorded.');
      if (v.entries.length) {
        this.print('');
        this.print(
          renderTable(v.entries, [
            { header: 'TIME', get: (e) => new Date(e.timestamp).toISOString() },
            { header: 'EXCEPTION', get: (e) => e.exceptionName },
            { header: 'TASK', get: (e) => e.taskName },
            {
              header: 'VERDICT',
              get: (e) => `${e.classification.verdict} ${Math.round(e.classification.confidence * 100)}%`,
            },
          ]),
        );
      }
    }
    return v;
  }
}
