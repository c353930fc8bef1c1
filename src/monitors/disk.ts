import { formatBytes, formatDuration } from '../core/output.js';
import { type Finding, type Severity, worst } from '../core/severity.js';
import { type Trend, timeUntil, trendOf, type UsageSample } from './forecast.js';
import type { BrokerType } from './msk-limits.js';
import { distinctVolumes } from './volumes.js';

/**
 * The disk monitor (pure). Per broker and per log dir: used bytes and percent against WARNING
 * (default 60%) and CRITICAL (default 80%) — the thresholds at which MSK itself alerts — a
 * time-to-full forecast from the growth trend, and advice on how much storage to add.
 */
export interface LogDirUsage {
  path: string;
  usedBytes?: number;
  totalBytes?: number;
  usableBytes?: number;
  /** An offline/failed log dir (DescribeLogDirs error). */
  error?: string;
}

export interface BrokerDiskInput {
  id: number;
  /** Bytes of Kafka data on the broker (replica sizes). */
  usedBytes?: number;
  capacityBytes?: number;
  /** Disk used percent as reported by the platform (MSK: CloudWatch KafkaDataLogsDiskUsed). */
  reportedPercent?: number;
  logDirs?: LogDirUsage[];
  /** Usage history for the trend, oldest first. */
  history?: UsageSample[];
}

export interface DiskInput {
  cluster: string;
  brokerType: BrokerType;
  brokers: BrokerDiskInput[];
  /** MSK storage auto-scaling, when known. */
  autoScaling?: { enabled: boolean; targetPercent?: number; maxCapacityGiB?: number };
  /** Express: cluster StorageUsed bytes, when known. */
  storageUsedBytes?: number;
}

export interface DiskThresholds {
  warnPercent: number;
  critPercent: number;
  /** Forecast horizon that raises WARNING when the disk fills within it (default 7 days). */
  warnHorizonMs: number;
  /** Forecast horizon that raises CRITICAL (default 24 hours). */
  critHorizonMs: number;
  /** Utilisation to size storage for when advising (MSK recommends 50–60%). */
  targetPercent: number;
  /** Growth period to size for when advising (default 30 days). */
  planAheadMs: number;
}

export const DEFAULT_DISK_THRESHOLDS: DiskThresholds = {
  warnPercent: 60,
  critPercent: 80,
  warnHorizonMs: 7 * 86_400_000,
  critHorizonMs: 86_400_000,
  targetPercent: 50,
  planAheadMs: 30 * 86_400_000,
};

export interface BrokerDiskReport {
  id: number;
  usedBytes?: number;
  capacityBytes?: number;
  usedPercent?: number;
  severity: Severity;
  growthBytesPerDay?: number;
  timeToWarnMs?: number;
  timeToCritMs?: number;
  timeToFullMs?: number;
  logDirs: Array<LogDirUsage & { usedPercent?: number }>;
}

export interface DiskReport {
  cluster: string;
  brokerType: BrokerType;
  severity: Severity;
  brokers: BrokerDiskReport[];
  findings: Finding[];
  /** Recommended storage per broker (bytes) when growth demands more, else undefined. */
  recommendedCapacityBytes?: number;
}

const GiB = 1024 ** 3;

/** Evaluates disk usage for one cluster. */
export function evaluateDisk(input: DiskInput, t: DiskThresholds = DEFAULT_DISK_THRESHOLDS): DiskReport {
  const findings: Finding[] = [];
  if (input.brokerType === 'express' || input.brokerType === 'serverless') {
    findings.push({
      severity: 'OK',
      code: 'disk.not-applicable',
      subject: input.cluster,
      message: `${input.brokerType === 'express' ? 'Express' : 'Serverless'} clusters have no per-broker storage to fill or provision${
        input.storageUsedBytes === undefined ? '' : `; StorageUsed is ${formatBytes(input.storageUsedBytes)}`
      }.`,
      advice:
        'Storage is elastic and billed per GB: watch StorageUsed and topic retention (retention.ms / retention.bytes) instead.',
    });
    return { cluster: input.cluster, brokerType: input.brokerType, severity: 'OK', brokers: [], findings };
  }

  const brokers = input.brokers.map((b) => evaluateBroker(b, t, findings));
  const report: DiskReport = {
    cluster: input.cluster,
    brokerType: input.brokerType,
    severity: 'OK',
    brokers,
    findings,
  };
  const spread = imbalance(brokers);
  const rec = adviseCapacity(input, brokers, t, Boolean(spread));
  if (rec) {
    report.recommendedCapacityBytes = rec.capacityBytes;
    findings.push(rec.finding);
  }
  if (spread) findings.push(spread);
  // Every finding counts, the cluster-wide ones (imbalance, storage advice) included.
  report.severity = worst(...brokers.map((b) => b.severity), ...findings.map((f) => f.severity));
  return report;
}

