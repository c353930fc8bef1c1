import { Args } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { exitCodeFor, worst } from '../../core/severity.js';
import { audit } from '../../services/flink/views.js';
import { renderFindings } from '../../ui/render/findings.js';

export default class FlinkAudit extends FlinkCommand {
  static override description =
    `Check every application against the recommendations: snapshots enabled, system rollback enabled, recent snapshots, supported runtime, checkpointing on, metrics level, CloudWatch logging.
Exit code: the worst finding — 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.`;
  static override args = { app: Args.string({ description: 'One application (default: all).' }) };

  async run(): Promise<Awaited<ReturnType<typeof audit>> & { severity: string }> {
    const { args, flags } = await this.parse(FlinkAudit);
    const { config } = await this.getConfig(flags.config);
    const result = await audit(
      config,
      this.flinkPorts(config),
      Date.now(),
      args.app ? [args.app] : undefined,
    );
    for (const a of result.apps) this.print(`${a.app}\n${renderFindings(a.findings).replace(/^/gm, '  ')}`);
    const severity = worst(...result.apps.flatMap((a) => a.findings.map((f) => f.severity)));
    this.setExitCode(exitCodeFor(severity));
    return { ...result, severity };
  }
}
