import { type Finding, type Severity, worst } from '../core/severity.js';
import type { ClusterSnapshot } from '../domain/snapshot.js';
import { type BrokerLoad, brokerLoads } from './broker-load.js';
import { type BrokerType, type PartitionLimit, partitionLimitFor } from './msk-limits.js';

/**
 * The partition monitor (pure): partitions per broker against the MSK limits for the broker size,
 * under-replicated / under-min-ISR / offline partitions, leader skew, preferred-leader imbalance,
 * and topics whose replication factor or min.insync.replicas undermine durability or availability.
 */
export interface PartitionInput {
  snapshot: ClusterSnapshot;
  brokerType: BrokerType;
  instanceType?: string;
  /** Per-topic min.insync.replicas (topic override or broker default). */
  minIsr?: Map<string, number>;
  /** Broker default min.insync.replicas when a topic has no override. */
  defaultMinIsr?: number;
  /** Whether ISR was captured (live). Offline what-if snapshots have none: ISR checks are skipped. */
  live: boolean;
}

export interface PartitionThresholds {
  /** Leaders on the busiest broker / mean leaders: WARNING above this (default 1.2). */
  leaderSkew: number;
  /** Share of partitions not led by their preferred replica: WARNING above this (default 0.1). */
  preferredImbalance: number;
}

export const DEFAULT_PARTITION_THRESHOLDS: PartitionThresholds = { leaderSkew: 1.2, preferredImbalance: 0.1 };

export interface PartitionReport {
  cluster: string;
  severity: Severity;
  limit?: PartitionLimit;
  brokers: Array<BrokerLoad & { limitSeverity: Severity }>;
  totals: {
    partitions: number;
    replicas: number;
    underReplicated?: number;
    underMinIsr?: number;
    offline: number;
    notPreferredLeader: number;
    leaderSkew?: number;
  };
  findings: Finding[];
}

/** Finding lists are capped per code so a 200k-partition incident stays readable. */
const MAX_LISTED = 10;

/**
 * Evaluates one snapshot: the per-broker partition limits, replication health, leadership and
 * each topic's durability configuration, in that order of findings.
 */
export function evaluatePartitions(
  input: PartitionInput,
  th: PartitionThresholds = DEFAULT_PARTITION_THRESHOLDS,
): PartitionReport {
  const { snapshot } = input;
  const limit = partitionLimitFor(input.instanceType, input.brokerType);
  const limits = brokerLimitFindings(input, limit);
  const health = replicationHealth(input);
  const leadership = leadershipFindings(snapshot, limits.brokers, health, th);
  const findings: Finding[] = [
    ...limits.findings,
    ...limitUnknownFindings(input, limit),
    ...replicationFindings(snapshot.cluster, health),
    ...leadership.findings,
    ...durabilityFindings(input, health.rfByTopic),
  ];
  const totals: PartitionReport['totals'] = {
    partitions: snapshot.partitions.length,
    replicas: limits.brokers.reduce((s, b) => s + b.partitions, 0),
    offline: health.offline.count,
    notPreferredLeader: health.notPreferred,
    ...(leadership.skew === undefined ? {} : { leaderSkew: leadership.skew }),
    ...(input.live ? { underReplicated: health.urp.count, underMinIsr: health.underMin.count } : {}),
  };
  const report: PartitionReport = {
    cluster: snapshot.cluster,
    severity: worst(...findings.map((f) => f.severity)),
    brokers: limits.brokers,
    totals,
    findings,
  };
  if (limit) report.limit = limit;
  return report;
}

/** Each broker's partitions (replicas) against the MSK recommended and maximum counts. */
function brokerLimitFindings(
  input: PartitionInput,
  limit: PartitionLimit | undefined,
): { brokers: PartitionReport['brokers']; findings: Finding[] } {
  const findings: Finding[] = [];
  const brokers = brokerLoads(input.snapshot).map((l) => {
    let limitSeverity: Severity = 'OK';
    if (limit && l.partitions > limit.maximum) {
      limitSeverity = 'CRITICAL';
      findings.push({
        severity: 'CRITICAL',
        code: 'partitions.over-maximum',
        subject: `broker ${l.id}`,
        message: `${l.partitions} partitions (replicas) exceed the maximum of ${limit.maximum} for ${input.instanceType}`,
        advice:
          'MSK blocks configuration and storage updates above the maximum: delete unused topics, reduce partition counts, or add brokers / scale up the broker size.',
      });
    } else if (limit && l.partitions > limit.recommended) {
      limitSeverity = 'WARNING';
      findings.push({
        severity: 'WARNING',
        code: 'partitions.over-recommended',
        subject: `broker ${l.id}`,
        message: `${l.partitions} partitions (replicas) exceed the recommended ${limit.recommended} for ${input.instanceType}`,
        advice:
          'Plan capacity: add brokers (then rebalance) or move to a larger broker size before reaching the maximum.',
      });
    }
    return { ...l, limitSeverity };
  });
  return { brokers, findings };
}

