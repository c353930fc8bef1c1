/**
 * The KafkaAdminPort adapter: kafkajs 2.2.4 for what it does well (connections, SASL/TLS,
 * ApiVersions negotiation, CreateTopics/DeleteTopics) and streamctl's own requests (protocol/) for
 * what it lacks or gets wrong for operations, sent over kafkajs's own authenticated connection to
 * the broker each request must reach:
 *   - Metadata, DescribeLogDirs, DescribeConfigs for a BROKER resource: the broker in question;
 *   - ElectLeaders, AlterPartitionReassignments, ListPartitionReassignments: the controller id the
 *     metadata names (ZooKeeper mode requires the controller; in KRaft that id is a broker that
 *     forwards to the active controller), retried once elsewhere on NOT_CONTROLLER;
 *   - topic and broker-default configs: any broker.
 * The broker directory is built from our own Metadata answer because kafkajs's metadata refresh
 * throws on the first offline partition.
 */
import type { Admin } from 'kafkajs';
import type { KafkaCluster } from '../../config/sections/kafka.js';
import { StreamctlError, tempFailure } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { BrokerRouter } from './brokers.js';
import { type ClientOptions, kafkaClientConfig } from './client-config.js';
import { mapKafkaError, topLevelError, unreachable } from './kafka-errors.js';
import { createClusterAndAdmin, type InternalBroker, type InternalCluster } from './kafkajs-internals.js';
import * as map from './map.js';
import type {
  AlterConfigResult,
  BrokerLogDirs,
  ClusterDescription,
  ConfigChange,
  ConfigResult,
  ElectionResult,
  KafkaAdminPort,
  LogDirMoveRequest,
  LogDirMoveResult,
  NewTopic,
  OngoingReassignment,
  ReassignmentRequest,
  ReassignmentResult,
  TopicInfo,
  TopicPartition,
} from './port.js';
import { AlterPartitionReassignments } from './protocol/alter-partition-reassignments.js';
import { AlterReplicaLogDirs } from './protocol/alter-replica-log-dirs.js';
import { DescribeConfigs, ResourceType } from './protocol/describe-configs.js';
import { DescribeLogDirs } from './protocol/describe-log-dirs.js';
import { ElectionType, ElectLeaders } from './protocol/elect-leaders.js';
import { ErrorCode } from './protocol/errors.js';
import { IncrementalAlterConfigs } from './protocol/incremental-alter-configs.js';
import { ListPartitionReassignments } from './protocol/list-partition-reassignments.js';
import { checkLogDirs } from './schema.js';

export { mapKafkaError } from './kafka-errors.js';
export type { KafkaAdminPort } from './port.js';

/** Kafka-side timeout for elections and reassignments (the broker waits this long at most). */
const ADMIN_TIMEOUT_MS = 30_000;

/** KafkaAdminPort over kafkajs's connections. Create it with openKafkaAdmin. */
export class KafkajsAdmin implements KafkaAdminPort {
  private readonly router: BrokerRouter;

  constructor(
    private readonly name: string,
    cluster: InternalCluster,
    private readonly admin: Admin,
  ) {
    this.router = new BrokerRouter(name, cluster);
  }

  /** Connects (bootstrap, ApiVersions, authentication) and learns the brokers. */
  async connect(): Promise<void> {
    await this.router.connect();
  }

  async describeCluster(): Promise<ClusterDescription> {
    return map.toClusterDescription(await this.router.refresh([]));
  }

  async topicMetadata(topics?: string[]): Promise<TopicInfo[]> {
    return map.toTopicInfos(await this.router.refresh(topics ?? null));
  }

