import { Args, Flags } from '@oclif/core';
import { FlinkCommand } from '../../cli/flink-command.js';
import { systemClock } from '../../core/clock.js';
import { badInput, usageError } from '../../core/errors.js';
import { maxInputBytes, readInputFile } from '../../core/input.js';
import { paint } from '../../core/output.js';
import {
  type Classification,
  type ClassifyContext,
  classifyInput,
  type Explanation,
  type InputClassification,
} from '../../healer/classify/index.js';
import { exceptionsOf } from '../../services/flink/exceptions.js';

/**
 * `streamctl flink classify --file F`: user code / configuration vs system, with the signals that
 * decided it (docs/design.md §3). `--json` prints exactly the classification object.
 */
export default class FlinkClassify extends FlinkCommand {
  static override summary = 'Classify a Flink failure as user code/configuration or system, and explain why.';
  static override description =
    'Reads a Flink exception text — a stack trace from /jobs/:id/exceptions, an MSF DescribeApplicationOperation ErrorString (even cut at 512 characters), CloudWatch log lines, or the /jobs/:id/exceptions JSON (its first failure is classified) — and prints the verdict, confidence, root cause and the signals behind them.';
  static override examples = [
    '<%= config.bin %> flink classify --file trace.txt',
    'aws logs filter-log-events … | <%= config.bin %> flink classify --file - --json',
    '<%= config.bin %> flink classify --file error.txt --changed-at 2026-11-22T00:10:00Z --change-kind UpdateApplication',
    '<%= config.bin %> flink classify --file trace.txt --explain',
  ];
  static override args = {
    app: Args.string({
      description:
        'Application name: classify the first failure of its current loop (from Flink REST, or CloudWatch Logs when the dashboard is unavailable), with its recent deploys as context.',
      required: false,
      ignoreStdin: true,
    }),
  };
  static override flags = {
    file: Flags.string({ char: 'f', description: 'File with the failure text; "-" reads standard input.' }),
    'changed-at': Flags.string({
      description:
        'When the owner last changed the application (ISO-8601): a recent change makes "user" likelier.',
    }),
    'change-kind': Flags.string({
      description: 'Kind of that change: UpdateApplication, config, iam, endpoint, …',
      default: 'UpdateApplication',
    }),
    'failed-at': Flags.string({ description: 'When the failure happened (ISO-8601); default: now.' }),
    'apps-failing': Flags.integer({
      description: 'How many applications in this account/region are failing right now.',
      min: 0,
    }),
    explain: Flags.boolean({
      description:
        'Show how it was decided: the cause chain with the owner of each frame (job, connector, Flink, library, JDK), the signals by stage and the step that decided. With --json, adds an "explanation" object.',
      default: false,
    }),
    'fleet-size': Flags.integer({
      description: 'How many applications the fleet has in this account/region.',
      min: 1,
    }),
  };

  async run(): Promise<Classification | (Classification & { explanation: Explanation })> {
    const { args, flags } = await this.parse(FlinkClassify);
    if (args.app && flags.file) throw usageError('give either APP or --file, not both');
    if (args.app) {
      const { config } = await this.getConfig(flags.config);
      const v = await exceptionsOf(config, this.flinkPorts(config), args.app, {
        max: 100,
        clock: systemClock,
      });
      if (!v.firstFailure)
        throw usageError(`${args.app}: no failure to classify${v.note ? ` (${v.note})` : ''}`);
      const { index, timestamp, loopSize, classification } = v.firstFailure;
      if (!this.jsonEnabled())
        this.print(
          render({
            classification,
            firstFailure: { index, timestamp, loopSize, entries: Math.max(v.entries.length, 1) },
          }),
        );
      return classification;
    }
    if (!flags.file)
      throw usageError(
        'Nothing to classify: pass --file F (or --file - for standard input).',
        'See `streamctl flink classify --help`.',
      );
    const text = await readInput(flags.file);
    const result = classifyInput(text, contextFrom(flags), { explain: flags.explain });
    if (!this.jsonEnabled()) this.print(render(result));
    return result.explanation
      ? { ...result.classification, explanation: result.explanation }
      : result.classification;
  }
}

async function readInput(file: string): Promise<string> {
  const text = file === '-' ? await readStdin() : readInputFile(file, 'text');
  if (text.trim() === '')
    throw badInput(file === '-' ? 'standard input' : file, '', 'a Flink exception text', 'nothing');
  return text;
}

