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

export function evaluatePartitions(
  input: PartitionInput,
  th: PartitionThresholds = DEFAULT_PARTITION_THRESHOLDS,
): PartitionReport {
  const { snapshot } = input;
  const findings: Finding[] = [];
  const limit = partitionLimitFor(input.instanceType, input.brokerType);
  const loads = brokerLoads(snapshot);

  const brokers = loads.map((l) => {
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
  // An instance type given explicitly (--instance-type, a snapshot's instanceType) asks for the check.
  if (
    !limit &&
    input.brokerType !== 'serverless' &&
    (input.brokerType !== 'self-managed' || input.instanceType !== undefined)
  ) {
    findings.push({
      severity: 'UNKNOWN',
      code: 'partitions.limit-unknown',
      subject: snapshot.cluster,
      message: `no MSK partition limit known for instance type ${input.instanceType ?? '(unknown)'}`,
      advice: 'Set instanceType in the config or allow kafka:DescribeClusterV2.',
    });
  }

  // Replication health.
  let urp = 0;
  let underMin = 0;
  let offline = 0;
  let notPreferred = 0;
  const urpList: string[] = [];
  const underMinList: string[] = [];
  const offlineList: string[] = [];
  const rfByTopic = new Map<string, number>();
  for (const p of snapshot.partitions) {
    const name = `${p.topic}-${p.partition}`;
    const rf = p.replicas.length;
    const prev = rfByTopic.get(p.topic);
    if (prev === undefined || rf < prev) rfByTopic.set(p.topic, rf);
    if (p.leader < 0) {
      offline++;
      if (offlineList.length < MAX_LISTED) offlineList.push(name);
      continue;
    }
    if (p.leader !== p.replicas[0]) notPreferred++;
    if (input.live && p.isr) {
      if (p.isr.length < rf) {
        urp++;
        if (urpList.length < MAX_LISTED) urpList.push(name);
      }
      const minIsr = input.minIsr?.get(p.topic) ?? input.defaultMinIsr;
      if (minIsr !== undefined && p.isr.length < minIsr) {
        underMin++;
        if (underMinList.length < MAX_LISTED) underMinList.push(name);
      }
    }
  }
  const more = (n: number, list: string[]) =>
    `${list.join(', ')}${n > list.length ? `, … (${n - list.length} more)` : ''}`;
  if (offline > 0) {
    findings.push({
      severity: 'CRITICAL',
      code: 'partitions.offline',
      subject: snapshot.cluster,
      message: `${offline} offline partition(s) with no leader: ${more(offline, offlineList)}`,
      advice:
        'Bring the brokers holding their replicas back (streamctl runbook broker-down). Unclean leader election loses data: only as a last resort.',
    });
  }
  if (underMin > 0) {
    findings.push({
      severity: 'CRITICAL',
      code: 'partitions.under-min-isr',
      subject: snapshot.cluster,
      message: `${underMin} partition(s) below min.insync.replicas (producers with acks=all fail): ${more(underMin, underMinList)}`,
      advice: 'Restore the lagging or stopped brokers; check broker disk, network and replication throttles.',
    });
  }
  if (urp > 0) {
    findings.push({
      severity: 'WARNING',
      code: 'partitions.under-replicated',
      subject: snapshot.cluster,
      message: `${urp} under-replicated partition(s): ${more(urp, urpList)}`,
      advice:
        'Usually a broker restarting or lagging; if it persists check the broker, its disk and any replication throttle.',
    });
  }

  // Leadership.
  const leaderCounts = brokers.map((b) => b.leaders);
  const onlinePartitions = snapshot.partitions.length - offline;
  const meanLeaders = brokers.length ? onlinePartitions / brokers.length : 0;
  const skew = meanLeaders > 0 ? Math.max(...leaderCounts) / meanLeaders : undefined;
  if (skew !== undefined && skew > th.leaderSkew && onlinePartitions >= brokers.length * 2) {
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
  if (onlinePartitions > 0 && notPreferred / onlinePartitions > th.preferredImbalance) {
    findings.push({
      severity: 'WARNING',
      code: 'partitions.preferred-leader-imbalance',
      subject: snapshot.cluster,
      message: `${notPreferred} of ${onlinePartitions} partitions (${((notPreferred / onlinePartitions) * 100).toFixed(1)}%) are not led by their preferred replica`,
      advice: 'Run a preferred leader election (ElectLeaders PREFERRED); check auto.leader.rebalance.enable.',
    });
  }

  // Durability configuration per topic.
  const brokerCount = snapshot.brokers.length;
  const lowRf: string[] = [];
  for (const [topic, rf] of rfByTopic) {
    if (topic.startsWith('__')) continue;
    if (rf < 3 && brokerCount >= 3) lowRf.push(`${topic} (RF ${rf})`);
    const minIsr = input.minIsr?.get(topic) ?? input.defaultMinIsr;
    if (minIsr === undefined) continue;
    if (minIsr > rf) {
      findings.push({
        severity: 'CRITICAL',
        code: 'topics.min-isr-above-rf',
        subject: topic,
        message: `min.insync.replicas=${minIsr} exceeds the replication factor ${rf}: every acks=all write fails`,
        advice: `Set min.insync.replicas to ${Math.max(1, rf - 1)} or raise the replication factor.`,
      });
    } else if (minIsr === rf && rf > 1) {
      findings.push({
        severity: 'WARNING',
        code: 'topics.min-isr-equals-rf',
        subject: topic,
        message: `min.insync.replicas=${minIsr} equals the replication factor: any broker restart (including MSK patching) blocks acks=all producers`,
        advice: `Use RF 3 with min.insync.replicas 2 (set min.insync.replicas=${rf - 1}).`,
      });
    } else if (minIsr === 1 && rf >= 3) {
      findings.push({
        severity: 'WARNING',
        code: 'topics.min-isr-one',
        subject: topic,
        message: `min.insync.replicas=1 with RF ${rf}: an acknowledged write can be lost with a single broker`,
        advice: 'Set min.insync.replicas=2 for topics that need durability.',
      });
    }
  }
  if (lowRf.length > 0) {
    findings.push({
      severity: 'WARNING',
      code: 'topics.low-replication-factor',
      subject: snapshot.cluster,
      message: `${lowRf.length} topic(s) with replication factor below 3: ${lowRf.slice(0, MAX_LISTED).join(', ')}${lowRf.length > MAX_LISTED ? ', …' : ''}`,
      advice:
        'Increase the replication factor with a reassignment that adds replicas (MSK recommends RF 3 across three AZs).',
    });
  }

  const totals: PartitionReport['totals'] = {
    partitions: snapshot.partitions.length,
    replicas: brokers.reduce((s, b) => s + b.partitions, 0),
    offline,
    notPreferredLeader: notPreferred,
    ...(skew === undefined ? {} : { leaderSkew: skew }),
    ...(input.live ? { underReplicated: urp, underMinIsr: underMin } : {}),
  };
  const report: PartitionReport = {
    cluster: snapshot.cluster,
    severity: worst(...findings.map((f) => f.severity)),
    brokers,
    totals,
    findings,
  };
  if (limit) report.limit = limit;
  return report;
}
