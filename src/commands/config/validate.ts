import { BaseCommand } from '../../cli/base-command.js';
import { ConfigValidationError, formatIssue, loadConfig } from '../../config/load.js';
import { redactString } from '../../core/redact.js';

export default class ConfigValidate extends BaseCommand {
  static override description =
    'Validate streamctl.yaml: every error names the file, line, key and what was expected (exit 78 when invalid).';
  static override examples = [
    '<%= config.bin %> config validate',
    '<%= config.bin %> config validate --config ./streamctl.yaml --json',
  ];

  async run(): Promise<{ valid: boolean; source?: string; issues: unknown[] }> {
    const { flags } = await this.parse(ConfigValidate);
    try {
      const { source, config } = await loadConfig({ path: flags.config });
      this.print(
        `${source}: valid (${config.kafka.clusters.length} Kafka cluster(s), ${config.flink.applications.length} Flink application(s), healer ${config.healer.mode}).`,
      );
      return { valid: true, ...(source ? { source } : {}), issues: [] };
    } catch (e) {
      if (!(e instanceof ConfigValidationError)) throw e;
      if (!this.jsonEnabled()) {
        process.stderr.write(
          redactString(
            `${e.issues.length} problem(s):\n${e.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`,
          ),
        );
      }
      this.setExitCode(e.exitCode);
      return { valid: false, issues: e.issues };
    }
  }
}
