import { type Finding, type Severity, worst } from '../core/severity.js';
import type { ClusterSnapshot } from '../domain/snapshot.js';
import { type BrokerLoad, brokerLoads } from '../monitors/broker-load.js';
import {
  DEFAULT_DISK_THRESHOLDS,
  type DiskInput,
  type DiskReport,
  type DiskThresholds,
  evaluateDisk,
  type LogDirUsage,
} from '../monitors/disk.js';
import type { UsageSample } from '../monitors/forecast.js';
import type { BrokerType } from '../monitors/msk-limits.js';
import { evaluatePartitions, type PartitionReport } from '../monitors/partitions.js';

/**
 * Everything the Kafka monitors need about one cluster, gathered by the probes (live) or read
 * from a snapshot (offline what-if). Plain data: the monitors stay pure.
 */
export interface KafkaObservation {
  cluster: string;
  brokerType: BrokerType;
  instanceType?: string;
  /** Partitions with replicas, leader, size and (live) ISR. */
  snapshot: ClusterSnapshot;
  live: boolean;
  /** Per broker: log dirs from DescribeLogDirs (self-managed) */
  logDirs?: Map<number, LogDirUsage[]>;
  /** Per broker: CloudWatch KafkaDataLogsDiskUsed (MSK Standard), latest value. */
  reportedDiskPercent?: Map<number, number>;
  /** Per broker usage history for the time-to-full forecast. */
  history?: Map<number, UsageSample[]>;
  minIsr?: Map<string, number>;
  defaultMinIsr?: number;
  autoScaling?: DiskInput['autoScaling'];
  storageUsedBytes?: number;
  /** Per-broker CloudWatch figures (MSK). */
  brokerMetrics?: Map<
    number,
    {
      cpuPercent?: number;
      connections?: number;
      bytesInPerSec?: number;
      bytesOutPerSec?: number;
      memoryUsedPercent?: number;
    }
  >;
  /** Problems met while observing (a probe that failed): each becomes an UNKNOWN finding. */
  gaps?: Finding[];
}

/** The `--json` shape shared by `kafka disk` and `kafka partitions` (docs/commands.md). */
export interface BrokerRow {
  id: number;
  rack?: string;
  partitions: number;
  leaders: number;
  usedBytes?: number;
  capacityBytes?: number;
  usedPercent?: number;
}

export interface DiskResult {
  cluster: string;
  source: 'live' | 'snapshot';
  severity: Severity;
  brokers: Array<
    BrokerRow & { severity: Severity; growthBytesPerDay?: number; timeToFullMs?: number; logDirs?: unknown[] }
  >;
  findings: Finding[];
  recommendedCapacityBytes?: number;
}

export function diskResult(
  obs: KafkaObservation,
  thresholds: DiskThresholds = DEFAULT_DISK_THRESHOLDS,
): DiskResult {
  const loads = new Map(brokerLoads(obs.snapshot).map((l) => [l.id, l]));
  const input: DiskInput = {
    cluster: obs.cluster,
    brokerType: obs.brokerType,
    brokers: obs.snapshot.brokers.map((b) => {
      const l = loads.get(b.id);
      const logDirs = obs.logDirs?.get(b.id);
      const reported = obs.reportedDiskPercent?.get(b.id);
      const history = obs.history?.get(b.id);
      // With log-dir totals the disk's own used bytes are authoritative; else Kafka data bytes.
      const hasDirTotals =
        logDirs?.length && logDirs.every((d) => d.totalBytes !== undefined && d.usableBytes !== undefined);
      return {
        id: b.id,
        ...(hasDirTotals || !l ? {} : { usedBytes: l.usedBytes }),
        // With log-dir volume totals the monitor derives capacity itself (one volume counted once).
        ...(typeof b.capacityBytes === 'number' && !hasDirTotals ? { capacityBytes: b.capacityBytes } : {}),
        ...(reported === undefined ? {} : { reportedPercent: reported }),
        ...(logDirs ? { logDirs } : {}),
        ...(history ? { history } : {}),
      };
    }),
    ...(obs.autoScaling ? { autoScaling: obs.autoScaling } : {}),
    ...(obs.storageUsedBytes === undefined ? {} : { storageUsedBytes: obs.storageUsedBytes }),
  };
  const report: DiskReport = evaluateDisk(input, thresholds);
  const findings = [...(obs.gaps ?? []), ...report.findings];
  const severity = obs.gaps?.length ? worst(report.severity, 'UNKNOWN') : report.severity;
  return {
    cluster: obs.cluster,
    source: obs.live ? 'live' : 'snapshot',
    severity,
    brokers: report.brokers.map((b) => {
      const l = loads.get(b.id);
      return {
        ...row(l, b.id),
        ...(b.usedBytes === undefined ? {} : { usedBytes: b.usedBytes }),
        ...(b.capacityBytes === undefined ? {} : { capacityBytes: b.capacityBytes }),
        ...(b.usedPercent === undefined ? {} : { usedPercent: b.usedPercent }),
        severity: b.severity,
        ...(b.growthBytesPerDay === undefined ? {} : { growthBytesPerDay: b.growthBytesPerDay }),
        ...(b.timeToFullMs === undefined ? {} : { timeToFullMs: b.timeToFullMs }),
        ...(b.logDirs.length ? { logDirs: b.logDirs } : {}),
      };
    }),
    findings,
    ...(report.recommendedCapacityBytes === undefined
      ? {}
      : { recommendedCapacityBytes: report.recommendedCapacityBytes }),
  };
}

