import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { demoDown } from '../../services/demo.js';

export default class DemoDown extends BaseCommand {
  static override description = 'Stop the local sandbox and every process it started (by PID).';
  static override flags = {
    dir: Flags.string({
      description: 'Sandbox directory.',
      default: '.streamctl/demo',
      env: 'STREAMCTL_DEMO_DIR',
    }),
  };

  async run(): Promise<{ stopped: boolean; killed: number[] }> {
    const { flags } = await this.parse(DemoDown);
    const r = await demoDown(flags.dir);
    this.print(
      r.stopped
        ? `Sandbox stopped${r.killed.length ? ` (${r.killed.length} leftover process(es) killed)` : ''}.`
        : 'No sandbox is running.',
    );
    return r;
  }
}