/** UNKNOWN when the limit should apply but is not known for the instance type. */
function limitUnknownFindings(input: PartitionInput, limit: PartitionLimit | undefined): Finding[] {
  // An instance type given explicitly (--instance-type, a snapshot's instanceType) asks for the check.
  const wanted =
    input.brokerType !== 'serverless' &&
    (input.brokerType !== 'self-managed' || input.instanceType !== undefined);
  if (limit || !wanted) return [];
  return [
    {
      severity: 'UNKNOWN',
      code: 'partitions.limit-unknown',
      subject: input.snapshot.cluster,
      message: `no MSK partition limit known for instance type ${input.instanceType ?? '(unknown)'}`,
      advice: 'Set instanceType in the config or allow kafka:DescribeClusterV2.',
    },
  ];
}

/** A count with the first few names (finding lists are capped, see MAX_LISTED). */
interface Tally {
  count: number;
  listed: string[];
}

const tally = (): Tally => ({ count: 0, listed: [] });
const add = (t: Tally, name: string) => {
  t.count++;
  if (t.listed.length < MAX_LISTED) t.listed.push(name);
};
const more = (t: Tally) =>
  `${t.listed.join(', ')}${t.count > t.listed.length ? `, … (${t.count - t.listed.length} more)` : ''}`;

/** Replication state counted over every partition. */
interface ReplicationHealth {
  offline: Tally;
  urp: Tally;
  underMin: Tally;
  notPreferred: number;
  /** The smallest replication factor of each topic. */
  rfByTopic: Map<string, number>;
}

/** Counts offline, under-replicated and under-min-ISR partitions (ISR only when live). */
function replicationHealth(input: PartitionInput): ReplicationHealth {
  const h: ReplicationHealth = {
    offline: tally(),
    urp: tally(),
    underMin: tally(),
    notPreferred: 0,
    rfByTopic: new Map(),
  };
  for (const p of input.snapshot.partitions) {
    const name = `${p.topic}-${p.partition}`;
    const rf = p.replicas.length;
    const prev = h.rfByTopic.get(p.topic);
    if (prev === undefined || rf < prev) h.rfByTopic.set(p.topic, rf);
    if (p.leader < 0) {
      add(h.offline, name);
      continue;
    }
    if (p.leader !== p.replicas[0]) h.notPreferred++;
    if (!input.live || !p.isr) continue;
    if (p.isr.length < rf) add(h.urp, name);
    const minIsr = input.minIsr?.get(p.topic) ?? input.defaultMinIsr;
    if (minIsr !== undefined && p.isr.length < minIsr) add(h.underMin, name);
  }
  return h;
}

/** Offline (CRITICAL), under min ISR (CRITICAL) and under-replicated (WARNING) partitions. */
function replicationFindings(cluster: string, h: ReplicationHealth): Finding[] {
  const findings: Finding[] = [];
  if (h.offline.count > 0) {
    findings.push({
      severity: 'CRITICAL',
      code: 'partitions.offline',
      subject: cluster,
      message: `${h.offline.count} offline partition(s) with no leader: ${more(h.offline)}`,
      advice:
        'Bring the brokers holding their replicas back (streamctl runbook broker-down). Unclean leader election loses data: only as a last resort.',
    });
  }
  if (h.underMin.count > 0) {
    findings.push({
      severity: 'CRITICAL',
      code: 'partitions.under-min-isr',
      subject: cluster,
      message: `${h.underMin.count} partition(s) below min.insync.replicas (producers with acks=all fail): ${more(h.underMin)}`,
      advice: 'Restore the lagging or stopped brokers; check broker disk, network and replication throttles.',
    });
  }
  if (h.urp.count > 0) {
    findings.push({
      severity: 'WARNING',
      code: 'partitions.under-replicated',
      subject: cluster,
      message: `${h.urp.count} under-replicated partition(s): ${more(h.urp)}`,
      advice:
        'Usually a broker restarting or lagging; if it persists check the broker, its disk and any replication throttle.',
    });
  }
  return findings;
}

