import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { loadSandboxHost } from '../../services/demo-sandbox.js';

export default class DemoHost extends BaseCommand {
  static override hidden = true;
  static override description = 'Runs the demo sandbox host in the foreground (used by `streamctl demo up`).';
  static override flags = {
    dir: Flags.string({ required: true, description: 'Sandbox directory.' }),
    'kafka-version': Flags.option({
      options: ['3.9', '4'] as const,
      default: '4',
      description: 'Kafka line.',
    })(),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DemoHost);
    const { runDemoHost } = await loadSandboxHost();
    await runDemoHost(flags.dir, { kafkaVersion: flags['kafka-version'] });
    process.stdout.write(`demo sandbox ready in ${flags.dir}\n`);
    await new Promise(() => {}); // lives until SIGTERM (handled by the host)
  }
}
