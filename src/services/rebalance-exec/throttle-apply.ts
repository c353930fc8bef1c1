/**
 * Replication throttles for an execution, as config changes (pure; the executor sends them).
 *
 * Kafka throttles replication with two things that must both be set (docs/reference.md §Throttles):
 *   - broker rates `leader.replication.throttled.rate` / `follower.replication.throttled.rate`
 *     (bytes/s) on every broker involved, and
 *   - topic lists `leader.replication.throttled.replicas` (the sources: `partition:broker` for the
 *     current replicas, any of which may be the leader serving the copy) and
 *     `follower.replication.throttled.replicas` (the destinations: the replicas being added).
 * Apache's tool sets the same keys. We APPEND our `partition:broker` entries and SUBTRACT exactly
 * those at the end (IncrementalAlterConfigs, KIP-339), and restore each broker rate to the value
 * it had before, so an operator's own throttles survive. Every entry is recorded in the state
 * file BEFORE it is sent, so a crash can never leave a throttle nobody knows about.
 */
import type { ConfigChange, ConfigResult } from '../../probes/kafka-admin/port.js';
import type { ThrottleRecord } from './execution-state.js';

export const LEADER_RATE = 'leader.replication.throttled.rate';
export const FOLLOWER_RATE = 'follower.replication.throttled.rate';
export const LEADER_REPLICAS = 'leader.replication.throttled.replicas';
export const FOLLOWER_REPLICAS = 'follower.replication.throttled.replicas';
/** The broker's rate for copies between its own log dirs (AlterReplicaLogDirs), bytes per second. */
export const ALTER_DIRS_RATE = 'replica.alter.log.dirs.io.max.bytes.per.second';

/** The minimum a move needs to describe its throttles. */
export interface ThrottledMove {
  topic: string;
  partition: number;
  from: number[];
  adding: number[];
  replicas: number[];
}

/** What a batch needs throttled: brokers (rates) and per-topic replica entries. */
export interface ThrottleNeeds {
  brokers: number[];
  topics: Map<string, { leader: string[]; follower: string[] }>;
}

/** The throttle entries of a batch's data-copying moves (leader-only moves need none). */
export function throttleNeeds(moves: ThrottledMove[]): ThrottleNeeds {
  const brokers = new Set<number>();
  const topics = new Map<string, { leader: string[]; follower: string[] }>();
  for (const m of moves) {
    if (m.adding.length === 0) continue;
    const t = topics.get(m.topic) ?? { leader: [], follower: [] };
    topics.set(m.topic, t);
    for (const b of m.from) {
      t.leader.push(`${m.partition}:${b}`);
      brokers.add(b);
    }
    for (const b of m.adding) t.follower.push(`${m.partition}:${b}`);
    for (const b of m.replicas) brokers.add(b);
  }
  return { brokers: [...brokers].sort((a, b) => a - b), topics };
}

/** An empty record at the given rate. */
export function emptyThrottleRecord(rateBytesPerSec: number | null): ThrottleRecord {
  return { rateBytesPerSec, brokers: {}, topics: {} };
}

const dynamicBrokerValue = (r: ConfigResult | undefined, key: string): string | null => {
  const e = r?.entries.find((x) => x.name === key);
  // Only a per-broker dynamic value is ours to restore; a cluster default stays where it is.
  return e && e.source === 'dynamic-broker' ? e.value : null;
};

/**
 * The next throttle record and the config changes that set a batch's throttles. `brokerConfigs`
 * are the current configs of the brokers not yet in the record (their previous rates are kept to
 * restore); `topicConfigs` the current throttled-replica lists of the batch's topics, so entries
 * someone else already set (or `*`) are neither appended nor, later, subtracted.
 */
