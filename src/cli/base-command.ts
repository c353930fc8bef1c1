import { createInterface } from 'node:readline/promises';
import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import { parseDuration } from '../core/clock.js';
import { aborted, fromUnknown, StreamctlError, tempFailure, usageError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import { parseByteSize, setMaxInputBytes } from '../core/input.js';
import { paint } from '../core/output.js';
import { redact, redactString } from '../core/redact.js';

/** The deadline of read-only network commands (each sets `static deadline = DEFAULT_DEADLINE`). */
export const DEFAULT_DEADLINE = '2m';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;

/**
 * The base of every streamctl command (docs/design.md §5): `--json` everywhere, `--config`, `--debug`,
 * one clear error message with a hint (stack traces only with --debug), the exit-code scheme,
 * redaction of every byte that leaves the process, and confirmation for destructive actions.
 *
 * Commands stay thin: parse, call one service function, render (docs/design.md §6).
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    config: Flags.string({
      description:
        'Path to streamctl.yaml (default: $STREAMCTL_CONFIG, ./streamctl.yaml, ~/.config/streamctl/streamctl.yaml).',
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({
      description: 'Show stack traces and debug detail on errors.',
      helpGroup: 'GLOBAL',
    }),
    'max-input-size': Flags.string({
      description:
        'Refuse input files larger than this, e.g. 64MiB (default: 16 MiB for configs, scenarios and texts, 4 GiB for snapshots and plans).',
      helpGroup: 'GLOBAL',
    }),
    deadline: Flags.string({
      description: `End the whole command after this long with exit 75, e.g. 5m (default: ${DEFAULT_DEADLINE} for the read-only commands that call AWS or Flink; none for the others).`,
      helpGroup: 'GLOBAL',
    }),
  };

  /**
   * Read-only network commands set this to DEFAULT_DEADLINE: each AWS call has its own deadline
   * (40 s), but a command of many calls could still take minutes against a slow endpoint.
   */
  static deadline: string | undefined;

  /** This run's deadline; a command may make it depend on its flags (watch: only with --once). */
  protected deadlineFor(flags: Record<string, unknown>): string | undefined {
    return (flags.deadline as string | undefined) ?? (this.constructor as typeof BaseCommand).deadline;
  }

  /** Every command parses through here: the global input cap applies before any file is read. */
  protected override async parse<
    F extends Record<string, unknown>,
    B extends Record<string, unknown>,
    A extends Record<string, unknown>,
  >(options?: Interfaces.Input<F, B, A>, argv?: string[]): Promise<Interfaces.ParserOutput<F, B, A>> {
    const out = await super.parse(options, argv);
    const text = (out.flags as { 'max-input-size'?: string })['max-input-size'];
    if (text !== undefined) {
      const bytes = parseByteSize(text);
      if (bytes === undefined)
        throw usageError(
          `--max-input-size: expected a size such as 64MiB or 2GiB (got ${JSON.stringify(text)})`,
        );
      setMaxInputBytes(bytes);
    }
    this.armDeadline(this.deadlineFor(out.flags as Record<string, unknown>));
    return out;
  }

  /** Past the deadline the command ends with exit 75 and says so, whatever it is waiting on. */
  private armDeadline(text: string | undefined): void {
    if (text === undefined) return;
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0)
      throw usageError(`--deadline: expected a duration such as 90s or 5m (got ${JSON.stringify(text)})`);
    setTimeout(() => {
      const e = tempFailure(
        `${this.id ?? 'the command'} did not finish within ${text} (its deadline)`,
        'An endpoint is slow or does not answer (`streamctl doctor`); retry later, or raise --deadline.',
      );
      this.renderError(e, e);
      process.exit(e.exitCode);
    }, ms).unref();
  }

  private loaded?: LoadedConfig;

  /** Loads and validates the configuration once per command run. */
  protected async getConfig(path?: string, opts: { optional?: boolean } = {}): Promise<LoadedConfig> {
    if (!this.loaded) this.loaded = await loadConfig({ path, optional: opts.optional ?? false });
    return this.loaded;
  }

  /** Sets the process exit code without interrupting JSON output (health commands: 0/1/2/3). */
  protected setExitCode(code: number): void {
    process.exitCode = code;
  }

  /** Writes human output (never in --json mode), redacted. */
  protected print(text = ''): void {
    if (this.jsonEnabled()) return;
    process.stdout.write(redactString(text.endsWith('\n') ? text : `${text}\n`));
  }

  /** Writes a JSON line (for streaming progress with --json), redacted. */
  protected jsonLine(value: unknown): void {
    process.stdout.write(`${JSON.stringify(redact(value))}\n`);
  }

  override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(redact(json), null, 2)}\n`);
  }

  /**
   * Asks for confirmation of a destructive action. On a TTY it prompts; otherwise it requires
   * `--yes` and fails with a usage error (exit 64) naming the flag.
   */
  protected async confirm(question: string, opts: { yes?: boolean }): Promise<void> {
    if (opts.yes) return;
    if (!process.stdin.isTTY || !process.stdout.isTTY || this.jsonEnabled()) {
      throw usageError(
        `${question} — refusing without confirmation.`,
        'Pass --yes to confirm when not on a terminal.',
      );
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = (await rl.question(`${redactString(question)} [y/N] `)).trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') throw aborted();
    } finally {
      rl.close();
    }
  }

  override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    // oclif's own exits (help, version, this.exit) and parse errors keep their behaviour.
    if (error instanceof Errors.ExitError) throw error;
    let e: StreamctlError;
    if (error instanceof StreamctlError) e = error;
    else if (isParseError(error)) e = usageError(parseErrorText(error.message), 'See --help for usage.');
    else e = fromUnknown(error, 'unexpected error');
    this.renderError(e, error);
    this.exit(e.exitCode);
  }

  /** One clear message (JSON with --json), redacted; the stack only with --debug. */
  private renderError(e: StreamctlError, error: Error): void {
    const debug = this.argv.includes('--debug');
    process.exitCode = e.exitCode;
    if (this.jsonEnabled()) {
      this.logJson({
        error: {
          code: e.code,
          message: e.message,
          hint: e.hint,
          transient: e.transient,
          exitCode: e.exitCode,
        },
      });
    } else {
      const lines = [`${paint(['red', 'bold'], 'Error:', process.stderr)} ${e.message}`];
      if (e.hint) lines.push(`${paint('yellow', 'Hint:', process.stderr)} ${e.hint}`);
      if (debug)
        lines.push(
          String(error.stack ?? error),
          e.cause ? `Caused by: ${String((e.cause as Error)?.stack ?? e.cause)}` : '',
        );
      process.stderr.write(redactString(`${lines.filter(Boolean).join('\n')}\n`));
    }
    if (e.code === 'INTERNAL' && !debug && !this.jsonEnabled()) {
      process.stderr.write(
        'This looks like a bug in streamctl; run again with --debug for the stack trace.\n',
      );
    }
  }
}

/**
 * oclif's parser errors: CLIParseError and its subclasses (NonExistentFlagsError, RequiredArgsError,
 * ViolatedFlagConstraintError, …) and the plain CLIError it throws for "Flag --x expects a value".
 * streamctl itself never throws a CLIError (it throws StreamctlError), so any CLIError is a usage
 * mistake, not a bug (exit 64, not 70).
 */
/**
 * oclif's parse errors can span several lines ("The following errors occurred:\n  --a cannot
 * also be provided when using --b\nSee more help with --help"): keep every specific line, drop
 * the header and the help pointer (our hint says it), and join them into one message.
 */
function parseErrorText(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^The following errors occurred:?$/i.test(l) && !/^See more help with/i.test(l));
  return lines.join('; ') || message;
}

function isParseError(error: Error): boolean {
  return error instanceof Errors.CLIError;
}

export { Sysexit };