/** Leader skew across brokers and the share of partitions not led by their preferred replica. */
function leadershipFindings(
  snapshot: ClusterSnapshot,
  brokers: readonly BrokerLoad[],
  h: ReplicationHealth,
  th: PartitionThresholds,
): { skew: number | undefined; findings: Finding[] } {
  const findings: Finding[] = [];
  const online = snapshot.partitions.length - h.offline.count;
  const meanLeaders = brokers.length ? online / brokers.length : 0;
  const skew = meanLeaders > 0 ? Math.max(...brokers.map((b) => b.leaders)) / meanLeaders : undefined;
  if (skew !== undefined && skew > th.leaderSkew && online >= brokers.length * 2) {
    const hot = brokers.reduce((a, b) => (b.leaders > a.leaders ? b : a));
    findings.push({
      severity: 'WARNING',
      code: 'partitions.leader-skew',
      subject: `broker ${hot.id}`,
      message: `broker ${hot.id} leads ${hot.leaders} partitions, ${skew.toFixed(2)}× the mean of ${meanLeaders.toFixed(1)}`,
      advice:
        'Elect preferred leaders first (no data moves); if the preferred replicas themselves are skewed, run a rebalance (leaders are balanced by reordering replicas).',
    });
  }
  if (online > 0 && h.notPreferred / online > th.preferredImbalance) {
    findings.push({
      severity: 'WARNING',
      code: 'partitions.preferred-leader-imbalance',
      subject: snapshot.cluster,
      message: `${h.notPreferred} of ${online} partitions (${((h.notPreferred / online) * 100).toFixed(1)}%) are not led by their preferred replica`,
      advice: 'Run a preferred leader election (ElectLeaders PREFERRED); check auto.leader.rebalance.enable.',
    });
  }
  return { skew, findings };
}

/** Each topic's replication factor and min.insync.replicas against durability and availability. */
function durabilityFindings(input: PartitionInput, rfByTopic: ReadonlyMap<string, number>): Finding[] {
  const findings: Finding[] = [];
  const lowRf: string[] = [];
  for (const [topic, rf] of rfByTopic) {
    if (topic.startsWith('__')) continue;
    if (rf < 3 && input.snapshot.brokers.length >= 3) lowRf.push(`${topic} (RF ${rf})`);
    const minIsr = input.minIsr?.get(topic) ?? input.defaultMinIsr;
    const f = minIsr === undefined ? undefined : minIsrFinding(topic, rf, minIsr);
    if (f) findings.push(f);
  }
  if (lowRf.length > 0) {
    findings.push({
      severity: 'WARNING',
      code: 'topics.low-replication-factor',
      subject: input.snapshot.cluster,
      message: `${lowRf.length} topic(s) with replication factor below 3: ${lowRf.slice(0, MAX_LISTED).join(', ')}${lowRf.length > MAX_LISTED ? ', …' : ''}`,
      advice:
        'Increase the replication factor with a reassignment that adds replicas (MSK recommends RF 3 across three AZs).',
    });
  }
  return findings;
}

/** A topic's min.insync.replicas against its replication factor, if it is a problem. */
function minIsrFinding(topic: string, rf: number, minIsr: number): Finding | undefined {
  if (minIsr > rf)
    return {
      severity: 'CRITICAL',
      code: 'topics.min-isr-above-rf',
      subject: topic,
      message: `min.insync.replicas=${minIsr} exceeds the replication factor ${rf}: every acks=all write fails`,
      advice: `Set min.insync.replicas to ${Math.max(1, rf - 1)} or raise the replication factor.`,
    };
  if (minIsr === rf && rf > 1)
    return {
      severity: 'WARNING',
      code: 'topics.min-isr-equals-rf',
      subject: topic,
      message: `min.insync.replicas=${minIsr} equals the replication factor: any broker restart (including MSK patching) blocks acks=all producers`,
      advice: `Use RF 3 with min.insync.replicas 2 (set min.insync.replicas=${rf - 1}).`,
    };
  if (minIsr === 1 && rf >= 3)
    return {
      severity: 'WARNING',
      code: 'topics.min-isr-one',
      subject: topic,
      message: `min.insync.replicas=1 with RF ${rf}: an acknowledged write can be lost with a single broker`,
      advice: 'Set min.insync.replicas=2 for topics that need durability.',
    };
  return undefined;
}
