import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../cli/base-command.js';
import { liveObserveDeps, withAwsPorts } from '../../../cli/live-ports.js';
import type { Config } from '../../../config/schema.js';
import { usageError } from '../../../core/errors.js';
import type { BrokerTraffic } from '../../../rebalancer/goals/throughput.js';
import { parseAddBrokers, parseBrokerIds, parseTopics } from '../../../rebalancer/options.js';
import type { PlanRequest } from '../../../rebalancer/report.js';
import { parseRate } from '../../../rebalancer/throttle.js';
import { clusterConfig, observeLiveCluster } from '../../../services/kafka-observe.js';
import { interlockError } from '../../../services/rebalance-exec/interlocks.js';
import {
  type OfflinePlanResult,
  planFromSnapshot,
  planFromSnapshotFile,
} from '../../../services/rebalance-exec/offline.js';
import { renderPlan } from '../../../services/rebalance-exec/render-plan.js';

const num = (flag: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw usageError(`--${flag}: "${text}" is not a number`);
  return v;
};

/**
 * MSK Express with intelligent rebalancing ACTIVE moves partitions itself and refuses manual
 * reassignments: a plan would be stale or refused, so planning refuses first and says how to pause.
 */
async function refuseWhileMskRebalancing(config: Config, name: string): Promise<void> {
  const cluster = clusterConfig(config, name);
  if (!cluster.msk) return;
  const { mskRebalancingStatus } = await import('../../../services/rebalance-msk.js');
  const status = await withAwsPorts(config, (aws) => mskRebalancingStatus(cluster, config, aws.msk));
  if (status === 'ACTIVE')
    throw interlockError({ kind: 'msk-rebalancing-active', clusterArn: cluster.msk.arn });
}

export default class KafkaRebalancePlan extends BaseCommand {
  static override description =
    `Plan a partition rebalance that moves the fewest bytes: disk use balanced relative to capacity, then replica counts, then leaders (by reordering replicas, which moves no data).
Writes Kafka's reassignment JSON (only partitions that change; runnable by kafka-reassign-partitions.sh --execute), a sidecar report (<output>.report.json: figures, brokers, batches) and the rollback plan (<output>.rollback.json). Prints moved bytes against the lower bound, spreads before/after and the duration at --throttle.`;
  static override examples = [
    '<%= config.bin %> kafka rebalance plan --snapshot orders.json -o plan.json',
    '<%= config.bin %> kafka rebalance plan --snapshot orders.json --add-broker 4,5,6 --throttle 50MB/s -o plan.json',
    '<%= config.bin %> kafka rebalance plan --snapshot orders.json --remove-broker 3 -o drain.json --json',
    '<%= config.bin %> kafka rebalance plan --snapshot orders.json --light --light-threshold 0.75 -o light.json',
  ];
  static override flags = {
    cluster: Flags.string({
      char: 'c',
      description: 'Cluster name from streamctl.yaml (live mode).',
      exclusive: ['snapshot'],
    }),
    snapshot: Flags.string({
      description: 'Plan from a cluster snapshot file (`streamctl kafka snapshot`).',
      exclusive: ['cluster'],
    }),
    output: Flags.string({
      char: 'o',
      description: 'Where to write the plan (Kafka reassignment JSON).',
      required: true,
    }),
    'add-broker': Flags.string({
      description: 'Fill these brokers: ids, comma-separated; `id:rack` for brokers not in the snapshot yet.',
    }),
    'remove-broker': Flags.string({
      description: 'Drain these brokers (comma-separated ids): they end with no replicas.',
    }),
    light: Flags.boolean({
      description: 'Only brokers above --light-threshold shed load; nothing else moves.',
    }),
    'light-threshold': Flags.string({
      description: 'Utilisation (used/capacity) above which a broker is hot in --light mode.',
      default: '0.8',
    }),
    topics: Flags.string({ description: 'Only partitions of these topics may move (comma-separated).' }),
    throttle: Flags.string({
      description: 'Replication throttle for the duration estimate, e.g. 50MB/s or 90MiB/s.',
    }),
    'produce-rate': Flags.string({
      description:
        'Produce rate into the moving partitions (warns when the throttle cannot keep up), e.g. 20MB/s.',
    }),
    seed: Flags.integer({
      description: 'Seed for tie-breaks (same snapshot + flags + seed = same plan).',
      default: 0,
    }),
    band: Flags.string({
      description: 'Disk target band: max/mean utilisation at most this (and min/mean at least 2 − band).',
      default: '1.03',
      exclusive: ['max-spread'],
    }),
    'max-spread': Flags.string({
      description: 'Old name of --band.',
      exclusive: ['band'],
    }),
    'leader-band': Flags.string({
      description:
        'Leader target band: max/mean preferred leaders per broker (reordering only, no data moves).',
      default: '1.03',
    }),
    'dir-band': Flags.string({
      description:
        'Log-dir (JBOD) band within each broker: max/mean dir utilisation at most this; dirs are balanced after the inter-broker plan, in the same plan.',
      default: '1.03',
    }),
    'count-band': Flags.string({
      description: 'Replica-count target band: max/mean replicas per unit of capacity.',
      default: '1.10',
    }),
    'broker-type': Flags.option({
      options: ['self-managed', 'standard', 'express', 'serverless'] as const,
      description:
        "Broker type (default: the snapshot's brokerType, else self-managed). express: partitions per broker and leaders, not disk; serverless is refused (no brokers to balance).",
    })(),
    'repair-racks': Flags.boolean({
      description:
        'Make every partition span min(replicas, racks) racks, not only the partitions the plan moves; the report says how many bytes that costs.',
    }),
    'max-utilisation': Flags.string({
      description: 'No move takes a broker above this share of its capacity.',
      default: '0.9',
    }),
    'max-moves-per-broker': Flags.integer({
      description: 'Concurrent moves per broker in a batch.',
      default: 5,
      min: 1,
    }),
    'max-moves-in-cluster': Flags.integer({
      description: 'Concurrent moves in the cluster in a batch.',
      default: 1250,
      min: 1,
    }),
    'one-replica-at-a-time': Flags.boolean({
      description: 'Split partitions that change several replicas into one-replica steps.',
    }),
    order: Flags.option({
      options: ['small-first', 'large-first'] as const,
      description:
        'Order of moves within each broker (large-first finishes sooner; small-first completes many partitions early).',
      default: 'large-first',
    })(),
  };

