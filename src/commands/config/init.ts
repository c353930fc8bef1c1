import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXAMPLE_CONFIG } from '../../config/example.js';
import { usageError } from '../../core/errors.js';
import { checkOutputPath, writeFileAtomic } from '../../core/fs.js';

export default class ConfigInit extends BaseCommand {
  static override description = 'Write a commented example streamctl.yaml.';
  static override examples = [
    '<%= config.bin %> config init',
    '<%= config.bin %> config init --output /etc/streamctl/streamctl.yaml',
  ];
  static override flags = {
    output: Flags.string({ char: 'o', description: 'Where to write it.', default: 'streamctl.yaml' }),
    force: Flags.boolean({ description: 'Overwrite an existing file.' }),
  };

  async run(): Promise<{ path: string }> {
    const { flags } = await this.parse(ConfigInit);
    // Before resolve(), which would drop a trailing slash (`-o dir/` must not become a file `dir`).
    checkOutputPath(flags.output, []);
    const path = resolve(flags.output);
    if (existsSync(path) && !flags.force) {
      throw usageError(
        `${path} already exists`,
        'Pass --force to overwrite it, or --output to write elsewhere.',
      );
    }
    writeFileAtomic(path, EXAMPLE_CONFIG);
    this.print(`Wrote ${path}. Edit it, then run \`streamctl config validate\`.`);
    return { path };
  }
}
