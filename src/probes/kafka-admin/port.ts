/**
 * KafkaAdminPort: the small admin interface the rest of streamctl sees (kafka-kit's KafkaAdmin is
 * the model). Implemented over kafkajs plus streamctl's own requests (index.ts) and in memory
 * (fake.ts); one contract test runs against both (test/probes/kafka-admin/contract.test.ts).
 *
 * Errors: a whole call that cannot happen (unreachable cluster, authentication refused, the
 * cluster refusing the operation as a whole) throws a StreamctlError. Anything per resource
 * (one broker, one topic, one partition, one config resource) comes back as a value with an
 * `error` field (docs/design.md §6): an operator needs the other 29 brokers' answers.
 */
import type { KafkaErrorInfo } from './protocol/errors.js';

export type { KafkaErrorInfo } from './protocol/errors.js';

/** A broker as the cluster metadata announces it. */
export interface BrokerInfo {
  id: number;
  host: string;
  port: number;
  rack?: string;
}

/** The cluster as a client sees it. */
export interface ClusterDescription {
  clusterId?: string;
  /** The controller id in the metadata (KRaft: a broker that forwards controller requests). */
  controllerId: number;
  brokers: BrokerInfo[];
}

/** One partition's placement and state. */
export interface PartitionInfo {
  partition: number;
  /** -1 when the partition has no leader (offline). */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  /** e.g. LEADER_NOT_AVAILABLE on an offline partition. */
  error?: KafkaErrorInfo;
}

/** One topic's metadata. */
export interface TopicInfo {
  name: string;
  internal: boolean;
  partitions: PartitionInfo[];
  error?: KafkaErrorInfo;
}

/** One replica's log in a log directory. */
export interface LogDirPartition {
  topic: string;
  partition: number;
  sizeBytes: number;
  offsetLag: number;
  /** A future log being created by AlterReplicaLogDirs (an intra-broker move). */
  isFuture: boolean;
}

/** One log directory of a broker. */
export interface LogDirInfo {
  path: string;
  /** e.g. KAFKA_STORAGE_ERROR for an offline directory. */
  error?: KafkaErrorInfo;
  /** Capacity of the directory's volume (DescribeLogDirs v4+, KIP-827); absent when unknown. */
  totalBytes?: number;
  usableBytes?: number;
  partitions: LogDirPartition[];
}

/** A broker's log directories, or why they could not be read. */
export interface BrokerLogDirs {
  brokerId: number;
  error?: KafkaErrorInfo;
  logDirs: LogDirInfo[];
}

/** Where a config value comes from (Kafka's ConfigSource). */
export type ConfigSource =
  | 'dynamic-topic'
  | 'dynamic-broker'
  | 'dynamic-default-broker'
  | 'static-broker'
  | 'default'
  | 'dynamic-broker-logger'
  | 'dynamic-client-metrics'
  | 'dynamic-group'
  | 'unknown';

/** One config key with its effective value. `value` is null for sensitive or unset keys. */
export interface ConfigEntry {
  name: string;
  value: string | null;
  source: ConfigSource;
  readOnly: boolean;
  sensitive: boolean;
}

/** The config resources streamctl touches; 'broker-default' is the cluster-wide broker default. */
export type ConfigResourceType = 'broker' | 'topic' | 'broker-default';

/** The configs of one resource, or why they could not be read. */
export interface ConfigResult {
  type: ConfigResourceType;
  name: string;
  error?: KafkaErrorInfo;
  entries: ConfigEntry[];
}

/** One incremental change to one key. `value` is required for set/append/subtract. */
export interface ConfigOpChange {
  name: string;
  op: 'set' | 'delete' | 'append' | 'subtract';
  value?: string;
}

/** Changes to one resource. For 'broker', `name` is the broker id; for 'broker-default' it is ''. */
export interface ConfigChange {
  type: ConfigResourceType;
  name: string;
  ops: ConfigOpChange[];
}

/** The outcome for one resource of an incrementalAlterConfigs call. */
export interface AlterConfigResult {
  type: ConfigResourceType;
  name: string;
  error?: KafkaErrorInfo;
}

/** A topic partition. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** The outcome of one partition's election. */
export interface ElectionResult extends TopicPartition {
  /** 'not-needed': the preferred replica already leads (ELECTION_NOT_NEEDED). */
  outcome: 'elected' | 'not-needed' | 'failed';
  error?: KafkaErrorInfo;
}

/** A target placement for one partition; `replicas: null` cancels its ongoing reassignment. */
export interface ReassignmentRequest extends TopicPartition {
  replicas: number[] | null;
}

/** The outcome of one partition's reassignment request. */
export interface ReassignmentResult extends TopicPartition {
  error?: KafkaErrorInfo;
}

/** A reassignment in flight: `replicas` is the union, with what is being added and removed. */
export interface OngoingReassignment extends TopicPartition {
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

/** A replica to put into one of its broker's log dirs (AlterReplicaLogDirs, JBOD). */
export interface LogDirMoveRequest extends TopicPartition {
  brokerId: number;
  /** An absolute log dir path of that broker. */
  path: string;
}

/**
 * The outcome for one replica. REPLICA_NOT_AVAILABLE: the broker does not host the replica yet;
 * it records the dir and creates the replica there when a reassignment adds it.
 */
export interface LogDirMoveResult extends LogDirMoveRequest {
  error?: KafkaErrorInfo;
}

/** A topic to create (tests and `streamctl demo`). */
export interface NewTopic {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  /** Explicit placement per partition; overrides partitions/replicationFactor. */
  assignments?: number[][];
  configs?: Record<string, string>;
}

/** The admin operations streamctl needs from a Kafka cluster. */
export interface KafkaAdminPort {
  describeCluster(): Promise<ClusterDescription>;
  /** Metadata of the given topics (default: every topic, internal ones included). */
  topicMetadata(topics?: string[]): Promise<TopicInfo[]>;
  createTopics(topics: NewTopic[]): Promise<void>;
  deleteTopics(names: string[]): Promise<void>;
  /** Per broker (default: every broker), per log directory, every replica's size. */
  describeLogDirs(brokerIds?: number[]): Promise<BrokerLogDirs[]>;
  /** A broker's configs, asked of that broker (names: only these keys). */
  describeBrokerConfigs(brokerId: number, names?: string[]): Promise<ConfigResult>;
  describeTopicConfigs(topics: string[], names?: string[]): Promise<ConfigResult[]>;
  incrementalAlterConfigs(
    changes: ConfigChange[],
    opts?: { validateOnly?: boolean },
  ): Promise<AlterConfigResult[]>;
  /** Elects leaders (default: every partition). */
  electLeaders(req: {
    type: 'preferred' | 'unclean';
    partitions?: TopicPartition[];
  }): Promise<ElectionResult[]>;
  alterPartitionReassignments(reqs: ReassignmentRequest[]): Promise<ReassignmentResult[]>;
  /**
   * Moves replicas between the log dirs of their broker (asked of each broker); completion shows
   * in describeLogDirs (a future log in the target dir until the copy is done, then the replica).
   */
  alterReplicaLogDirs(moves: LogDirMoveRequest[]): Promise<LogDirMoveResult[]>;
  /** Ongoing reassignments (default: all). */
  listPartitionReassignments(partitions?: TopicPartition[]): Promise<OngoingReassignment[]>;
  close(): Promise<void>;
}
