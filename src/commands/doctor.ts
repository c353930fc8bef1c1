import { BaseCommand, DEFAULT_DEADLINE } from '../cli/base-command.js';
import { realDoctorDeps } from '../cli/doctor-deps.js';
import { paint, renderTable } from '../core/output.js';
import { exitCodeFor } from '../core/severity.js';
import { type DoctorResult, runDoctor } from '../services/doctor.js';

export default class Doctor extends BaseCommand {
  static override deadline = DEFAULT_DEADLINE;
  static override description =
    `Check every configured target: AWS credentials resolve, Kafka bootstrap reachable and authenticated, MSF / CloudWatch / Logs calls permitted (a dry read of each), Flink REST reachable. Prints the fix for each failure.
Exit code: 0 all OK, 2 when any check fails, 3 when nothing is configured.`;
  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --config streamctl.yaml --json',
  ];

  async run(): Promise<DoctorResult> {
    const { flags } = await this.parse(Doctor);
    const { config, source } = await this.getConfig(flags.config);
    const deps = realDoctorDeps(config);
    let result: DoctorResult;
    try {
      result = await runDoctor(config, deps);
    } finally {
      deps.close();
    }
    if (!this.jsonEnabled()) {
      this.print(`Configuration: ${source}`);
      if (result.checks.length === 0)
        this.print('Nothing to check: no Kafka clusters or Flink applications are configured.');
      else {
        this.print(
          renderTable(result.checks, [
            { header: 'TARGET', get: (c) => c.target },
            { header: 'CHECK', get: (c) => c.check },
            {
              header: 'RESULT',
              get: (c) => (c.status === 'ok' ? paint('green', 'ok') : paint('red', 'FAIL')),
            },
            { header: 'DETAIL', get: (c) => c.detail },
          ]),
        );
        for (const c of result.checks.filter((x) => x.status !== 'ok'))
          this.print(`${paint('yellow', 'fix')} ${c.target} — ${c.check}: ${c.fix}`);
      }
    }
    this.setExitCode(exitCodeFor(result.severity));
    return result;
  }
}