export function throttleSetPlan(
  record: ThrottleRecord,
  needs: ThrottleNeeds,
  brokerConfigs: ConfigResult[],
  topicConfigs: ConfigResult[],
): { record: ThrottleRecord; changes: ConfigChange[] } {
  const rate = record.rateBytesPerSec;
  if (rate === null) return { record, changes: [] };
  const next: ThrottleRecord = {
    rateBytesPerSec: rate,
    brokers: { ...record.brokers },
    topics: { ...record.topics },
  };
  const changes: ConfigChange[] = [];
  for (const b of needs.brokers) {
    const key = String(b);
    if (!next.brokers[key]) {
      const cfg = brokerConfigs.find((c) => c.name === key);
      next.brokers[key] = {
        leader: dynamicBrokerValue(cfg, LEADER_RATE),
        follower: dynamicBrokerValue(cfg, FOLLOWER_RATE),
      };
    }
    changes.push({
      type: 'broker',
      name: key,
      ops: [
        { name: LEADER_RATE, op: 'set', value: String(rate) },
        { name: FOLLOWER_RATE, op: 'set', value: String(rate) },
      ],
    });
  }
  for (const [topic, want] of [...needs.topics].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const cfg = topicConfigs.find((c) => c.name === topic);
    const existing = (k: string) =>
      (cfg?.entries.find((e) => e.name === k)?.value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const mine = next.topics[topic] ?? { leader: [], follower: [] };
    const fresh = (k: string, entries: string[], ours: string[]) => {
      const there = existing(k);
      if (there.includes('*')) return [];
      return [...new Set(entries)].filter((e) => !ours.includes(e) && !there.includes(e));
    };
    const addLeader = fresh(LEADER_REPLICAS, want.leader, mine.leader);
    const addFollower = fresh(FOLLOWER_REPLICAS, want.follower, mine.follower);
    if (addLeader.length === 0 && addFollower.length === 0) continue;
    next.topics[topic] = {
      leader: [...mine.leader, ...addLeader],
      follower: [...mine.follower, ...addFollower],
    };
    const ops: ConfigChange['ops'] = [];
    if (addLeader.length) ops.push({ name: LEADER_REPLICAS, op: 'append', value: addLeader.join(',') });
    if (addFollower.length) ops.push({ name: FOLLOWER_REPLICAS, op: 'append', value: addFollower.join(',') });
    changes.push({ type: 'topic', name: topic, ops });
  }
  return { record: next, changes };
}

/**
 * The changes that remove some of our topic entries (a finished batch's), and the record without
 * them. Broker rates stay until the end: without throttled replicas they slow nothing.
 */
export function throttleReleasePlan(
  record: ThrottleRecord,
  needs: ThrottleNeeds,
): { record: ThrottleRecord; changes: ConfigChange[] } {
  const next: ThrottleRecord = { ...record, topics: { ...record.topics } };
  const changes: ConfigChange[] = [];
  for (const [topic, done] of needs.topics) {
    const mine = next.topics[topic];
    if (!mine) continue;
    const leader = mine.leader.filter((e) => done.leader.includes(e));
    const follower = mine.follower.filter((e) => done.follower.includes(e));
    if (!leader.length && !follower.length) continue;
    const ops: ConfigChange['ops'] = [];
    if (leader.length) ops.push({ name: LEADER_REPLICAS, op: 'subtract', value: leader.join(',') });
    if (follower.length) ops.push({ name: FOLLOWER_REPLICAS, op: 'subtract', value: follower.join(',') });
    changes.push({ type: 'topic', name: topic, ops });
    const rest = {
      leader: mine.leader.filter((e) => !leader.includes(e)),
      follower: mine.follower.filter((e) => !follower.includes(e)),
    };
    if (rest.leader.length || rest.follower.length) next.topics[topic] = rest;
    else delete next.topics[topic];
  }
  return { record: next, changes };
}

/** Every change that undoes what the record lists: topic entries subtracted, broker rates restored. */
export function throttleClearPlan(record: ThrottleRecord): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const [topic, mine] of Object.entries(record.topics).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ops: ConfigChange['ops'] = [];
    if (mine.leader.length) ops.push({ name: LEADER_REPLICAS, op: 'subtract', value: mine.leader.join(',') });
    if (mine.follower.length)
      ops.push({ name: FOLLOWER_REPLICAS, op: 'subtract', value: mine.follower.join(',') });
    if (ops.length) changes.push({ type: 'topic', name: topic, ops });
  }
  const restore = (name: string, prev: string | null): ConfigChange['ops'][number] =>
    prev === null ? { name, op: 'delete' } : { name, op: 'set', value: prev };
  const dirs = record.dirBrokers ?? {};
  const brokers = [...new Set([...Object.keys(record.brokers), ...Object.keys(dirs)])];
  for (const broker of brokers.sort((a, b) => Number(a) - Number(b))) {
    const prev = record.brokers[broker];
    const ops: ConfigChange['ops'] = prev
      ? [restore(LEADER_RATE, prev.leader), restore(FOLLOWER_RATE, prev.follower)]
      : [];
    if (broker in dirs) ops.push(restore(ALTER_DIRS_RATE, dirs[broker]!));
    changes.push({ type: 'broker', name: broker, ops });
  }
  return changes;
}

/**
 * The record with the intra-broker copy rate recorded for `brokers` not yet in it (their current
 * per-broker values, to restore), and the changes that set it to the execution's rate.
 */
export function dirThrottleSetPlan(
  record: ThrottleRecord,
  brokers: readonly number[],
  brokerConfigs: ConfigResult[],
): { record: ThrottleRecord; changes: ConfigChange[] } {
  const rate = record.rateBytesPerSec;
  if (rate === null) return { record, changes: [] };
  const dirBrokers = { ...(record.dirBrokers ?? {}) };
  for (const b of brokers) {
    const key = String(b);
    if (!(key in dirBrokers))
      dirBrokers[key] = dynamicBrokerValue(
        brokerConfigs.find((c) => c.name === key),
        ALTER_DIRS_RATE,
      );
  }
  const changes: ConfigChange[] = brokers.map((b) => ({
    type: 'broker',
    name: String(b),
    ops: [{ name: ALTER_DIRS_RATE, op: 'set', value: String(rate) }],
  }));
  return { record: { ...record, dirBrokers }, changes };
}

/** Whether a record still lists anything to clear. */
export function hasThrottles(record: ThrottleRecord): boolean {
  return (
    Object.keys(record.brokers).length > 0 ||
    Object.keys(record.topics).length > 0 ||
    Object.keys(record.dirBrokers ?? {}).length > 0
  );
}
