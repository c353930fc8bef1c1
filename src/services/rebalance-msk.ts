/**
 * The MSK side of `kafka rebalance execute`: the Express intelligent rebalancing status (while it
 * is ACTIVE, MSK refuses manual reassignments: the executor refuses first and explains how to
 * pause it) and bootstrap discovery for clusters configured by ARN only.
 */
import type { Config } from '../config/schema.js';
import type { KafkaCluster } from '../config/sections/kafka.js';
import { fromUnknown } from '../core/errors.js';
import { createAwsClients, regionForMskCluster } from '../probes/aws-clients.js';
import { createMskProbe } from '../probes/msk/index.js';
import type { MskPort } from '../probes/msk/port.js';

async function withMsk<T>(
  cluster: KafkaCluster,
  config: Config,
  fn: (msk: MskPort, arn: string) => Promise<T>,
): Promise<T> {
  const arn = cluster.msk!.arn;
  const aws = createAwsClients(config.aws);
  try {
    return await fn(createMskProbe(aws.kafka(regionForMskCluster(cluster, config.aws))), arn);
  } catch (e) {
    throw fromUnknown(e, `MSK ${arn}`);
  } finally {
    aws.destroy();
  }
}

/** DescribeClusterV2 → Provisioned.Rebalancing.Status (`ACTIVE` | `PAUSED`), undefined when absent. */
export function mskRebalancingStatus(cluster: KafkaCluster, config: Config): Promise<string | undefined> {
  return withMsk(
    cluster,
    config,
    async (msk, arn) => (await msk.describeCluster(arn)).intelligentRebalancing,
  );
}

/** GetBootstrapBrokers for the cluster's auth type. */
export function mskBootstrap(cluster: KafkaCluster, config: Config): Promise<string[]> {
  return withMsk(cluster, config, (msk, arn) => msk.getBootstrapBrokers(arn, { auth: cluster.auth.type }));
}
