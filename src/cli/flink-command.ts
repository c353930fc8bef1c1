import type { Config } from '../config/schema.js';
import type { FlinkPorts } from '../services/flink/context.js';
import { BaseCommand, DEFAULT_DEADLINE } from './base-command.js';
import { liveFlinkPorts } from './live-ports.js';

/**
 * Base for `flink …` commands: creates the probes once and always closes them. Read-only: the
 * default deadline (the lifecycle commands and `--wait` have their own).
 */
export abstract class FlinkCommand extends BaseCommand {
  static override deadline: string | undefined = DEFAULT_DEADLINE;

  /** `--wait` polls for as long as its own `--timeout`: no command deadline unless asked. */
  protected override deadlineFor(flags: Record<string, unknown>): string | undefined {
    if (flags.wait) return flags.deadline as string | undefined;
    return super.deadlineFor(flags);
  }
  private ports?: FlinkPorts;

  protected flinkPorts(config: Config): FlinkPorts {
    this.ports ??= liveFlinkPorts(config);
    return this.ports;
  }

  override async finally(err: Error | undefined): Promise<void> {
    this.ports?.close();
    await super.finally(err);
  }
}
