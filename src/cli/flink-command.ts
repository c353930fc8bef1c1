import type { Config } from '../config/schema.js';
import { awsFlinkPorts, type FlinkPorts } from '../services/flink/context.js';
import { BaseCommand } from './base-command.js';

/** Base for `flink …` commands: creates the probes once and always closes them. */
export abstract class FlinkCommand extends BaseCommand {
  private ports?: FlinkPorts;

  protected flinkPorts(config: Config): FlinkPorts {
    this.ports ??= awsFlinkPorts(config);
    return this.ports;
  }

  override async finally(err: Error | undefined): Promise<void> {
    this.ports?.close();
    await super.finally(err);
  }
}
