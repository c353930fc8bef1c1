/**
 * Pure mapping between streamctl's port types and the raw protocol structures: requests are
 * grouped by topic the way Kafka wants them, responses become port values with per-resource
 * errors. No I/O here, so every rule is unit-tested without a broker.
 */
import { usageError } from '../../core/errors.js';
import type {
  AlterConfigResult,
  BrokerInfo,
  BrokerLogDirs,
  ClusterDescription,
  ConfigChange,
  ConfigEntry,
  ConfigResourceType,
  ConfigResult,
  ConfigSource,
  ElectionResult,
  LogDirMoveRequest,
  LogDirMoveResult,
  OngoingReassignment,
  ReassignmentRequest,
  ReassignmentResult,
  TopicInfo,
  TopicPartition,
} from './port.js';
import type {
  AlterPartitionReassignmentsRequest,
  RawAlterPartitionReassignments,
} from './protocol/alter-partition-reassignments.js';
import type {
  AlterReplicaLogDirsRequest,
  RawAlterReplicaLogDirs,
} from './protocol/alter-replica-log-dirs.js';
import type { RawConfigResult } from './protocol/describe-configs.js';
import { ResourceType } from './protocol/describe-configs.js';
import type { RawDescribeLogDirs } from './protocol/describe-log-dirs.js';
import type { RawElectLeaders } from './protocol/elect-leaders.js';
import { ErrorCode, kafkaError } from './protocol/errors.js';
import type {
  IncrementalAlterConfigsRequest,
  RawAlterConfigsResult,
} from './protocol/incremental-alter-configs.js';
import { ConfigOp } from './protocol/incremental-alter-configs.js';
import type { RawListPartitionReassignments } from './protocol/list-partition-reassignments.js';
import type { RawMetadata } from './protocol/metadata.js';

/** Brokers sorted by id, with the controller and cluster id. */
export function toClusterDescription(raw: RawMetadata): ClusterDescription {
  const brokers: BrokerInfo[] = raw.brokers
    .map((b) =>
      b.rack === null || b.rack === ''
        ? { id: b.nodeId, host: b.host, port: b.port }
        : { id: b.nodeId, host: b.host, port: b.port, rack: b.rack },
    )
    .sort((a, b) => a.id - b.id);
  return raw.clusterId === null
    ? { controllerId: raw.controllerId, brokers }
    : { clusterId: raw.clusterId, controllerId: raw.controllerId, brokers };
}

/** Topics with partitions sorted by index; errors (offline partitions, unknown topics) as values. */
export function toTopicInfos(raw: RawMetadata): TopicInfo[] {
  return raw.topics.map((t) => {
    const partitions = t.partitions
      .map((p) => {
        const error = kafkaError(p.errorCode);
        const info = {
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          offlineReplicas: p.offlineReplicas,
        };
        return error ? { ...info, error } : info;
      })
      .sort((a, b) => a.partition - b.partition);
    const error = kafkaError(t.errorCode);
    return error
      ? { name: t.name, internal: t.isInternal, partitions, error }
      : { name: t.name, internal: t.isInternal, partitions };
  });
}

/** One broker's DescribeLogDirs answer; -1 capacities (unknown) are left out. */
export function toBrokerLogDirs(brokerId: number, raw: RawDescribeLogDirs): BrokerLogDirs {
  const logDirs = raw.results.map((d) => {
    const partitions = [];
    for (const t of d.topics) {
      for (const p of t.partitions)
        partitions.push({
          topic: t.name,
          partition: p.partition,
          sizeBytes: p.sizeBytes,
          offsetLag: p.offsetLag,
          isFuture: p.isFuture,
        });
    }
    const error = kafkaError(d.errorCode);
    return {
      path: d.logDir,
      ...(error ? { error } : {}),
      ...(d.totalBytes >= 0 ? { totalBytes: d.totalBytes } : {}),
      ...(d.usableBytes >= 0 ? { usableBytes: d.usableBytes } : {}),
      partitions,
    };
  });
  const error = kafkaError(raw.errorCode);
  return error ? { brokerId, error, logDirs } : { brokerId, logDirs };
}

const SOURCES: Record<number, ConfigSource> = {
  1: 'dynamic-topic',
  2: 'dynamic-broker',
  3: 'dynamic-default-broker',
  4: 'static-broker',
  5: 'default',
  6: 'dynamic-broker-logger',
  7: 'dynamic-client-metrics',
  8: 'dynamic-group',
};

/** Kafka's ConfigSource code as a name. */
export function configSourceName(code: number): ConfigSource {
  return SOURCES[code] ?? 'unknown';
}

/** The resource type code and name Kafka expects for a port resource. */
export function toResource(type: ConfigResourceType, name: string): { type: number; name: string } {
  switch (type) {
    case 'topic':
      if (name === '') throw usageError('a topic config change needs a topic name');
      return { type: ResourceType.TOPIC, name };
    case 'broker':
      if (!/^\d+$/.test(name))
        throw usageError(`a broker config change needs a broker id, got ${JSON.stringify(name)}`);
      return { type: ResourceType.BROKER, name };
    case 'broker-default':
      return { type: ResourceType.BROKER, name: '' };
    default: {
      const never: never = type;
      throw new Error(`unknown resource type ${String(never)}`);
    }
  }
}

function fromResource(type: number, name: string): ConfigResourceType {
  if (type === ResourceType.TOPIC) return 'topic';
  return name === '' ? 'broker-default' : 'broker';
}

