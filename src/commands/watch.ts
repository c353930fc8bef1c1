import { Flags } from '@oclif/core';
import { BaseCommand, DEFAULT_DEADLINE } from '../cli/base-command.js';
import { liveFlinkPorts, liveObserveDeps } from '../cli/live-ports.js';
import { parseDuration } from '../core/clock.js';
import { usageError } from '../core/errors.js';
import { exitCodeFor } from '../core/severity.js';
import type { FlinkPorts } from '../services/flink/context.js';
import { gatherFleet } from '../services/watch.js';
import type { FleetView } from '../services/watch-model.js';
import { renderFleetText } from '../ui/watch/text.js';

export default class Watch extends BaseCommand {
  static override deadline = DEFAULT_DEADLINE;

  /** The live view runs until the operator quits: a deadline only for one snapshot (or if asked). */
  protected override deadlineFor(flags: Record<string, unknown>): string | undefined {
    const live = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !flags.once && !flags.json;
    return live ? (flags.deadline as string | undefined) : super.deadlineFor(flags);
  }
  static override description =
    `A live dashboard of the fleet: Kafka clusters (disk, URP, offline), Flink applications (status, restart DIFF, last checkpoint) and open healer incidents, refreshed every --interval.
Gentle on the APIs: per refresh one GetMetricData per region for all applications' metrics, one DescribeApplication per application, one observation per Kafka cluster; the Flink REST API is never polled. ↑/↓ select, Enter drills into a cluster or application, Esc back, r refresh, q quit.
Not on a terminal (or with --once / --json): prints one snapshot and exits with the worst severity (0/1/2/3).`;
  static override examples = [
    '<%= config.bin %> watch',
    '<%= config.bin %> watch --interval 2m',
    '<%= config.bin %> watch --once',
    '<%= config.bin %> watch --json',
  ];
  static override flags = {
    interval: Flags.string({ description: 'Refresh period (at least 10s).', default: '60s' }),
    once: Flags.boolean({ description: 'Print one snapshot and exit (the default when not on a terminal).' }),
  };

  private ports?: FlinkPorts;

  async run(): Promise<FleetView | { last?: FleetView }> {
    const { flags } = await this.parse(Watch);
    const intervalMs = parseDuration(flags.interval);
    if (intervalMs === undefined || intervalMs < 10_000)
      throw usageError(
        `--interval ${flags.interval}: expected a duration of at least 10s`,
        'CloudWatch metrics are per minute; refreshing faster only costs API calls.',
      );
    const { config } = await this.getConfig(flags.config);
    this.ports = liveFlinkPorts(config);
    const ports = this.ports;
    const kafkaDeps = liveObserveDeps();
    const load = () => gatherFleet(config, { ports, kafkaDeps });
    const live = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !flags.once && !this.jsonEnabled();
    if (!live) {
      const view = await load();
      if (!this.jsonEnabled()) this.print(renderFleetText(view));
      this.setExitCode(exitCodeFor(view.severity));
      return view;
    }
    const [{ render }, { createElement }, { WatchApp }] = await Promise.all([
      import('ink'),
      import('react'),
      import('../ui/watch/app.js'),
    ]);
    let last: FleetView | undefined;
    const app = render(createElement(WatchApp, { load, intervalMs, onExit: (v) => (last = v) }));
    await app.waitUntilExit();
    return { ...(last ? { last } : {}) };
  }

  override async finally(err: Error | undefined): Promise<void> {
    this.ports?.close();
    await super.finally(err);
  }
}
