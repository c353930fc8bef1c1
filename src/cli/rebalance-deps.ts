/**
 * The live I/O of `kafka rebalance execute|status|cancel` and the Kafka runbooks, built at the
 * command edge: a kafkajs admin (bootstrap from MSK for clusters configured by ARN only) and the
 * MSK intelligent-rebalancing check, each over AWS clients made for that one call.
 */
import { systemClock } from '../core/clock.js';
import type { RebalanceDeps } from '../services/rebalance.js';
import { mskBootstrap, mskRebalancingStatus } from '../services/rebalance-msk.js';
import { withAwsPorts } from './live-ports.js';

/** The real probes; kafkajs is imported on the first admin, so offline paths never load it. */
export function liveRebalanceDeps(): RebalanceDeps {
  return {
    async openAdmin(cluster, config) {
      const { openKafkaAdmin } = await import('../probes/kafka-admin/index.js');
      if (cluster.bootstrap || !cluster.msk) return openKafkaAdmin(cluster);
      const bootstrap = await withAwsPorts(config, (aws) => mskBootstrap(cluster, config, aws.msk));
      return openKafkaAdmin(cluster, { bootstrap });
    },
    mskRebalancing: (cluster, config) =>
      withAwsPorts(config, (aws) => mskRebalancingStatus(cluster, config, aws.msk)),
    clock: systemClock,
  };
}