  async createTopics(topics: NewTopic[]): Promise<void> {
    // kafkajs's waitForLeaders polls with its own metadata parser, which throws while a new
    // topic is still unknown to the broker it asks (KRaft propagates asynchronously); we wait
    // with ours instead.
    await this.retryingKafkajs('CreateTopics', () =>
      this.admin.createTopics({
        waitForLeaders: false,
        topics: topics.map((t) => ({
          topic: t.name,
          ...(t.assignments
            ? { replicaAssignment: t.assignments.map((replicas, partition) => ({ partition, replicas })) }
            : { numPartitions: t.partitions ?? 1, replicationFactor: t.replicationFactor ?? -1 }),
          configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      }),
    );
    await this.waitForLeaders(topics.map((t) => t.name));
  }

  /** Waits (up to the request timeout) until every partition of the topics has a leader. */
  private async waitForLeaders(names: string[]): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const md = await this.topicMetadata(names);
      if (md.every((t) => !t.error && t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
        return;
      if (Date.now() > deadline) {
        throw tempFailure(`kafka cluster ${this.name}: topics ${names.join(', ')} have no leader yet`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async deleteTopics(names: string[]): Promise<void> {
    await this.retryingKafkajs('DeleteTopics', () => this.admin.deleteTopics({ topics: names }));
  }

  /**
   * Runs a kafkajs admin call, retrying twice when a broker dropped the connection (a broker
   * restarting or a freshly started cluster settling); kafkajs's own retrier does not retry those
   * for admin requests. CreateTopics is idempotent here: an existing topic is not an error.
   */
  private async retryingKafkajs<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const name = (e as { name?: string }).name ?? '';
        if (attempt < 2 && /KafkaJSConnectionClosedError|KafkaJSConnectionError/.test(name)) {
          await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
          continue;
        }
        throw mapKafkaError(e, `kafka cluster ${this.name}: ${what}`);
      }
    }
  }

  async describeLogDirs(brokerIds?: number[]): Promise<BrokerLogDirs[]> {
    const ids =
      brokerIds ?? (await this.router.refresh([])).brokers.map((b) => b.nodeId).sort((a, b) => a - b);
    return Promise.all(
      ids.map(async (id): Promise<BrokerLogDirs> => {
        let broker: InternalBroker;
        try {
          broker = await this.router.broker(id);
        } catch (e) {
          return { brokerId: id, error: unreachable(e), logDirs: [] };
        }
        try {
          const raw = await this.router.send(broker, DescribeLogDirs, { topics: null });
          return map.toBrokerLogDirs(id, checkLogDirs(raw, `broker ${id} DescribeLogDirs response`));
        } catch (e) {
          if (e instanceof StreamctlError && e.code === 'BAD_INPUT') throw e;
          return { brokerId: id, error: unreachable(e), logDirs: [] };
        }
      }),
    );
  }

  async alterReplicaLogDirs(moves: LogDirMoveRequest[]): Promise<LogDirMoveResult[]> {
    const byBroker = new Map<number, LogDirMoveRequest[]>();
    for (const m of moves) byBroker.set(m.brokerId, [...(byBroker.get(m.brokerId) ?? []), m]);
    const results = await Promise.all(
      [...byBroker].map(async ([id, group]): Promise<LogDirMoveResult[]> => {
        let broker: InternalBroker;
        try {
          broker = await this.router.broker(id);
        } catch (e) {
          return group.map((m) => ({ ...m, error: unreachable(e) }));
        }
        const raw = await this.request(`AlterReplicaLogDirs(broker ${id})`, () =>
          this.router.send(broker, AlterReplicaLogDirs, { dirs: map.toLogDirMoves(group) }),
        );
        return map.toLogDirMoveResults(group, raw);
      }),
    );
    return results.flat();
  }

  async describeBrokerConfigs(brokerId: number, names?: string[]): Promise<ConfigResult> {
    let broker: InternalBroker;
    try {
      broker = await this.router.broker(brokerId);
    } catch (e) {
      return { type: 'broker', name: String(brokerId), error: unreachable(e), entries: [] };
    }
    const raw = await this.request(`DescribeConfigs(broker ${brokerId})`, () =>
      this.router.send(broker, DescribeConfigs, {
        resources: [{ type: ResourceType.BROKER, name: String(brokerId), keys: names ?? null }],
        includeSynonyms: false,
      }),
    );
    const result = raw.results[0];
    if (!result) throw topLevelError('DescribeConfigs', ErrorCode.INVALID_REQUEST, 'empty response');
    return map.toConfigResult(result);
  }

  async describeTopicConfigs(topics: string[], names?: string[]): Promise<ConfigResult[]> {
    if (topics.length === 0) return [];
    const raw = await this.request('DescribeConfigs(topics)', async () =>
      this.router.send(await this.router.anyBroker(), DescribeConfigs, {
        resources: topics.map((t) => ({ type: ResourceType.TOPIC, name: t, keys: names ?? null })),
        includeSynonyms: false,
      }),
    );
    return raw.results.map(map.toConfigResult);
  }

  async incrementalAlterConfigs(
    changes: ConfigChange[],
    opts: { validateOnly?: boolean } = {},
  ): Promise<AlterConfigResult[]> {
    // A named broker's configs must be changed on that broker (as the Java AdminClient routes
    // them); topics and the cluster-wide broker default go to any broker.
    const groups = new Map<number | 'any', ConfigChange[]>();
    for (const c of changes) {
      map.toResource(c.type, c.name); // validate early, before anything is sent
      const key = c.type === 'broker' ? Number(c.name) : 'any';
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const results = await Promise.all(
      [...groups].map(async ([target, group]): Promise<AlterConfigResult[]> => {
        let broker: InternalBroker;
        try {
          broker = target === 'any' ? await this.router.anyBroker() : await this.router.broker(target);
        } catch (e) {
          return group.map((c) => ({ type: c.type, name: c.name, error: unreachable(e) }));
        }
        const raw = await this.request('IncrementalAlterConfigs', () =>
          this.router.send(broker, IncrementalAlterConfigs, {
            resources: group.map(map.toAlterResource),
            validateOnly: opts.validateOnly ?? false,
          }),
        );
        return map.toAlterResults(raw.results);
      }),
    );
    return results.flat();
  }

  async electLeaders(req: {
    type: 'preferred' | 'unclean';
    partitions?: TopicPartition[];
  }): Promise<ElectionResult[]> {
    const raw = await this.toController('ElectLeaders', (b) =>
      this.router.send(b, ElectLeaders, {
        electionType: req.type === 'preferred' ? ElectionType.PREFERRED : ElectionType.UNCLEAN,
        topicPartitions: map.toElectionPartitions(req.partitions),
        timeoutMs: ADMIN_TIMEOUT_MS,
      }),
    );
    return map.toElectionResults(raw);
  }

  async alterPartitionReassignments(reqs: ReassignmentRequest[]): Promise<ReassignmentResult[]> {
    if (reqs.length === 0) return [];
    const raw = await this.toController('AlterPartitionReassignments', (b) =>
      this.router.send(b, AlterPartitionReassignments, {
        timeoutMs: ADMIN_TIMEOUT_MS,
        topics: map.toReassignmentTopics(reqs),
      }),
    );
    return map.toReassignmentResults(raw);
  }

  async listPartitionReassignments(partitions?: TopicPartition[]): Promise<OngoingReassignment[]> {
    const topics =
      partitions === undefined
        ? null
        : map.toElectionPartitions(partitions)!.map((t) => ({ name: t.topic, partitions: t.partitions }));
    const raw = await this.toController('ListPartitionReassignments', (b) =>
      this.router.send(b, ListPartitionReassignments, { timeoutMs: ADMIN_TIMEOUT_MS, topics }),
    );
    return map.toOngoingReassignments(raw);
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
    await Promise.all(this.router.all().map((b) => b.disconnect().catch(() => undefined)));
  }

  /** Runs one request, mapping transport failures; protocol decoding errors stay visible. */
  private async request<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapKafkaError(e, `kafka cluster ${this.name}: ${what}`);
    }
  }

  /**
   * Sends a controller request to the metadata's controller id; when that broker is unreachable
   * or answers NOT_CONTROLLER (the controller moved) refreshes the metadata and tries once more.
   * Top-level errors throw.
   */
  private async toController<T extends { errorCode: number; errorMessage?: string | null }>(
    what: string,
    fn: (b: InternalBroker) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.router.controllerId < 0 || attempt > 0) await this.router.refresh([]);
      let raw: T;
      try {
        raw = await this.request(what, async () =>
          fn(
            this.router.controllerId >= 0
              ? await this.router.broker(this.router.controllerId)
              : await this.router.anyBroker(),
          ),
        );
      } catch (e) {
        // The broker named as controller died since the last metadata: ask the cluster again.
        if (attempt === 0 && e instanceof StreamctlError && e.exitCode === Sysexit.UNAVAILABLE) continue;
        throw e;
      }
      if (raw.errorCode === 0) return raw;
      if (raw.errorCode === ErrorCode.NOT_CONTROLLER && attempt === 0) continue;
      throw topLevelError(what, raw.errorCode, raw.errorMessage ?? null);
    }
  }
}

/**
 * Opens an admin connection to a configured cluster. Throws exit 78 for bad config, 69 when
 * unreachable, 77 when authentication is refused.
 */
export async function openKafkaAdmin(cluster: KafkaCluster, opts: ClientOptions = {}): Promise<KafkajsAdmin> {
  const config = kafkaClientConfig(cluster, opts);
  const { cluster: internal, admin } = createClusterAndAdmin(config);
  const port = new KafkajsAdmin(cluster.name, internal, admin);
  try {
    await port.connect();
  } catch (e) {
    await port.close();
    throw e;
  }
  return port;
}
