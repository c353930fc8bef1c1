import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { withDaemonEdge } from '../../cli/healer-edge.js';
import { parseDuration } from '../../core/clock.js';
import { Outcome, Sysexit } from '../../core/exit-codes.js';
import { type DaemonSummary, runDaemon } from '../../services/healer/daemon.js';
import { createDaemonLogger } from '../../services/healer/logger.js';

/** How long after the shutdown grace the process exits whatever is still running. */
const BACKSTOP_MS = 5_000;

export default class HealerRun extends BaseCommand {
  static override description =
    'Run the healer daemon: watch every Flink application, detect restart loops and stuck or failed operations, classify, decide, act (mode: act) and verify; record everything in the journal. JSON logs on stdout, Prometheus /metrics and /healthz on healer.daemon.listen. Dry-run until the config says healer.mode: act. SIGTERM/SIGINT stop it after the current tick (its calls in flight are aborted after healer.daemon.shutdownGrace).';

  static override examples = [
    '<%= config.bin %> healer run',
    '<%= config.bin %> healer run --config /etc/streamctl/streamctl.yaml',
    '<%= config.bin %> healer run --dry-run --listen 127.0.0.1:0',
  ];

  static override flags = {
    'dry-run': Flags.boolean({
      description: 'Record decisions only, even if the config says mode: act.',
    }),
    listen: Flags.string({
      description: 'Override healer.daemon.listen (host:port; port 0 = any free port).',
    }),
  };

  async run(): Promise<DaemonSummary> {
    const { flags } = await this.parse(HealerRun);
    const { config } = await this.getConfig(flags.config);
    if (flags['dry-run']) config.healer.mode = 'dry-run';
    const logger = createDaemonLogger(config.healer.daemon.logLevel);
    const stop = new AbortController();
    const graceMs = parseDuration(config.healer.daemon.shutdownGrace) ?? 10_000;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stop.signal.aborted) process.exit(Outcome.INTERRUPTED); // a second signal: stop now
      logger.info(
        { signal: sig, graceMs },
        'signal received: finishing the current tick (calls in flight are aborted after the grace), then stopping',
      );
      stop.abort();
      // The backstop: the grace aborts every call, so this fires only if something ignores it.
      setTimeout(() => {
        logger.error({ graceMs }, 'the daemon did not stop after the grace: exiting now');
        process.exit(Sysexit.TEMPFAIL);
      }, graceMs + BACKSTOP_MS).unref();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    try {
      return await withDaemonEdge(config, logger, (edge) =>
        runDaemon({
          config,
          logger,
          signal: stop.signal,
          ...edge,
          ...(flags.listen ? { listen: flags.listen } : {}),
        }),
      );
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  }
}