export interface PartitionsResult {
  cluster: string;
  source: 'live' | 'snapshot';
  severity: Severity;
  limit?: PartitionReport['limit'];
  totals: PartitionReport['totals'];
  brokers: Array<BrokerRow & { limitSeverity: Severity }>;
  findings: Finding[];
}

export function partitionsResult(obs: KafkaObservation): PartitionsResult {
  const report = evaluatePartitions({
    snapshot: obs.snapshot,
    brokerType: obs.brokerType,
    live: obs.live,
    ...(obs.instanceType ? { instanceType: obs.instanceType } : {}),
    ...(obs.minIsr ? { minIsr: obs.minIsr } : {}),
    ...(obs.defaultMinIsr === undefined ? {} : { defaultMinIsr: obs.defaultMinIsr }),
  });
  const findings = [...(obs.gaps ?? []), ...report.findings];
  return {
    cluster: obs.cluster,
    source: obs.live ? 'live' : 'snapshot',
    severity: obs.gaps?.length ? worst(report.severity, 'UNKNOWN') : report.severity,
    ...(report.limit ? { limit: report.limit } : {}),
    totals: report.totals,
    brokers: report.brokers.map((b) => ({ ...row(b, b.id), limitSeverity: b.limitSeverity })),
    findings,
  };
}

function row(l: BrokerLoad | undefined, id: number): BrokerRow {
  if (!l) return { id, partitions: 0, leaders: 0 };
  return {
    id,
    ...(l.rack ? { rack: l.rack } : {}),
    partitions: l.partitions,
    leaders: l.leaders,
    usedBytes: l.usedBytes,
    ...(l.capacityBytes === undefined ? {} : { capacityBytes: l.capacityBytes }),
    ...(l.usedPercent === undefined ? {} : { usedPercent: l.usedPercent }),
  };
}

/** Builds an offline observation from a snapshot file's contents (what-if mode). */
export function observationFromSnapshot(
  snapshot: ClusterSnapshot,
  opts: { brokerType?: BrokerType; instanceType?: string },
): KafkaObservation {
  const extra = snapshot as unknown as { brokerType?: string; instanceType?: string };
  const brokerType = (opts.brokerType ??
    (isBrokerType(extra.brokerType) ? extra.brokerType : 'self-managed')) as BrokerType;
  const instanceType =
    opts.instanceType ?? (typeof extra.instanceType === 'string' ? extra.instanceType : undefined);
  return {
    cluster: snapshot.cluster,
    brokerType,
    ...(instanceType ? { instanceType } : {}),
    snapshot,
    live: false,
  };
}

function isBrokerType(x: unknown): x is BrokerType {
  return x === 'standard' || x === 'express' || x === 'serverless' || x === 'self-managed';
}
