/**
 * The healer daemon's outside world, built by `healer run` (the daemon takes ports and never builds
 * clients): one set of AWS SDK clients tied to the daemon's call controller, which the daemon
 * aborts once healer.daemon.shutdownGrace has elapsed (cutting the calls in flight of a tick that
 * hangs); the Flink ports over those clients; the notifier (SNS over the same clients).
 */
import type { Config } from '../config/schema.js';
import { createAwsClients } from '../probes/aws-clients.js';
import { createNotifier } from '../probes/notify/index.js';
import { createSnsPublisher } from '../probes/notify/sns.js';
import { awsFlinkPorts } from '../services/flink/context.js';
import type { DaemonOptions } from '../services/healer/daemon.js';
import type { DaemonLogger } from '../services/healer/logger.js';

/** The ports, notifier and call controller `runDaemon` takes. */
export type DaemonEdge = Required<Pick<DaemonOptions, 'ports' | 'notifier' | 'calls'>>;

/**
 * Runs `fn` (the daemon) with its edge; the daemon closes the ports when it stops, and the clients
 * are destroyed again here whatever happened (also when the daemon never started).
 */
export async function withDaemonEdge<T>(
  config: Config,
  log: DaemonLogger,
  fn: (edge: DaemonEdge) => Promise<T>,
): Promise<T> {
  const calls = new AbortController();
  const aws = createAwsClients(config.aws, { signal: calls.signal });
  try {
    const notifier = createNotifier(config.notifications, {
      ...(config.notifications.sns ? { sns: createSnsPublisher(aws.sns(config.aws.region)) } : {}),
      onError: (channel, message) => log.warn({ channel, error: message }, 'notification failed'),
    });
    return await fn({ ports: awsFlinkPorts(aws), notifier, calls });
  } finally {
    aws.destroy();
  }
}