/** One broker: offline log dirs, usage against the thresholds, and the forecast to full. */
function evaluateBroker(b: BrokerDiskInput, t: DiskThresholds, findings: Finding[]): BrokerDiskReport {
  const subject = `broker ${b.id}`;
  const logDirs = (b.logDirs ?? []).map((d) => {
    const used =
      d.totalBytes !== undefined && d.usableBytes !== undefined ? d.totalBytes - d.usableBytes : undefined;
    const pct = used !== undefined && d.totalBytes ? (used / d.totalBytes) * 100 : undefined;
    return { ...d, ...(pct === undefined ? {} : { usedPercent: pct }) };
  });
  const usage = brokerUsage(b, logDirs);
  const report: BrokerDiskReport = { id: b.id, severity: 'OK', logDirs };
  if (usage.usedBytes !== undefined) report.usedBytes = usage.usedBytes;
  if (usage.capacityBytes !== undefined) report.capacityBytes = usage.capacityBytes;
  if (usage.usedPercent !== undefined) report.usedPercent = usage.usedPercent;
  const own: Finding[] = [
    ...logDirs.filter((d) => d.error).map((d) => offlineLogDir(subject, d.path, d.error!)),
    ...usageFindings(subject, usage.usedPercent, t),
    ...forecast(report, b, usage, t),
  ];
  findings.push(...own);
  report.severity = worst(...own.map((f) => f.severity));
  return report;
}

function offlineLogDir(subject: string, path: string, error: string): Finding {
  return {
    severity: 'CRITICAL',
    code: 'disk.log-dir-offline',
    subject: `${subject} ${path}`,
    message: `log dir ${path} reports ${error}: its partitions are offline on this broker`,
    advice:
      'Check the volume (full or failed disk) and the broker log; replace the volume or free space, then restart the broker.',
  };
}

/** A broker's used bytes, capacity and percent, from whichever sources it has. */
interface BrokerUsage {
  usedBytes?: number;
  capacityBytes?: number;
  usedPercent?: number;
}

function brokerUsage(
  b: BrokerDiskInput,
  logDirs: ReadonlyArray<LogDirUsage & { usedPercent?: number }>,
): BrokerUsage {
  // Broker percent: platform-reported first (MSK), else the fullest log dir (one full dir takes
  // its partitions offline), else Kafka data against the known capacity.
  const dirPercents = logDirs.map((d) => d.usedPercent).filter((x): x is number => x !== undefined);
  let usedPercent = b.reportedPercent ?? (dirPercents.length ? Math.max(...dirPercents) : undefined);
  // Several log dirs often live on one filesystem: count that volume once (volumes.ts).
  const volumes = distinctVolumes(logDirs);
  const capacityBytes = b.capacityBytes ?? sumDefined(volumes.map((d) => d.totalBytes));
  let usedBytes = b.usedBytes;
  if (
    usedBytes === undefined &&
    volumes.length &&
    volumes.every((d) => d.totalBytes !== undefined && d.usableBytes !== undefined)
  ) {
    usedBytes = volumes.reduce((s, d) => s + (d.totalBytes! - d.usableBytes!), 0);
  }
  if (usedPercent === undefined && usedBytes !== undefined && capacityBytes)
    usedPercent = (usedBytes / capacityBytes) * 100;
  if (usedBytes === undefined && usedPercent !== undefined && capacityBytes)
    usedBytes = (usedPercent / 100) * capacityBytes;
  return {
    ...(usedBytes === undefined ? {} : { usedBytes }),
    ...(capacityBytes === undefined ? {} : { capacityBytes }),
    ...(usedPercent === undefined ? {} : { usedPercent }),
  };
}

/** UNKNOWN without a figure; CRITICAL or WARNING at the thresholds. */
function usageFindings(subject: string, usedPercent: number | undefined, t: DiskThresholds): Finding[] {
  if (usedPercent === undefined)
    return [
      {
        severity: 'UNKNOWN',
        code: 'disk.unknown',
        subject,
        message: 'disk usage could not be read (no metric, no log-dir totals and no known capacity)',
        advice:
          'Set brokerCapacityBytes in the config, or check the CloudWatch/DescribeLogDirs access (`streamctl doctor`).',
      },
    ];
  if (usedPercent >= t.critPercent)
    return [
      {
        severity: 'CRITICAL',
        code: 'disk.usage',
        subject,
        message: `disk ${usedPercent.toFixed(1)}% used (critical at ${t.critPercent}%)`,
        advice:
          'Act now: add storage, lower retention on the largest topics, or move partitions off this broker (streamctl kafka rebalance plan --light).',
      },
    ];
  if (usedPercent >= t.warnPercent)
    return [
      {
        severity: 'WARNING',
        code: 'disk.usage',
        subject,
        message: `disk ${usedPercent.toFixed(1)}% used (warning at ${t.warnPercent}%)`,
      },
    ];
  return [];
}

/**
 * The forecast from history (bytes; percent histories are converted by the caller): fills the
 * report's growth and times, and a finding when the disk fills within a horizon.
 */