  /** --json: the report without the per-move batch list (that is in the sidecar report file). */
  async run(): Promise<Omit<OfflinePlanResult, 'batches'>> {
    const { flags } = await this.parse(KafkaRebalancePlan);
    if (flags.cluster === undefined && flags.snapshot === undefined) {
      throw usageError('name a live cluster with -c CLUSTER, or a snapshot with --snapshot FILE');
    }
    const request: PlanRequest = {
      plan: {
        addBrokers: flags['add-broker'] ? parseAddBrokers(flags['add-broker']) : [],
        removeBrokers: flags['remove-broker'] ? parseBrokerIds(flags['remove-broker']) : [],
        light: flags.light,
        lightThreshold: num('light-threshold', flags['light-threshold']),
        topics: flags.topics ? parseTopics(flags.topics) : undefined,
        seed: flags.seed,
        maxSpread:
          flags['max-spread'] !== undefined
            ? num('max-spread', flags['max-spread'])
            : num('band', flags.band),
        leaderSpread: num('leader-band', flags['leader-band']),
        countSpread: num('count-band', flags['count-band']),
        dirSpread: num('dir-band', flags['dir-band']),
        repairRacks: flags['repair-racks'],
        brokerType: flags['broker-type'],
        maxUtilisation: num('max-utilisation', flags['max-utilisation']),
      },
      batching: {
        maxPerBroker: flags['max-moves-per-broker'],
        maxInCluster: flags['max-moves-in-cluster'],
        oneReplicaAtATime: flags['one-replica-at-a-time'],
        order: flags.order,
      },
      throttleBytesPerSec: flags.throttle ? parseRate(flags.throttle) : undefined,
      produceBytesPerSec: flags['produce-rate']
        ? parseRate(flags['produce-rate'], '--produce-rate')
        : undefined,
    };
    let result: OfflinePlanResult;
    if (flags.cluster !== undefined) {
      // Live: capture the cluster as `kafka snapshot` would (metadata + DescribeLogDirs), then plan.
      const { config } = await this.getConfig(flags.config);
      const obs = await observeLiveCluster(config, flags.cluster, liveObserveDeps());
      const brokerType = flags['broker-type'] ?? obs.brokerType;
      let brokerTraffic: BrokerTraffic[] | undefined;
      if (brokerType === 'express') {
        await refuseWhileMskRebalancing(config, flags.cluster);
        const { expressTraffic } = await import('../../../services/rebalance-traffic.js');
        const name = flags.cluster;
        const reading = await withAwsPorts(config, (aws) => expressTraffic(config, name, obs.snapshot, aws));
        if (reading.missing.length)
          this.warn(
            `no BytesInPerSec/BytesOutPerSec datapoint in the last hour for broker(s) ${reading.missing.join(', ')}`,
          );
        if (reading.traffic.length) brokerTraffic = reading.traffic;
      }
      result = planFromSnapshot(
        obs.snapshot,
        `live:${flags.cluster}@${obs.snapshot.capturedAt}`,
        flags.output,
        { ...request, plan: { ...request.plan, brokerType, brokerTraffic } },
      );
    } else {
      result = planFromSnapshotFile(flags.snapshot!, flags.output, request);
    }
    if (!this.jsonEnabled()) this.print(renderPlan(result));
    const { batches, ...summary } = result;
    return summary;
  }
}
