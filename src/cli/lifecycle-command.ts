import { Args, Flags } from '@oclif/core';
import { parseDuration } from '../core/clock.js';
import { usageError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import type { OperationStarted } from '../probes/managed-flink/port.js';
import { type LifecyclePlan, perform, prepare } from '../services/flink/lifecycle.js';
import { performLocked } from '../services/flink/lifecycle-lock.js';
import { renderLifecyclePlan } from '../ui/render/flink.js';
import { FlinkCommand } from './flink-command.js';

/**
 * The shared flow of `flink rollback` and `flink force-stop`: observe, check and explain the
 * preconditions, stop at --dry-run, confirm (TTY) or require --yes, act, then optionally poll
 * the subtasks until the application has settled (--wait).
 */
export const lifecycleArgs = {
  app: Args.string({ description: 'Application name from streamctl.yaml.', required: true }),
};
export const lifecycleFlags = {
  yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation.' }),
  'dry-run': Flags.boolean({ description: 'Check and explain, change nothing.' }),
  wait: Flags.boolean({
    description:
      'After the call, poll subtasks until all RUNNING or any FAILING/CANCELED (see `flink subtasks`).',
  }),
  timeout: Flags.string({ description: 'With --wait: how long to wait.', default: '10m' }),
  'force-unlock': Flags.boolean({
    description:
      "Remove the application's lock first (its holder is named and confirmed: only when that process is gone for good).",
  }),
};

export abstract class LifecycleCommand extends FlinkCommand {
  /** A destructive call is never cut by a command deadline (each AWS call has its own). */
  static override deadline: string | undefined = undefined;
  protected abstract readonly action: 'rollback' | 'force-stop';

  async run(): Promise<{ plan: LifecyclePlan; dryRun: boolean; started?: OperationStarted; wait?: unknown }> {
    const { args, flags } = await this.parse({
      args: lifecycleArgs,
      flags: lifecycleFlags,
      baseFlags: LifecycleCommand.baseFlags,
      enableJsonFlag: true,
    });
    const { config } = await this.getConfig(flags.config);
    const timeoutMs = parseDuration(flags.timeout);
    if (timeoutMs === undefined)
      throw usageError(`--timeout ${flags.timeout}: expected a duration such as 10m`);
    const ports = this.flinkPorts(config);
    const plan = await prepare(config, ports, args.app, this.action, Date.now());
    this.print(renderLifecyclePlan(plan));
    if (flags['dry-run'] || !plan.allowed) {
      if (!plan.allowed) this.setExitCode(Sysexit.TEMPFAIL);
      else this.print('Dry run: nothing was changed.');
      return { plan, dryRun: Boolean(flags['dry-run']) };
    }
    await this.confirm(
      `${this.action === 'rollback' ? 'Roll back' : 'Force-stop (no snapshot)'} ${plan.app}?`,
      { yes: flags.yes },
    );
    const started = await performLocked(config, plan, this.action, {
      forceUnlock: flags['force-unlock'],
      confirm: (q) => this.confirm(q, { yes: flags.yes }),
      perform: () => perform(config, ports, plan),
    });
    this.print(
      `${this.action} requested${started.operationId ? ` (operation ${started.operationId})` : ''}.`,
    );
    if (!flags.wait) return { plan, dryRun: false, started };
    const { waitAfterOperation } = await import('../services/flink/subtask-poll.js');
    const wait = await waitAfterOperation(config, ports, args.app, {
      timeoutMs,
      expect: this.action === 'rollback' ? 'running' : 'stopped',
      ...(started.operationId ? { operationId: started.operationId } : {}),
      onProgress: (line) => this.print(line),
    });
    this.setExitCode(wait.exitCode);
    return { plan, dryRun: false, started, wait };
  }
}
