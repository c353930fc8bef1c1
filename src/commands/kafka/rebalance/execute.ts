import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base-command.js';
import { liveRebalanceDeps } from '../../../cli/rebalance-deps.js';
import { parseDuration } from '../../../core/clock.js';
import { usageError } from '../../../core/errors.js';
import { Sysexit } from '../../../core/exit-codes.js';
import { redact } from '../../../core/redact.js';
import { parseRate } from '../../../rebalancer/throttle.js';
import { type ExecuteResult, executeRebalance } from '../../../services/rebalance.js';
import { eventWriter, renderDryRun, renderSummary } from '../../../services/rebalance-render.js';

const ms = (flag: string, text: string): number => {
  const v = parseDuration(text);
  if (v === undefined || v <= 0)
    throw usageError(`--${flag}: "${text}" is not a duration`, 'Use e.g. 500ms, 2s, 1m.');
  return v;
};

export default class KafkaRebalanceExecute extends BaseCommand {
  static override description =
    `Execute (or resume) a reassignment plan on a live cluster, in throttled batches.
Checks the plan against the cluster first (stale plan, reassignments already in progress, MSK intelligent rebalancing, another streamctl action) and refuses with the reason. State is saved in --state-dir: after a crash or kill, run the same command again to resume; \`kafka rebalance cancel\` reverts in-flight moves. Throttles are always cleared at the end. With --json, progress is printed as JSON lines and the result as the last line.`;
  static override examples = [
    '<%= config.bin %> kafka rebalance execute --plan plan.json -c prod --throttle 50MB/s --dry-run',
    '<%= config.bin %> kafka rebalance execute --plan plan.json -c prod --throttle 50MB/s --max-moves-per-broker 2 --one-replica-at-a-time --yes',
  ];
  static override flags = {
    plan: Flags.string({
      description: 'Reassignment plan (Kafka JSON, e.g. from `kafka rebalance plan`).',
      required: true,
    }),
    cluster: Flags.string({ char: 'c', description: 'Cluster name from streamctl.yaml.', required: true }),
    throttle: Flags.string({
      description: 'Replication throttle per broker, e.g. 50MB/s (default: unthrottled).',
    }),
    'max-moves-per-broker': Flags.integer({
      description: 'Concurrent moves a broker takes part in.',
      min: 1,
    }),
    'max-moves': Flags.integer({ description: 'Concurrent moves in the cluster.', min: 1 }),
    'one-replica-at-a-time': Flags.boolean({ description: 'Move one replica of a partition at a time.' }),
    order: Flags.option({
      options: ['small-first', 'large-first'] as const,
      description: 'Order of moves within each broker.',
    })(),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation.' }),
    'force-unlock': Flags.boolean({
      description:
        "Remove the cluster's lock first (its holder is named and confirmed: only when that process is gone for good).",
    }),
    'dry-run': Flags.boolean({ description: 'Print the batches and throttle configs; change nothing.' }),
    'state-dir': Flags.string({
      description: 'Where execution state and locks live.',
      env: 'STREAMCTL_STATE_DIR',
      default: '.streamctl',
    }),
    'poll-interval': Flags.string({ description: 'How often progress is observed.', default: '2s' }),
    'stall-after': Flags.string({
      description: 'Report a stall after this long without progress.',
      default: '60s',
    }),
  };

  override logJson(json: unknown): void {
    this.jsonLine(json); // JSON lines: the result is the last line after the progress events
  }

  async run(): Promise<ExecuteResult> {
    const { flags } = await this.parse(KafkaRebalanceExecute);
    const { config } = await this.getConfig(flags.config);
    const json = this.jsonEnabled();
    // A terminal gets the live view (ink, loaded only then); piped output keeps plain lines.
    const live =
      !json && !flags['dry-run'] && process.stdout.isTTY
        ? await (await import('../../../ui/rebalance/live.js')).startExecView(flags.cluster)
        : undefined;
    const human = live ? live.emit : eventWriter(process.stdout);
    const result = await executeRebalance(
      config,
      {
        cluster: flags.cluster,
        planFile: flags.plan,
        stateDir: flags['state-dir'],
        ...(flags.throttle ? { throttleBytesPerSec: parseRate(flags.throttle) } : {}),
        batching: {
          maxPerBroker: flags['max-moves-per-broker'],
          maxInCluster: flags['max-moves'],
          oneReplicaAtATime: flags['one-replica-at-a-time'] || undefined,
          order: flags.order,
        },
        dryRun: flags['dry-run'],
        forceUnlock: flags['force-unlock'],
        confirm: (q) => this.confirm(q, { yes: flags.yes }),
        emit: (e) => (json ? this.jsonLine({ event: e.type, ...redact(e) }) : human(e)),
        tuning: {
          pollMs: ms('poll-interval', flags['poll-interval']),
          stallMs: ms('stall-after', flags['stall-after']),
        },
      },
      liveRebalanceDeps(),
    ).finally(() => live?.stop());
    if (!json)
      this.print(result.plannedBatches ? renderDryRun(result, result.plannedBatches) : renderSummary(result));
    if (result.phase === 'failed') this.setExitCode(Sysexit.TEMPFAIL);
    return result;
  }
}