/** Standard input, under the same cap as a file: `yes | streamctl flink classify -f -` must end. */
async function readStdin(): Promise<string> {
  const cap = maxInputBytes('text');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    size += (c as Buffer).length;
    if (size > cap) {
      process.stdin.destroy();
      throw badInput(
        'standard input',
        '',
        `at most ${cap} bytes (--max-input-size raises the limit)`,
        `more`,
      );
    }
    chunks.push(c as Buffer);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

function parseTime(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  // A flag value is usage (64), not input data (65).
  if (Number.isNaN(ms))
    throw usageError(
      `--${flag}: expected an ISO-8601 time such as 2026-11-22T00:10:00Z (got ${JSON.stringify(value)})`,
    );
  return ms;
}

function contextFrom(flags: {
  'changed-at'?: string;
  'change-kind': string;
  'failed-at'?: string;
  'apps-failing'?: number;
  'fleet-size'?: number;
}): ClassifyContext {
  const changedAt = parseTime(flags['changed-at'], 'changed-at');
  // The command (not the pure classifier) reads the clock: "now" is the failure time unless given.
  const ctx: ClassifyContext = { now: parseTime(flags['failed-at'], 'failed-at') ?? Date.now() };
  if (changedAt !== undefined)
    ctx.recentChange = { kind: flags['change-kind'], at: changedAt, succeeded: true };
  if (flags['apps-failing'] !== undefined) ctx.appsFailingNow = flags['apps-failing'];
  if (flags['fleet-size'] !== undefined) ctx.fleetSize = flags['fleet-size'];
  return ctx;
}

function render(r: InputClassification): string {
  const c = r.classification;
  const colour = c.verdict === 'user' ? 'yellow' : c.verdict === 'system' ? 'cyan' : 'dim';
  const lines = [
    `${paint(['bold', colour], c.verdict.toUpperCase())} (confidence ${c.confidence.toFixed(2)}) — ${c.subtype}`,
  ];
  if (r.firstFailure) {
    lines.push(
      `Classified the first failure of the loop: entry ${r.firstFailure.index + 1} of ${r.firstFailure.entries} (${r.firstFailure.loopSize} in the current loop).`,
    );
  }
  const rc = c.rootCause;
  lines.push(
    `Root cause: ${rc.exception || '(no exception in the text)'}${rc.message ? `: ${rc.message.split('\n')[0]}` : ''}`,
  );
  if (rc.frame) lines.push(`  at ${rc.frame}`);
  if (c.signals.length === 0) lines.push('No signal matched: the text names nothing the classifier knows.');
  else {
    lines.push('Signals (+ toward user, − toward system):');
    for (const s of c.signals.slice(0, 6))
      lines.push(`  ${s.weight > 0 ? '+' : ''}${s.weight.toFixed(2)}  ${s.rule}: ${s.evidence}`);
    if (c.signals.length > 6) lines.push(`  … ${c.signals.length - 6} more with --json`);
  }
  if (r.explanation) lines.push('', ...renderExplanation(r.explanation));
  return lines.join('\n');
}

const OWNER: Record<string, string> = {
  user: 'job',
  generated: 'generated SQL',
  connector: 'connector',
  flink: 'Flink',
  library: 'library',
  jdk: 'JDK',
};

function renderExplanation(x: Explanation): string[] {
  const lines = ['Cause chain (outermost first):'];
  for (const c of x.chain) {
    const mark = c.role === 'root cause' ? paint('bold', '▶ root cause') : c.role;
    lines.push(`  ${mark}: ${c.exception || '(no class)'}${c.message ? `: ${c.message}` : ''}`);
    for (const f of c.frames) lines.push(`      [${OWNER[f.owner] ?? f.owner}] ${f.frame}`);
    if (c.hiddenFrames > 0) lines.push(paint('dim', `      … ${c.hiddenFrames} more frames (JDK or deeper)`));
  }
  if (x.otherTraces > 0)
    lines.push(`  (${x.otherTraces} other exception(s) in the text, read as supporting evidence)`);
  for (const s of x.steps) {
    const [first, ...rest] = s.text.split('\n');
    lines.push(`${s.step[0]?.toUpperCase()}${s.step.slice(1)}: ${first}`, ...rest.map((l) => `  ${l}`));
  }
  return lines;
}
