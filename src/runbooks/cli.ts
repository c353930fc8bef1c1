/**
 * The shared command behind `streamctl runbook <id> TARGET`: on a terminal the guided ink flow;
 * otherwise (or with --yes / --json / --dry-run / --option) the unattended runner, which never
 * prompts and never changes anything without --yes (exit 64 naming the flag).
 */
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { liveFlinkPorts, liveObserveDeps } from '../cli/live-ports.js';
import { liveRebalanceDeps } from '../cli/rebalance-deps.js';
import type { Config } from '../config/schema.js';
import { parseDuration, systemClock } from '../core/clock.js';
import { usageError } from '../core/errors.js';
import { Outcome } from '../core/exit-codes.js';
import { redactString } from '../core/redact.js';
import { parseRate } from '../rebalancer/throttle.js';
import type { FlinkPorts } from '../services/flink/context.js';
import { renderRun } from '../ui/runbook/text.js';
import { flowDriver } from './driver.js';
import { type RunbookRun, runUnattended } from './engine.js';
import { runbookById } from './registry.js';
import type { ProgressEvent, RunbookContext } from './types.js';

export const runbookFlags = {
  option: Flags.string({
    description: 'Pick this option (ids are listed by --dry-run); default: the recommended one.',
  }),
  yes: Flags.boolean({
    char: 'y',
    description: 'Confirm destructive actions without asking (required when not on a terminal).',
  }),
  'dry-run': Flags.boolean({ description: 'Diagnose and explain only; change nothing.' }),
  timeout: Flags.string({ description: 'How long the verify step may wait.', default: '10m' }),
  interval: Flags.string({ description: 'How often the verify step polls.', default: '10s' }),
  throttle: Flags.string({
    description: 'Replication throttle for reassignments (Kafka runbooks), e.g. 50MB/s.',
    default: '50MB/s',
  }),
  'state-dir': Flags.string({
    description: 'Where plans and executor state live.',
    env: 'STREAMCTL_STATE_DIR',
    default: '.streamctl',
  }),
};

export const appArg = {
  target: Args.string({ description: 'Flink application name from streamctl.yaml.', required: true }),
};
export const clusterArg = {
  target: Args.string({ description: 'Kafka cluster name from streamctl.yaml.', required: true }),
};

/** Builds the runbook context from the config and flags; `close()` releases the AWS clients. */
export function runbookContext(
  config: Config,
  flags: { timeout: string; interval: string; throttle?: string; 'state-dir': string },
  params: Record<string, string | undefined>,
  progress: (e: ProgressEvent) => void,
): RunbookContext & { close(): void } {
  const timeoutMs = parseDuration(flags.timeout);
  if (timeoutMs === undefined)
    throw usageError(`--timeout ${flags.timeout}: expected a duration such as 10m`);
  const pollIntervalMs = parseDuration(flags.interval);
  if (!pollIntervalMs) throw usageError(`--interval ${flags.interval}: expected a duration such as 10s`);
  let ports: FlinkPorts | undefined;
  return {
    config,
    clock: systemClock,
    flinkPorts: () => (ports ??= liveFlinkPorts(config)),
    kafkaDeps: liveObserveDeps(),
    rebalanceDeps: liveRebalanceDeps(),
    stateDir: flags['state-dir'],
    ...(flags.throttle ? { throttleBytesPerSec: parseRate(flags.throttle) } : {}),
    timeoutMs,
    pollIntervalMs,
    params,
    progress,
    close: () => ports?.close(),
  };
}

export abstract class RunbookCommand extends BaseCommand {
  protected abstract readonly runbookId: string;
  private ctx?: RunbookContext & { close(): void };

  /** Runs the runbook for the parsed target and flags. */
  protected async runRunbook(
    target: string,
    flags: {
      option?: string;
      yes: boolean;
      'dry-run': boolean;
      timeout: string;
      interval: string;
      throttle?: string;
      'state-dir': string;
      config?: string;
    },
    params: Record<string, string | undefined> = {},
  ): Promise<RunbookRun | { interactive: true; exitCode: number; chosen?: string; verify?: string }> {
    const rb = runbookById(this.runbookId);
    const { config } = await this.getConfig(flags.config);
    const listeners = new Set<(e: ProgressEvent) => void>();
    const json = this.jsonEnabled();
    const interactive =
      Boolean(process.stdin.isTTY && process.stdout.isTTY) &&
      !json &&
      !flags.yes &&
      !flags['dry-run'] &&
      flags.option === undefined;
    this.ctx = runbookContext(config, flags, params, (e) => {
      if (interactive) for (const l of listeners) l({ ...e, text: redactString(e.text) });
      else process.stderr.write(redactString(`[${e.step}] ${e.text}\n`));
    });
    const ctx = this.ctx;
    if (interactive) {
      const [{ render }, { createElement }, { RunbookFlow }] = await Promise.all([
        import('ink'),
        import('react'),
        import('../ui/runbook/flow.js'),
      ]);
      let result = { exitCode: Outcome.OK } as { exitCode: number; chosen?: string; verify?: string };
      const driver = flowDriver(rb, ctx, target, listeners);
      const app = render(createElement(RunbookFlow, { driver, onExit: (r) => (result = r) }));
      await app.waitUntilExit();
      this.setExitCode(result.exitCode);
      return { interactive: true, ...result };
    }
    const run = await runUnattended(rb, ctx, target, {
      ...(flags.option === undefined ? {} : { option: flags.option }),
      yes: flags.yes,
      dryRun: flags['dry-run'],
    });
    if (!json) {
      this.print(renderRun(run, rb));
      if (run.error)
        process.stderr.write(
          redactString(`Error: ${run.error.message}\n${run.error.hint ? `Hint: ${run.error.hint}\n` : ''}`),
        );
    }
    this.setExitCode(run.exitCode);
    return run;
  }

  override async finally(err: Error | undefined): Promise<void> {
    this.ctx?.close();
    await super.finally(err);
  }
}
