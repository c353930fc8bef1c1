import { stringify } from 'yaml';
import { BaseCommand } from '../../cli/base-command.js';
import { redact } from '../../core/redact.js';

export default class ConfigShow extends BaseCommand {
  static override description =
    'Show the effective configuration (defaults applied). Secrets are references ({env}/{file}); their values are never shown.';

  async run(): Promise<unknown> {
    const { flags } = await this.parse(ConfigShow);
    const { config, source } = await this.getConfig(flags.config, { optional: true });
    const shown = redact(config);
    this.print(
      `# effective configuration${source ? ` from ${source}` : ' (built-in defaults: no file found)'}`,
    );
    this.print(stringify(shown));
    return { source: source ?? null, config: shown };
  }
}
