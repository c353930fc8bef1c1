/**
 * An in-memory KafkaAdminPort built from a cluster snapshot, for core, executor and command tests
 * (docs/design.md §6: a fake for every port; the contract test runs it and the real adapter through the
 * same specification). It behaves like Kafka where the contract pins it down: reassignments go
 * ongoing (adding/removing replicas, new replicas' logs start empty) and complete only when the
 * test says so (`completeReassignments`), preferred elections need the preferred replica in the
 * ISR, config changes are recorded and visible to describe, offline brokers drop out of the ISR.
 */
import type { ClusterSnapshot } from '../../../src/domain/snapshot.js';
import { toAlterResource, toResource } from '../../../src/probes/kafka-admin/map.js';
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
} from '../../../src/probes/kafka-admin/port.js';
import {
  ErrorCode,
  type KafkaErrorInfo,
  kafkaError,
} from '../../../src/probes/kafka-admin/protocol/errors.js';
import { FakeConfigStore } from './fake-configs.js';
import { FakeLogDirs } from './fake-dirs.js';
import {
  addingReplicas,
  cancelReassignment,
  completeReassignment,
  elect,
  type FakePartition,
  removingReplicas,
  startReassignment,
} from './fake-partition.js';

interface FakeBroker {
  id: number;
  rack?: string;
  capacityBytes?: number;
  online: boolean;
}

interface FakeTopic {
  internal: boolean;
  partitions: FakePartition[];
}

const err = (code: number, message?: string) => kafkaError(code, message) as KafkaErrorInfo;
const key = (type: string, name: string) => `${type}\u0000${name}`;

/** The in-memory fake. Build it with `FakeKafkaAdmin.fromSnapshot`. */
export class FakeKafkaAdmin implements KafkaAdminPort {
  readonly brokers = new Map<number, FakeBroker>();
  readonly topics = new Map<string, FakeTopic>();
  /** Dynamic configs; `configs.log` lists every operation applied, in order. */
  readonly configs = new FakeConfigStore();
  /** Log dirs (JBOD): brokers' dirs, replica dirs, intra-broker moves (`logDirs.hold`, `completeMoves`). */
  readonly logDirs = new FakeLogDirs();
  private seq = 0;
  controllerId: number;
  closed = false;

  private readonly live = (b: number): boolean => this.brokers.get(b)?.online === true;

  protected constructor(brokers: FakeBroker[], controllerId?: number) {
    for (const b of brokers) this.brokers.set(b.id, b);
    this.controllerId = controllerId ?? Math.min(...brokers.map((b) => b.id));
  }