/** A DescribeConfigs result as a port value. */
export function toConfigResult(raw: RawConfigResult): ConfigResult {
  const entries: ConfigEntry[] = raw.configs.map((c) => ({
    name: c.name,
    value: c.value,
    source: configSourceName(c.source),
    readOnly: c.readOnly,
    sensitive: c.sensitive,
  }));
  const error = kafkaError(raw.errorCode, raw.errorMessage);
  const type = fromResource(raw.type, raw.name);
  return error ? { type, name: raw.name, error, entries } : { type, name: raw.name, entries };
}

const OPS = {
  set: ConfigOp.SET,
  delete: ConfigOp.DELETE,
  append: ConfigOp.APPEND,
  subtract: ConfigOp.SUBTRACT,
} as const;

/** One resource of an IncrementalAlterConfigs request; refuses a set without a value. */
export function toAlterResource(change: ConfigChange): IncrementalAlterConfigsRequest['resources'][number] {
  const res = toResource(change.type, change.name);
  return {
    ...res,
    configs: change.ops.map((o) => {
      if (o.op !== 'delete' && o.value === undefined)
        throw usageError(`config ${o.name}: '${o.op}' needs a value`);
      return { name: o.name, op: OPS[o.op], value: o.op === 'delete' ? null : (o.value as string) };
    }),
  };
}

/** IncrementalAlterConfigs results as port values. */
export function toAlterResults(raw: RawAlterConfigsResult[]): AlterConfigResult[] {
  return raw.map((r) => {
    const error = kafkaError(r.errorCode, r.errorMessage);
    const type = fromResource(r.type, r.name);
    return error ? { type, name: r.name, error } : { type, name: r.name };
  });
}

/** Groups partitions by topic, keeping first-seen topic order and partition order. */
export function groupByTopic<T extends TopicPartition>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const list = out.get(it.topic);
    if (list) list.push(it);
    else out.set(it.topic, [it]);
  }
  return out;
}

/** ElectLeaders topic_partitions; undefined partitions means every partition (null). */
export function toElectionPartitions(
  partitions: TopicPartition[] | undefined,
): Array<{ topic: string; partitions: number[] }> | null {
  if (partitions === undefined) return null;
  return [...groupByTopic(partitions)].map(([topic, ps]) => ({
    topic,
    partitions: ps.map((p) => p.partition),
  }));
}

/** ElectLeaders results: ELECTION_NOT_NEEDED is an outcome, not a failure. */
export function toElectionResults(raw: RawElectLeaders): ElectionResult[] {
  const out: ElectionResult[] = [];
  for (const t of raw.results) {
    for (const p of t.partitions) {
      const base = { topic: t.topic, partition: p.partition };
      if (p.errorCode === 0) out.push({ ...base, outcome: 'elected' });
      else if (p.errorCode === ErrorCode.ELECTION_NOT_NEEDED) out.push({ ...base, outcome: 'not-needed' });
      else
        out.push({
          ...base,
          outcome: 'failed',
          error: kafkaError(p.errorCode, p.errorMessage) as NonNullable<ReturnType<typeof kafkaError>>,
        });
    }
  }
  return out;
}

/** AlterPartitionReassignments topics from port requests. */
export function toReassignmentTopics(
  reqs: ReassignmentRequest[],
): AlterPartitionReassignmentsRequest['topics'] {
  return [...groupByTopic(reqs)].map(([name, ps]) => ({
    name,
    partitions: ps.map((p) => ({ partition: p.partition, replicas: p.replicas })),
  }));
}

/** Per-partition reassignment outcomes. */
export function toReassignmentResults(raw: RawAlterPartitionReassignments): ReassignmentResult[] {
  const out: ReassignmentResult[] = [];
  for (const t of raw.results) {
    for (const p of t.partitions) {
      const error = kafkaError(p.errorCode, p.errorMessage);
      out.push(
        error ? { topic: t.name, partition: p.partition, error } : { topic: t.name, partition: p.partition },
      );
    }
  }
  return out;
}

/** Ongoing reassignments, sorted by topic then partition. */
export function toOngoingReassignments(raw: RawListPartitionReassignments): OngoingReassignment[] {
  const out: OngoingReassignment[] = [];
  for (const t of raw.topics) {
    for (const p of t.partitions) {
      out.push({
        topic: t.name,
        partition: p.partition,
        replicas: p.replicas,
        addingReplicas: p.addingReplicas,
        removingReplicas: p.removingReplicas,
      });
    }
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

/** One broker's log-dir moves grouped by dir, then topic (the request's shape). */
export function toLogDirMoves(moves: readonly LogDirMoveRequest[]): AlterReplicaLogDirsRequest['dirs'] {
  const dirs = new Map<string, Map<string, number[]>>();
  for (const m of moves) {
    const topics = dirs.get(m.path) ?? new Map<string, number[]>();
    topics.set(m.topic, [...(topics.get(m.topic) ?? []), m.partition]);
    dirs.set(m.path, topics);
  }
  return [...dirs].map(([path, topics]) => ({
    path,
    topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
  }));
}

/**
 * The broker's answer per requested replica. A replica the answer does not mention is an error
 * (UNKNOWN_SERVER_ERROR), never a silent success.
 */
export function toLogDirMoveResults(
  moves: readonly LogDirMoveRequest[],
  raw: RawAlterReplicaLogDirs,
): LogDirMoveResult[] {
  const codes = new Map<string, number>();
  for (const t of raw.results)
    for (const p of t.partitions) codes.set(`${t.topic}\u0000${p.partition}`, p.errorCode);
  return moves.map((m) => {
    const code = codes.get(`${m.topic}\u0000${m.partition}`);
    const error =
      code === undefined ? kafkaError(-1, 'the broker did not answer for this replica') : kafkaError(code);
    return error ? { ...m, error } : { ...m };
  });
}
