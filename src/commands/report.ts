import { Flags } from '@oclif/core';
import { FlinkCommand } from '../cli/flink-command.js';
import { liveObserveDeps } from '../cli/live-ports.js';
import { parseDuration } from '../core/clock.js';
import { usageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { redact, redactString } from '../core/redact.js';
import { exitCodeFor } from '../core/severity.js';
import { gatherReport } from '../report/gather.js';
import type { FleetReport } from '../report/model.js';
import { renderHtml } from '../report/render-html.js';
import { renderMarkdown } from '../report/render-md.js';

/** The report's deadline (`--deadline` changes it). */
const REPORT_DEADLINE = '5m';

export default class Report extends FlinkCommand {
  /** A fleet report makes many calls one after another: more than the default deadline. */
  static override deadline = REPORT_DEADLINE;
  static override description =
    `One health report across the configured fleet — Kafka disk/partition/broker monitors, Flink status, restarts, checkpoints, last operations and audit, the healer's actions and open incidents — as Markdown, a self-contained HTML file with inline SVG charts, or JSON. Runs unattended (no prompts).
Exit code: the worst finding — 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN — so cron and alerting can act on it.`;
  static override examples = [
    '<%= config.bin %> report --format html --out /var/www/streamctl/report.html',
    '<%= config.bin %> report --format md --since 24h',
    '# crontab: 0 7 * * * streamctl report --format html --out /srv/reports/daily.html || true',
  ];
  static override flags = {
    format: Flags.option({
      options: ['md', 'html', 'json'] as const,
      default: 'md',
      description: 'Output format.',
    })(),
    out: Flags.string({ char: 'o', description: 'Write to this file (atomically) instead of stdout.' }),
    since: Flags.string({ description: 'Reporting window (restarts, healer actions).', default: '24h' }),
  };

  async run(): Promise<FleetReport> {
    const { flags } = await this.parse(Report);
    const sinceMs = parseDuration(flags.since);
    if (sinceMs === undefined)
      throw usageError(`--since ${flags.since}: expected a duration such as 24h or 7d`);
    const { config } = await this.getConfig(flags.config);
    const report = await gatherReport(config, {
      sinceMs,
      ports: this.flinkPorts(config),
      kafkaDeps: liveObserveDeps(),
    });
    const text =
      flags.format === 'html'
        ? renderHtml(redact(report))
        : flags.format === 'md'
          ? renderMarkdown(redact(report))
          : `${JSON.stringify(redact(report), null, 2)}\n`;
    if (flags.out) {
      writeFileAtomic(flags.out, redactString(text));
      if (!this.jsonEnabled()) process.stderr.write(`Wrote ${flags.out} (${report.severity}).\n`);
    } else if (!this.jsonEnabled()) process.stdout.write(redactString(text));
    this.setExitCode(exitCodeFor(report.severity));
    return report;
  }
}
