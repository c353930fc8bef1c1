import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { Outcome } from '../../core/exit-codes.js';
import { renderSimulation, type SimulationRun, simulateFiles } from '../../services/simulate/index.js';

export default class HealerSimulate extends BaseCommand {
  static override description =
    'Replay healer scenarios in virtual time with the real detectors, classifier and policy against a simulated fleet; print the timeline and the figures. Exit 0 when every expectation matched, 1 otherwise, 65 on a bad scenario file.';

  static override examples = [
    '<%= config.bin %> healer simulate --scenario scenarios/bad-deploy-npe.yaml',
    '<%= config.bin %> healer simulate --scenario scenarios/*.yaml --quiet',
    '<%= config.bin %> healer simulate --scenario scenarios/fleet-wide-outage.yaml --json',
  ];

  static override flags = {
    scenario: Flags.string({
      char: 's',
      description: 'Scenario file (YAML or JSON); repeat for several.',
      required: true,
      multiple: true,
    }),
    quiet: Flags.boolean({ char: 'q', description: 'Figures only, no timeline.' }),
  };

  async run(): Promise<SimulationRun> {
    const { flags } = await this.parse(HealerSimulate);
    const run = await simulateFiles(flags.scenario);
    if (!this.jsonEnabled()) {
      for (const r of run.results) this.print(`${renderSimulation(r, { timeline: !flags.quiet })}\n`);
      const failed = run.results.filter((r) => !r.passed);
      this.print(
        `${run.results.length} scenario(s): ${run.results.length - failed.length} matched${failed.length ? `, ${failed.length} did not (${failed.map((r) => r.scenario).join(', ')})` : ''}.`,
      );
    }
    this.setExitCode(run.passed ? Outcome.OK : Outcome.NOT_MET);
    return run;
  }
}
