import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

/** Options of `waitForBrokers`. */
export interface WaitOptions {
  /** Brokers to ask (host:port); only ones expected to answer. */
  bootstrap: () => string[];
  /** Broker ids that must all be registered and unfenced (present in metadata). */
  expectedIds: number[];
  timeoutMs: number;
  sasl?: SASLOptions;
  /** Called between polls; throws to stop waiting early (e.g. a JVM exited). */
  check?: () => void;
  /** Describes the cluster's state for the timeout error (e.g. the tail of broker logs). */
  describeFailure: () => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls the admin API until DescribeCluster lists every expected broker: the point at which
 * clients can create topics with full replication. Each poll uses a fresh, quiet client with short
 * timeouts so a broker that is still starting (or paused) costs one poll, not a retry storm.
 */
export async function waitForBrokers(opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    opts.check?.();
    const seen = await describeBrokerIds(opts.bootstrap(), opts.sasl).catch((e: Error) => {
      last = e.message;
      return undefined;
    });
    if (seen) {
      const missing = opts.expectedIds.filter((id) => !seen.includes(id));
      if (missing.length === 0) return;
      last = `brokers ${seen.join(',') || 'none'} registered; waiting for ${missing.join(',')}`;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Kafka brokers ${opts.expectedIds.join(',')} not ready after ${Math.round(opts.timeoutMs / 1000)} s (${last}).\n${opts.describeFailure()}`,
      );
    }
    await sleep(1000);
  }
}

/** One DescribeCluster round trip: the ids of the brokers currently in the metadata. */
export async function describeBrokerIds(bootstrap: string[], sasl?: SASLOptions): Promise<number[]> {
  if (bootstrap.length === 0) throw new Error('no reachable broker to ask');
  const kafka = new Kafka({
    clientId: 'streamctl-sandbox',
    brokers: bootstrap,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    authenticationTimeout: 5000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    ...(sasl ? { sasl } : {}),
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