  /**
   * A fake cluster holding exactly the snapshot's brokers and partitions (ISR = replicas unless
   * given). Called on a subclass, it builds that subclass (tests override one method).
   */
  static fromSnapshot(s: ClusterSnapshot, opts: { controllerId?: number } = {}): FakeKafkaAdmin {
    const fake = new this(
      s.brokers.map((b) => ({
        id: b.id,
        online: true,
        ...(b.rack ? { rack: b.rack } : {}),
        ...(b.capacityBytes ? { capacityBytes: b.capacityBytes } : {}),
      })),
      opts.controllerId,
    );
    fake.logDirs.load(s);
    for (const p of s.partitions) {
      let t = fake.topics.get(p.topic);
      if (!t) {
        t = { internal: p.topic.startsWith('__'), partitions: [] };
        fake.topics.set(p.topic, t);
      }
      t.partitions[p.partition] = {
        replicas: [...p.replicas],
        leader: p.leader,
        isr: p.isr ? [...p.isr] : [...p.replicas],
        sizeBytes: p.sizeBytes,
      };
    }
    return fake;
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Completes up to `max` ongoing reassignments, oldest first; returns how many completed. */
  completeReassignments(max = Number.POSITIVE_INFINITY): number {
    const ongoing: Array<{ p: FakePartition; seq: number }> = [];
    for (const t of this.topics.values())
      for (const p of t.partitions) if (p?.reassignment) ongoing.push({ p, seq: p.reassignment.seq });
    ongoing.sort((a, b) => a.seq - b.seq);
    let done = 0;
    for (const { p } of ongoing) {
      if (done >= max) break;
      completeReassignment(p, this.live);
      done++;
    }
    return done;
  }

  /** Takes a broker offline (or back): it leaves every ISR and loses its leaderships. */
  setBrokerOnline(id: number, online: boolean): void {
    const b = this.brokers.get(id);
    if (!b) throw new Error(`no broker ${id}`);
    b.online = online;
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        if (!p?.replicas.includes(id)) continue;
        if (!online) {
          p.isr = p.isr.filter((r) => r !== id);
          if (p.leader === id) p.leader = p.isr.find((r) => this.brokers.get(r)?.online) ?? -1;
        } else if (!p.isr.includes(id)) {
          p.isr.push(id);
          if (p.leader === -1) p.leader = id;
        }
      }
    }
  }

  // ---- the port ------------------------------------------------------------------------------

  async describeCluster(): Promise<ClusterDescription> {
    const brokers = [...this.brokers.values()]
      .filter((b) => b.online)
      .sort((a, b) => a.id - b.id)
      .map((b) => ({
        id: b.id,
        host: `fake-broker-${b.id}`,
        port: 9092,
        ...(b.rack ? { rack: b.rack } : {}),
      }));
    return { clusterId: 'fake-cluster', controllerId: this.controllerId, brokers };
  }

  async topicMetadata(topics?: string[]): Promise<TopicInfo[]> {
    const names = topics ?? [...this.topics.keys()];
    return names.map((name) => {
      const t = this.topics.get(name);
      if (!t)
        return { name, internal: false, partitions: [], error: err(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) };
      return {
        name,
        internal: t.internal,
        partitions: t.partitions.map((p, i) => {
          const offlineReplicas = p.replicas.filter((r) => !this.brokers.get(r)?.online);
          const info = {
            partition: i,
            leader: p.leader,
            replicas: [...p.replicas],
            isr: [...p.isr],
            offlineReplicas,
          };
          return p.leader === -1 ? { ...info, error: err(ErrorCode.LEADER_NOT_AVAILABLE) } : info;
        }),
      };
    });
  }

  async createTopics(topics: NewTopic[]): Promise<void> {
    const ids = [...this.brokers.values()]
      .filter((b) => b.online)
      .map((b) => b.id)
      .sort((a, b) => a - b);
    for (const nt of topics) {
      if (this.topics.has(nt.name)) continue; // as kafkajs: creating an existing topic is a no-op
      const rf =
        nt.replicationFactor && nt.replicationFactor > 0 ? nt.replicationFactor : Math.min(3, ids.length);
      const assignments =
        nt.assignments ??
        Array.from({ length: nt.partitions ?? 1 }, (_, p) =>
          Array.from({ length: rf }, (_, r) => ids[(p + r) % ids.length] as number),
        );
      this.topics.set(nt.name, {
        internal: false,
        partitions: assignments.map((replicas) => ({
          replicas: [...replicas],
          leader: replicas[0] ?? -1,
          isr: [...replicas],
          sizeBytes: 0,
        })),
      });
      for (const [k, v] of Object.entries(nt.configs ?? {})) this.configs.preset('topic', nt.name, k, v);
    }
  }

  async deleteTopics(names: string[]): Promise<void> {
    for (const n of names) {
      this.topics.delete(n);
      this.configs.drop('topic', n);
    }
  }

  async describeLogDirs(brokerIds?: number[]): Promise<BrokerLogDirs[]> {
    const ids = brokerIds ?? [...this.brokers.keys()].sort((a, b) => a - b);
    const out = new Map<number, BrokerLogDirs & { used: number }>();
    for (const id of ids) {
      const b = this.brokers.get(id);
      if (!b?.online)
        out.set(id, {
          brokerId: id,
          error: err(ErrorCode.BROKER_NOT_AVAILABLE, `broker ${id} is not reachable`),
          logDirs: [],
          used: 0,
        });
      else
        out.set(id, {
          brokerId: id,
          logDirs: this.logDirs.dirsOf(id).map((path) => ({ path, partitions: [] })),
          used: 0,
        });
    }
    for (const [topic, t] of this.topics) {
      for (let i = 0; i < t.partitions.length; i++) {
        const p = t.partitions[i]!;
        const adding = addingReplicas(p);
        for (const r of p.replicas) {
          const entry = out.get(r);
          const at = this.logDirs.dirOf(topic, i, r);
          const dir = entry?.logDirs.find((d) => d.path === at);
          if (!entry || !dir) continue;
          // A replica being added starts with an empty log and fills up as it catches up.
          const sizeBytes = adding.includes(r) ? 0 : p.sizeBytes;
          dir.partitions.push({ topic, partition: i, sizeBytes, offsetLag: 0, isFuture: false });
          entry.used += sizeBytes;
          // An intra-broker move in progress: a future log in the target dir.
          const fut = entry.logDirs.find((d) => d.path === this.logDirs.futureOf(topic, i, r));
          fut?.partitions.push({ topic, partition: i, sizeBytes: 0, offsetLag: 0, isFuture: true });
        }
      }
    }
    return ids.map((id) => {
      const { used, ...entry } = out.get(id)!;
      const cap = this.brokers.get(id)?.capacityBytes;
      const dir = entry.logDirs[0];
      if (dir && cap !== undefined && entry.logDirs.length === 1) {
        dir.totalBytes = cap;
        dir.usableBytes = Math.max(0, cap - used);
      }
      return entry;
    });
  }

  async describeBrokerConfigs(brokerId: number, names?: string[]): Promise<ConfigResult> {
    const b = this.brokers.get(brokerId);
    if (!b?.online)
      return {
        type: 'broker',
        name: String(brokerId),
        error: err(ErrorCode.BROKER_NOT_AVAILABLE),
        entries: [],
      };
    return {
      type: 'broker',
      name: String(brokerId),
      entries: this.configs.entries('broker', String(brokerId), names),
    };
  }

  async describeTopicConfigs(topics: string[], names?: string[]): Promise<ConfigResult[]> {
    return topics.map((t) =>
      this.topics.has(t)
        ? { type: 'topic' as const, name: t, entries: this.configs.entries('topic', t, names) }
        : { type: 'topic' as const, name: t, error: err(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION), entries: [] },
    );
  }

  async incrementalAlterConfigs(
    changes: ConfigChange[],
    opts: { validateOnly?: boolean } = {},
  ): Promise<AlterConfigResult[]> {
    for (const c of changes) toAlterResource(c); // same input validation as the adapter
    return changes.map((c) => {
      toResource(c.type, c.name);
      if (c.type === 'topic' && !this.topics.has(c.name))
        return { type: c.type, name: c.name, error: err(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) };
      if (c.type === 'broker' && !this.brokers.get(Number(c.name))?.online)
        return { type: c.type, name: c.name, error: err(ErrorCode.BROKER_NOT_AVAILABLE) };
      if (opts.validateOnly) return { type: c.type, name: c.name };
      this.configs.apply(c);
      return { type: c.type, name: c.name };
    });
  }

  async electLeaders(req: {
    type: 'preferred' | 'unclean';
    partitions?: TopicPartition[];
  }): Promise<ElectionResult[]> {
    const all = req.partitions === undefined;
    const targets =
      req.partitions ??
      [...this.topics].flatMap(([topic, t]) => t.partitions.map((_, partition) => ({ topic, partition })));
    const out: ElectionResult[] = [];
    for (const tp of targets) {
      const p = this.topics.get(tp.topic)?.partitions[tp.partition];
      if (!p) {
        out.push({ ...tp, outcome: 'failed', error: err(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) });
        continue;
      }
      const r = elect(p, req.type, this.live);
      // Asked for every partition, Kafka lists only those it tried to elect.
      if (r) out.push({ ...tp, ...r });
      else if (!all) out.push({ ...tp, outcome: 'not-needed', error: err(ErrorCode.ELECTION_NOT_NEEDED) });
    }
    return out;
  }

  async alterPartitionReassignments(reqs: ReassignmentRequest[]): Promise<ReassignmentResult[]> {
    return reqs.map((r): ReassignmentResult => {
      const tp = { topic: r.topic, partition: r.partition };
      const p = this.topics.get(r.topic)?.partitions[r.partition];
      if (!p) return { ...tp, error: err(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) };
      const error =
        r.replicas === null
          ? cancelReassignment(p)
          : startReassignment(p, r.replicas, this.seq++, (b) => this.brokers.has(b));
      return error ? { ...tp, error } : tp;
    });
  }

  async alterReplicaLogDirs(moves: LogDirMoveRequest[]): Promise<LogDirMoveResult[]> {
    return this.logDirs.alter(
      moves,
      (m) => this.topics.get(m.topic)?.partitions[m.partition]?.replicas.includes(m.brokerId) === true,
      this.live,
    );
  }

  async listPartitionReassignments(partitions?: TopicPartition[]): Promise<OngoingReassignment[]> {
    const out: OngoingReassignment[] = [];
    const wanted = partitions ? new Set(partitions.map((p) => key(p.topic, String(p.partition)))) : undefined;
    for (const [topic, t] of this.topics) {
      t.partitions.forEach((p, partition) => {
        if (!p.reassignment || (wanted && !wanted.has(key(topic, String(partition))))) return;
        out.push({
          topic,
          partition,
          replicas: [...p.replicas],
          addingReplicas: addingReplicas(p),
          removingReplicas: removingReplicas(p),
        });
      });
    }
    return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
