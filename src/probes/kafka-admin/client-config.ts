/**
 * Builds the kafkajs client configuration for a configured cluster (src/config/sections/kafka.ts):
 * PLAINTEXT, TLS (CA / client cert / key), SASL SCRAM-SHA-256/512 and MSK IAM (OAUTHBEARER with
 * aws-msk-iam-sasl-signer-js, which needs TLS). Secrets are read through resolveSecret, which
 * registers them for redaction; nothing here logs. kafkajs's own logger is routed through
 * redaction and off by default.
 */
import type { KafkaConfig, LogEntry, logCreator, SASLOptions } from 'kafkajs';
import { resolveSecret } from '../../config/load.js';
import type { KafkaCluster } from '../../config/sections/kafka.js';
import { configError } from '../../core/errors.js';
import { redactString, registerSecret } from '../../core/redact.js';

/** Options that do not live in the config file. */
export interface ClientOptions {
  /** Bootstrap servers found by MSK discovery (GetBootstrapBrokers); overrides nothing set in config. */
  bootstrap?: string[];
  clientId?: string;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Connection retries before giving up (kafkajs retry.retries). */
  retries?: number;
  /** Receives kafkajs's log lines, already redacted. Without it kafkajs stays silent. */
  log?: (line: string) => void;
  /** MSK IAM token source; default: the AWS default credential chain via the MSK signer. */
  mskToken?: (region: string) => Promise<{ token: string; expiryTime: number }>;
}

/** kafkajs's log levels (kafkajs src/loggers). */
const LOG_NOTHING = 0;
const LOG_INFO = 4;

/** A kafkajs logCreator that redacts every line and hands it to `sink`. */
export function redactingLogCreator(sink: ((line: string) => void) | undefined): logCreator {
  return () =>
    ({ namespace, label, log }: LogEntry) => {
      if (!sink) return;
      const {
        message,
        timestamp: _t,
        logger: _l,
        ...extra
      } = log as LogEntry['log'] & { timestamp?: string; logger?: string };
      const rest = Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : '';
      sink(redactString(`kafkajs ${label} [${namespace}] ${message}${rest}`));
    };
}

/** The region of an MSK cluster ARN (`arn:aws:kafka:<region>:...`). */
function arnRegion(arn: string | undefined): string | undefined {
  return arn?.split(':')[3] || undefined;
}

/** The kafkajs config for a cluster, with logLevel/logCreator set for createClusterAndAdmin. */
export function kafkaClientConfig(
  cluster: KafkaCluster,
  opts: ClientOptions = {},
): KafkaConfig & { logLevel: number; logCreator: logCreator } {
  const where = `kafka.clusters[${cluster.name}]`;
  const brokers = opts.bootstrap ?? cluster.bootstrap;
  if (!brokers || brokers.length === 0) {
    throw configError(
      `${where}: no bootstrap servers`,
      'Set bootstrap: [host:port, ...], or msk.arn so that streamctl can discover them.',
    );
  }
  const base = {
    clientId: opts.clientId ?? 'streamctl',
    brokers,
    connectionTimeout: opts.connectionTimeoutMs ?? 3000,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    retry: { retries: opts.retries ?? 3, initialRetryTime: 300, maxRetryTime: 5000 },
    logLevel: opts.log ? LOG_INFO : LOG_NOTHING,
    logCreator: redactingLogCreator(opts.log),
  };
  const auth = cluster.auth;
  switch (auth.type) {
    case 'none':
      return base;
    case 'tls': {
      const ssl: { ca?: string; cert?: string; key?: string } = {};
      if (auth.ca) ssl.ca = resolveSecret(auth.ca, `${where}.auth.ca`);
      if (auth.cert) ssl.cert = resolveSecret(auth.cert, `${where}.auth.cert`);
      if (auth.key) ssl.key = resolveSecret(auth.key, `${where}.auth.key`);
      if ((ssl.cert === undefined) !== (ssl.key === undefined))
        throw configError(`${where}.auth: cert and key must be given together for mutual TLS`);
      return { ...base, ssl: Object.keys(ssl).length ? ssl : true };
    }
    case 'scram': {
      const sasl: SASLOptions = {
        mechanism: auth.mechanism,
        username: auth.username,
        password: resolveSecret(auth.password, `${where}.auth.password`),
      };
      return { ...base, ssl: auth.tls, sasl };
    }
    case 'msk-iam': {
      const region =
        auth.region ?? cluster.msk?.region ?? arnRegion(cluster.msk?.arn) ?? process.env.AWS_REGION;
      if (!region)
        throw configError(
          `${where}.auth.region: MSK IAM needs a region`,
          'Set auth.region, msk.arn or AWS_REGION.',
        );
      // The signer (and the AWS SDK credential chain under it) loads at the first token only.
      const mint =
        opts.mskToken ??
        (async (r: string) => (await import('aws-msk-iam-sasl-signer-js')).generateAuthToken({ region: r }));
      return {
        ...base,
        ssl: true, // MSK IAM listeners are TLS only (port 9098 / 9198)
        sasl: {
          mechanism: 'oauthbearer',
          oauthBearerProvider: async () => {
            const { token } = await mint(region);
            registerSecret(token);
            return { value: token };
          },
        },
      };
    }
    default: {
      const never: never = auth;
      throw configError(`${where}.auth: unsupported type ${JSON.stringify(never)}`);
    }
  }
}
