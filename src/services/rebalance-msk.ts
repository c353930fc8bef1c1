/**
 * The MSK side of `kafka rebalance execute`: the Express intelligent rebalancing status (while it
 * is ACTIVE, MSK refuses manual reassignments: the executor refuses first and explains how to
 * pause it) and bootstrap discovery for clusters configured by ARN only. The MSK API comes in as
 * a port (the command builds the clients: cli/live-ports.ts).
 */
import type { Config } from '../config/schema.js';
import type { KafkaCluster } from '../config/sections/kafka.js';
import { fromUnknown } from '../core/errors.js';
import { regionForMskCluster } from '../probes/aws-clients.js';
import type { MskPort } from '../probes/msk/port.js';

/** The MSK API of a region (undefined: the config's default region). */
export type MskIn = (region: string | undefined) => Pick<MskPort, 'describeCluster' | 'getBootstrapBrokers'>;

async function withMsk<T>(
  cluster: KafkaCluster,
  config: Config,
  mskIn: MskIn,
  fn: (msk: ReturnType<MskIn>, arn: string) => Promise<T>,
): Promise<T> {
  const arn = cluster.msk!.arn;
  try {
    return await fn(mskIn(regionForMskCluster(cluster, config.aws)), arn);
  } catch (e) {
    throw fromUnknown(e, `MSK ${arn}`);
  }
}

/** DescribeClusterV2 → Provisioned.Rebalancing.Status (`ACTIVE` | `PAUSED`), undefined when absent. */
export function mskRebalancingStatus(
  cluster: KafkaCluster,
  config: Config,
  mskIn: MskIn,
): Promise<string | undefined> {
  return withMsk(
    cluster,
    config,
    mskIn,
    async (msk, arn) => (await msk.describeCluster(arn)).intelligentRebalancing,
  );
}

/** GetBootstrapBrokers for the cluster's auth type. */
export function mskBootstrap(cluster: KafkaCluster, config: Config, mskIn: MskIn): Promise<string[]> {
  return withMsk(cluster, config, mskIn, (msk, arn) =>
    msk.getBootstrapBrokers(arn, { auth: cluster.auth.type }),
  );
}
