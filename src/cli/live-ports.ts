/**
 * The live ports, built at the command edge: AWS SDK clients from the config's credentials and
 * kafkajs admin connections. Services take the port interfaces and never build clients, so the
 * same service runs against the fakes in tests; a command builds the ports here for the length of
 * one call and destroys the clients after it, whatever happened.
 */
import type { Config } from '../config/schema.js';
import { createAwsClients, regionForMskCluster } from '../probes/aws-clients.js';
import { createCloudWatchProbe } from '../probes/cloudwatch/index.js';
import type { CloudWatchPort } from '../probes/cloudwatch/port.js';
import { createManagedFlinkProbe } from '../probes/managed-flink/index.js';
import type { ManagedFlinkPort } from '../probes/managed-flink/port.js';
import { createMskProbe } from '../probes/msk/index.js';
import type { MskPort } from '../probes/msk/port.js';
import { awsFlinkPorts, type FlinkPorts } from '../services/flink/context.js';
import type { ClusterPorts } from '../services/kafka-clusters.js';
import type { ObserveDeps } from '../services/kafka-observe.js';
import { readMskFacts } from '../services/msk-facts.js';

/** The AWS APIs of any region of the fleet (undefined: the config's default region). */
export interface AwsPorts {
  msf(region: string | undefined): ManagedFlinkPort;
  msk(region: string | undefined): MskPort;
  cloudWatch(region: string | undefined): CloudWatchPort;
}

/** The Flink ports of a command over its own AWS SDK clients: the caller closes them once. */
export function liveFlinkPorts(config: Config): FlinkPorts {
  return awsFlinkPorts(createAwsClients(config.aws));
}

/** Runs `fn` with AWS ports over one set of SDK clients, destroyed when it ends. */
export async function withAwsPorts<T>(config: Config, fn: (ports: AwsPorts) => Promise<T>): Promise<T> {
  const aws = createAwsClients(config.aws);
  try {
    return await fn({
      msf: (region) => createManagedFlinkProbe(aws.kinesisAnalytics(region), region ? { region } : {}),
      msk: (region) => createMskProbe(aws.kafka(region)),
      cloudWatch: (region) => createCloudWatchProbe(aws.cloudWatch(region)),
    });
  } finally {
    aws.destroy();
  }
}

/**
 * Runs `fn` with the ports `kafka clusters` reads through: the MSK API, and kafkajs admin
 * connections with a short timeout (a listing must not hang on one unreachable cluster).
 */
export async function withClusterPorts<T>(
  config: Config,
  fn: (ports: ClusterPorts) => Promise<T>,
): Promise<T> {
  // Imported here: only the commands that reach Kafka load the admin client.
  const { openKafkaAdmin } = await import('../probes/kafka-admin/index.js');
  return withAwsPorts(config, (aws) =>
    fn({
      msk: aws.msk,
      openAdmin: (cluster) => openKafkaAdmin(cluster, { retries: 1, connectionTimeoutMs: 5000 }),
    }),
  );
}

/**
 * The live I/O of a Kafka observation: a kafkajs admin (imported on first use, so offline commands
 * never load kafkajs) and, for MSK clusters, the MSK API and CloudWatch over AWS clients made for
 * that one read.
 */
export function liveObserveDeps(): ObserveDeps {
  return {
    async openAdmin(cluster, bootstrap) {
      const { openKafkaAdmin } = await import('../probes/kafka-admin/index.js');
      return openKafkaAdmin(cluster, bootstrap ? { bootstrap } : {});
    },
    mskFacts: (cluster, config, now) =>
      withAwsPorts(config, (aws) => {
        const region = regionForMskCluster(cluster, config.aws);
        return readMskFacts(cluster, { msk: aws.msk(region), cloudWatch: aws.cloudWatch(region) }, now);
      }),
    now: () => Date.now(),
  };
}