function forecast(
  report: BrokerDiskReport,
  b: BrokerDiskInput,
  u: BrokerUsage,
  t: DiskThresholds,
): Finding[] {
  const trend: Trend | undefined = b.history ? trendOf(b.history) : undefined;
  const { capacityBytes, usedBytes } = u;
  if (!trend || !capacityBytes || usedBytes === undefined) return [];
  report.growthBytesPerDay = trend.bytesPerSecond * 86_400;
  const toWarn = timeUntil(usedBytes, (t.warnPercent / 100) * capacityBytes, trend);
  const toCrit = timeUntil(usedBytes, (t.critPercent / 100) * capacityBytes, trend);
  const toFull = timeUntil(usedBytes, capacityBytes, trend);
  if (toWarn !== undefined) report.timeToWarnMs = toWarn;
  if (toCrit !== undefined) report.timeToCritMs = toCrit;
  if (toFull !== undefined) report.timeToFullMs = toFull;
  if (toFull === undefined || toFull <= 0) return [];
  const severity: Severity | undefined =
    toFull <= t.critHorizonMs ? 'CRITICAL' : toFull <= t.warnHorizonMs ? 'WARNING' : undefined;
  if (!severity) return [];
  return [
    {
      severity,
      code: 'disk.time-to-full',
      subject: `broker ${report.id}`,
      message: `at ${formatBytes(trend.bytesPerSecond * 86_400)}/day the disk is full in ${formatDuration(toFull)}`,
      advice:
        'Add storage before it fills (a full broker disk takes its partitions offline), or reduce retention.',
    },
  ];
}

/**
 * Storage advice: when a broker is above the warning threshold or will reach it within the
 * planning period, size every broker so usage after `planAheadMs` of growth sits at the target.
 * MSK storage is added to every broker and can never be decreased, so the advice never
 * overshoots: when brokers are unevenly used it sizes for the mean (what a rebalance achieves),
 * not for the hottest broker.
 */
function adviseCapacity(
  input: DiskInput,
  brokers: BrokerDiskReport[],
  t: DiskThresholds,
  uneven: boolean,
): { capacityBytes: number; finding: Finding } | undefined {
  let current = 0;
  let pressing = false;
  const grown: number[] = [];
  for (const b of brokers) {
    if (b.usedBytes === undefined || !b.capacityBytes) continue;
    current = Math.max(current, b.capacityBytes);
    grown.push(b.usedBytes + Math.max(0, (b.growthBytesPerDay ?? 0) / 86_400_000) * t.planAheadMs);
    if (
      (b.usedPercent ?? 0) >= t.warnPercent ||
      (b.timeToWarnMs !== undefined && b.timeToWarnMs <= t.planAheadMs)
    )
      pressing = true;
  }
  if (!pressing || grown.length === 0) return undefined;
  const basis = uneven ? grown.reduce((s, x) => s + x, 0) / grown.length : Math.max(...grown);
  const needed = basis / (t.targetPercent / 100);
  if (needed <= current || current === 0) return undefined;
  const capacityBytes = Math.ceil(needed / GiB) * GiB;
  const msk = input.brokerType === 'standard';
  const auto = input.autoScaling;
  const autoText = !msk
    ? ''
    : auto === undefined
      ? ' Storage auto-scaling status is unknown.'
      : auto.enabled
        ? ` Storage auto-scaling is on (target ${auto.targetPercent ?? '?'}%${auto.maxCapacityGiB ? `, max ${auto.maxCapacityGiB} GiB` : ''}); it scales at most once every 6 hours.`
        : ' Storage auto-scaling is off: consider enabling it with a 50–60% target.';
  return {
    capacityBytes,
    finding: {
      severity: 'WARNING',
      code: 'disk.add-storage',
      subject: input.cluster,
      message: `size brokers to ${formatBytes(capacityBytes)} each (from ${formatBytes(current)}) to stay near ${t.targetPercent}% after ${formatDuration(t.planAheadMs)} of growth`,
      advice: msk
        ? `Increase EBS storage per broker (UpdateBrokerStorage) to at least ${Math.ceil(capacityBytes / GiB)} GiB. MSK storage can never be scaled down: size for the growth you expect, not more.${autoText}`
        : `Grow the log-dir volumes to at least ${formatBytes(capacityBytes)} per broker, or add brokers and rebalance.`,
    },
  };
}

/** Uneven disk usage across brokers calls for a rebalance, not for more storage on every broker. */
function imbalance(brokers: BrokerDiskReport[]): Finding | undefined {
  const pct = brokers.map((b) => b.usedPercent).filter((x): x is number => x !== undefined);
  if (pct.length < 2) return undefined;
  const max = Math.max(...pct);
  const min = Math.min(...pct);
  if (max - min < 20) return undefined;
  const hot = brokers.find((b) => b.usedPercent === max)!;
  return {
    severity: 'WARNING',
    code: 'disk.imbalance',
    subject: `broker ${hot.id}`,
    message: `disk use ranges from ${min.toFixed(1)}% to ${max.toFixed(1)}% across brokers`,
    advice:
      'Rebalance before adding storage (storage is added to every broker): streamctl kafka rebalance plan --light.',
  };
}

function sumDefined(xs: Array<number | undefined>): number | undefined {
  if (xs.length === 0 || xs.some((x) => x === undefined)) return undefined;
  return xs.reduce<number>((s, x) => s + (x ?? 0), 0);
}
