import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { demoUp } from '../../services/demo.js';
import type { DemoState } from '../../services/demo-state.js';

export default class DemoUp extends BaseCommand {
  static override description =
    'Start the local sandbox (real Kafka brokers, a real Flink cluster behind the emulated MSF API, and a config pointing at them) in the background.';
  static override flags = {
    dir: Flags.string({
      description: 'Sandbox directory.',
      default: '.streamctl/demo',
      env: 'STREAMCTL_DEMO_DIR',
    }),
  };

  async run(): Promise<DemoState> {
    const { flags } = await this.parse(DemoUp);
    const s = await demoUp(flags.dir);
    this.print(
      `Sandbox up. Try:\n  streamctl --config ${s.configFile} kafka health\n  streamctl flink apps --config ${s.configFile}\nStop it with: streamctl demo down`,
    );
    return s;
  }
}
