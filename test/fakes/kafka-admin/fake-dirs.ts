/**
 * Log dirs of the in-memory fake (JBOD): each broker's dirs, the dir of each hosted replica, the
 * dir recorded for replicas a broker does not host yet, and intra-broker moves in progress
 * (a future log in the target dir). Behaves as Kafka's AlterReplicaLogDirs does where the contract
 * pins it down: an unknown dir is LOG_DIR_NOT_FOUND, a replica not hosted yet is recorded for
 * later and answered REPLICA_NOT_AVAILABLE, a hosted one moves (at once, or when the test says
 * so with `hold` and `completeMoves`).
 */
import type { ClusterSnapshot } from '../../../src/domain/snapshot.js';
import type { LogDirMoveRequest, LogDirMoveResult } from '../../../src/probes/kafka-admin/port.js';
import {
  ErrorCode,
  type KafkaErrorInfo,
  kafkaError,
} from '../../../src/probes/kafka-admin/protocol/errors.js';

const LOG_DIR_NOT_FOUND = 57;
const k = (topic: string, partition: number, broker: number) => `${topic}\u0000${partition}\u0000${broker}`;

/** The fake's log dirs. */
export class FakeLogDirs {
  private readonly paths = new Map<number, string[]>();
  private readonly current = new Map<string, string>();
  private readonly preferred = new Map<string, string>();
  /** Moves in progress: replica key → target dir. */
  readonly future = new Map<string, string>();
  /** When true, moves of hosted replicas stay in progress until `completeMoves`. */
  hold = false;

  /** Dirs and replica dirs from a snapshot (brokers without logDirs get one dir). */
  load(s: ClusterSnapshot): void {
    for (const b of s.brokers)
      if (b.logDirs?.length)
        this.paths.set(
          b.id,
          b.logDirs.map((d) => d.path),
        );
    for (const p of s.partitions)
      p.replicas.forEach((b, i) => {
        const d = p.logDirs?.[i];
        if (d) this.current.set(k(p.topic, p.partition, b), d);
      });
  }

  /** A broker's dirs. */
  dirsOf(broker: number): string[] {
    return this.paths.get(broker) ?? [`/fake/broker-${broker}/data`];
  }

  /** The dir holding a replica: where it was put, else where it was asked to go, else the first. */
  dirOf(topic: string, partition: number, broker: number): string {
    const key = k(topic, partition, broker);
    return this.current.get(key) ?? this.preferred.get(key) ?? this.dirsOf(broker)[0]!;
  }

  /** The dir a replica is being copied to, if any. */
  futureOf(topic: string, partition: number, broker: number): string | undefined {
    return this.future.get(k(topic, partition, broker));
  }

  /** Completes every move in progress; returns how many. */
  completeMoves(): number {
    for (const [key, d] of this.future) this.current.set(key, d);
    const n = this.future.size;
    this.future.clear();
    return n;
  }

  /** AlterReplicaLogDirs; `hosts` says whether the broker hosts the replica, `online` whether it answers. */
  alter(
    moves: LogDirMoveRequest[],
    hosts: (m: LogDirMoveRequest) => boolean,
    online: (b: number) => boolean,
  ): LogDirMoveResult[] {
    return moves.map((m) => {
      const error = this.alterOne(m, hosts, online);
      return error ? { ...m, error } : { ...m };
    });
  }

  private alterOne(
    m: LogDirMoveRequest,
    hosts: (m: LogDirMoveRequest) => boolean,
    online: (b: number) => boolean,
  ): KafkaErrorInfo | undefined {
    if (!online(m.brokerId))
      return kafkaError(ErrorCode.BROKER_NOT_AVAILABLE, `broker ${m.brokerId} is not reachable`);
    if (!this.dirsOf(m.brokerId).includes(m.path))
      return kafkaError(LOG_DIR_NOT_FOUND, `no log dir ${m.path}`);
    const key = k(m.topic, m.partition, m.brokerId);
    if (!hosts(m)) {
      this.preferred.set(key, m.path);
      return kafkaError(ErrorCode.REPLICA_NOT_AVAILABLE);
    }
    if (this.dirOf(m.topic, m.partition, m.brokerId) === m.path) {
      this.future.delete(key);
      return undefined;
    }
    if (this.hold) this.future.set(key, m.path);
    else this.current.set(key, m.path);
    return undefined;
  }
}
