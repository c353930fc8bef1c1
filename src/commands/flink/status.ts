import { Args } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { systemClock } from '../../core/clock.js';
import { formatBytes, formatDuration, renderTable } from '../../core/output.js';
import { exitCodeFor } from '../../core/severity.js';
import { type FlinkStatus, flinkStatus } from '../../services/flink/status.js';
import { renderFindings, renderVerdict } from '../../ui/render/findings.js';

export default class FlinkStatusCommand extends FlinkCommand {
  static override description =
    `Application status, job state, subtasks per state, restarts (DIFF per minute over the last 15 minutes), last checkpoint and last operation, with one health verdict.
Exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.`;
  static override examples = ['<%= config.bin %> flink status enricher'];
  static override args = {
    app: Args.string({ description: 'Application name from streamctl.yaml.', required: true }),
  };

  async run(): Promise<FlinkStatus> {
    const { args, flags } = await this.parse(FlinkStatusCommand);
    const { config } = await this.getConfig(flags.config);
    const s = await flinkStatus(config, this.flinkPorts(config), args.app, systemClock);
    if (!this.jsonEnabled()) {
      const lines = [
        `${s.app} (${s.kind}${s.runtime ? `, ${s.runtime}` : ''}${s.versionId === undefined ? '' : `, version ${s.versionId}`})`,
        s.status ? `  application  ${s.status}` : undefined,
        `  job          ${s.job ? `${s.job.state} ${s.job.name} (${s.job.id})` : '-'}`,
        `  subtasks     ${s.subtasks ? `${s.subtasks.reason}` : 'unknown'}`,
        `  restarts     ${s.restarts.perPeriod.reduce((a, p) => a + (p.restarts ?? 0), 0)} in 15 min (${s.restarts.metric}, ${s.restarts.source}): ${s.restarts.assessment.state}`,
        `  checkpoint   ${s.lastCheckpoint ? `${formatDuration(Date.now() - s.lastCheckpoint.completedAt)} ago${s.lastCheckpoint.sizeBytes === undefined ? '' : `, ${formatBytes(s.lastCheckpoint.sizeBytes)}`}` : '-'}${s.checkpointCounts ? ` (${s.checkpointCounts.completed} completed, ${s.checkpointCounts.failed} failed)` : ''}`,
        `  operation    ${s.lastOperation ? `${s.lastOperation.operation} ${s.lastOperation.status} ${s.lastOperation.startTime ?? ''}` : '-'}`,
      ].filter(Boolean);
      this.print(lines.join('\n'));
      if (s.restarts.perPeriod.some((p) => p.restarts !== 0)) {
        this.print(
          renderTable(s.restarts.perPeriod, [
            { header: 'MINUTE', get: (p) => new Date(p.t).toISOString().slice(11, 16) },
            { header: 'RESTARTS', get: (p) => (p.restarts === undefined ? '?' : p.restarts), align: 'right' },
          ]),
        );
      }
      this.print(renderFindings(s.findings) + renderVerdict(s.app, s.severity));
    }
    this.setExitCode(exitCodeFor(s.severity));
    return s;
  }
}
