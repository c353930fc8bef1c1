/**
 * Runbook: Kafka broker disks filling up. Diagnose with the disk monitor (use per broker, growth,
 * time to full, storage advice) and the largest topics; then offer: rebalance off the hot brokers
 * when use is uneven (moves bytes, adds no space), add storage (MSK storage can never shrink: size
 * for the growth you expect), or lower retention on the largest topics (deletes data).
 */
import { formatBytes, formatDuration } from '../core/output.js';
import type { Severity } from '../core/severity.js';
import { DEFAULT_DISK_THRESHOLDS } from '../monitors/disk.js';
import { planAndReport } from '../rebalancer/report.js';
import { diskResult } from '../services/kafka-monitors.js';
import { clusterConfig } from '../services/kafka-observe.js';
import { executePlan, observe, type RunbookPlan, verifyReassignment } from './kafka-io.js';
import type { FindingLine, Runbook, RunbookOption } from './types.js';

export interface DiskFillingDiagnosis {
  cluster: string;
  brokerType: string;
  mskArn?: string;
  severity: Severity;
  brokers: Array<{
    id: number;
    usedPercent?: number;
    usedBytes?: number;
    capacityBytes?: number;
    growthBytesPerDay?: number;
    timeToFullMs?: number;
    severity: Severity;
  }>;
  findings: Array<{ severity: Severity; code: string; subject: string; message: string; advice?: string }>;
  recommendedCapacityBytes?: number;
  /** Disk use differs by ≥ 20 points across brokers (the monitor's disk.imbalance). */
  uneven: boolean;
  /** Largest topics by bytes on disk (all replicas), largest first. */
  topTopics: Array<{ topic: string; bytes: number }>;
  /** The light rebalance off the hot brokers, when use is uneven. */
  lightPlan?: RunbookPlan & { moves: number; movedBytes: number; estimatedDurationMs: number | null };
}

/** Bytes on disk per topic (size × replicas), largest first (pure). */
export function topTopics(
  partitions: Array<{ topic: string; replicas: number[]; sizeBytes: number }>,
  n = 5,
): Array<{ topic: string; bytes: number }> {
  const by = new Map<string, number>();
  for (const p of partitions) by.set(p.topic, (by.get(p.topic) ?? 0) + p.sizeBytes * p.replicas.length);
  return [...by]
    .map(([topic, bytes]) => ({ topic, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.topic.localeCompare(b.topic))
    .slice(0, n);
}

export const diskFilling: Runbook<DiskFillingDiagnosis> = {
  id: 'disk-filling',
  title: 'Kafka broker disks filling up',
  target: 'cluster',
  when: 'Disk use is above 60/80% on some brokers, or the forecast says a disk fills within days.',
  steps: {
    diagnose: 'Measure disk use, growth and time to full per broker',
    explain: 'Explain the options: rebalance, add storage or lower retention',
    confirm: 'Confirm the chosen action',
    act: 'Run the light rebalance (or print the storage / retention steps)',
    verify: 'Follow the reassignment to the end and measure the disks again',
  },

  async diagnose(ctx, cluster) {
    const c = clusterConfig(ctx.config, cluster);
    const obs = await observe(ctx, cluster);
    const disk = diskResult(obs, {
      ...DEFAULT_DISK_THRESHOLDS,
      warnPercent: c.diskWarnPercent,
      critPercent: c.diskCritPercent,
    });
    const uneven = disk.findings.some((f) => f.code === 'disk.imbalance');
    let lightPlan: DiskFillingDiagnosis['lightPlan'];
    if (uneven && obs.snapshot.brokers.every((b) => typeof b.capacityBytes === 'number')) {
      const { report, plan, rollback } = planAndReport(obs.snapshot, {
        plan: { light: true, lightThreshold: c.diskWarnPercent / 100 },
        ...(ctx.throttleBytesPerSec ? { throttleBytesPerSec: ctx.throttleBytesPerSec } : {}),
      });
      if (plan.partitions.length)
        lightPlan = {
          plan,
          rollback,
          moves: report.figures.replicaMoves,
          movedBytes: report.figures.movedBytes,
          estimatedDurationMs: report.figures.estimatedDurationMs,
        };
    }
    return {
      cluster: c.name,
      brokerType: obs.brokerType,
      ...(c.msk ? { mskArn: c.msk.arn } : {}),
      severity: disk.severity,
      brokers: disk.brokers.map((b) => ({
        id: b.id,
        ...(b.usedPercent === undefined ? {} : { usedPercent: b.usedPercent }),
        ...(b.usedBytes === undefined ? {} : { usedBytes: b.usedBytes }),
        ...(b.capacityBytes === undefined ? {} : { capacityBytes: b.capacityBytes }),
        ...(b.growthBytesPerDay === undefined ? {} : { growthBytesPerDay: b.growthBytesPerDay }),
        ...(b.timeToFullMs === undefined ? {} : { timeToFullMs: b.timeToFullMs }),
        severity: b.severity,
      })),
      findings: disk.findings.map((f) => ({
        severity: f.severity,
        code: f.code,
        subject: f.subject,
        message: f.message,
        ...(f.advice ? { advice: f.advice } : {}),
      })),
      ...(disk.recommendedCapacityBytes === undefined
        ? {}
        : { recommendedCapacityBytes: disk.recommendedCapacityBytes }),
      uneven,
      topTopics: topTopics(obs.snapshot.partitions),
      ...(lightPlan ? { lightPlan } : {}),
    };
  },

  findings(d): FindingLine[] {
    const out: FindingLine[] = d.findings
      .filter((f) => f.severity !== 'OK' || f.code === 'disk.not-applicable')
      .map((f) => ({ severity: f.severity, text: `${f.subject}: ${f.message}` }));
    const hottest = [...d.brokers].sort((a, b) => (b.usedPercent ?? -1) - (a.usedPercent ?? -1))[0];
    if (hottest?.usedPercent !== undefined)
      out.push({
        severity: hottest.severity,
        text: `fullest broker ${hottest.id}: ${hottest.usedPercent.toFixed(1)}% of ${formatBytes(hottest.capacityBytes)}${hottest.timeToFullMs ? `, full in ${formatDuration(hottest.timeToFullMs)}` : ''}`,
      });
    if (d.topTopics.length)
      out.push({
        severity: 'OK',
        text: `largest topics: ${d.topTopics.map((t) => `${t.topic} ${formatBytes(t.bytes)}`).join(', ')}`,
      });
    if (out.length === 0) out.push({ severity: 'OK', text: 'disk use is within the thresholds' });
    const order: Record<Severity, number> = { CRITICAL: 0, UNKNOWN: 1, WARNING: 2, OK: 3 };
    return out.sort((a, b) => order[a.severity] - order[b.severity]);
  },

  options: diskFillingOptions,

  async act(ctx, d, option) {
    if (option.id === 'rebalance-light' && d.lightPlan)
      return executePlan(ctx, d.cluster, 'disk-light', d.lightPlan, {
        runbook: 'disk-filling',
        cluster: d.cluster,
        moves: d.lightPlan.moves,
        movedBytes: d.lightPlan.movedBytes,
      });
    return {
      summary: option.mode === 'manual' ? 'nothing changed: follow the steps below' : 'nothing changed',
      lines: option.instructions ?? option.consequences,
    };
  },

  async verify(ctx, d, option, act) {
    if (option.id !== 'rebalance-light')
      return {
        outcome: 'not-needed',
        summary: 'nothing was changed by streamctl; run the runbook again after the change',
        lines: [],
      };
    return verifyReassignment(ctx, d.cluster, act);
  },
};

/** The options given the diagnosis (pure). */
export function diskFillingOptions(d: DiskFillingDiagnosis): RunbookOption[] {
  if (d.brokerType === 'express' || d.brokerType === 'serverless') return [elasticStorage()];
  const pressing = d.severity === 'WARNING' || d.severity === 'CRITICAL';
  return [
    rebalanceLight(d, pressing),
    addStorage(d, pressing),
    lowerRetention(d, pressing),
    nothingNow(pressing),
  ];
}

/** Express and Serverless: nothing per broker to act on. */
function elasticStorage(): RunbookOption {
  return {
    id: 'none',
    title: 'Nothing to do: storage is elastic',
    mode: 'none',
    destructive: false,
    available: true,
    recommended: true,
    consequences: [
      'Express and Serverless clusters have no per-broker disk; watch StorageUsed and retention (billed per GB).',
    ],
  };
}

/** A light, throttled rebalance off the fullest brokers: evens use out, adds no space. */
function rebalanceLight(d: DiskFillingDiagnosis, pressing: boolean): RunbookOption {
  return {
    id: 'rebalance-light',
    title: 'Rebalance: move partitions off the fullest brokers (throttled)',
    mode: 'automatic',
    destructive: true,
    available: d.lightPlan !== undefined,
    ...(d.lightPlan
      ? {}
      : {
          unavailableReason: d.uneven
            ? 'no light plan: broker capacities are unknown or nothing can move'
            : 'disk use is even across brokers: a rebalance frees nothing',
        }),
    recommended: pressing && d.lightPlan !== undefined,
    consequences: [
      d.lightPlan
        ? `${d.lightPlan.moves} replica move(s), ${formatBytes(d.lightPlan.movedBytes)} copied${d.lightPlan.estimatedDurationMs ? `, about ${formatDuration(d.lightPlan.estimatedDurationMs)} at the throttle` : ''}.`
        : 'Moves replicas from hot brokers to cooler ones.',
      'Adds no space: it evens use out. Replication traffic competes with producers while it runs.',
      'Cancel at any time with `streamctl kafka rebalance cancel` (in-flight moves are reverted).',
    ],
  };
}

/** More storage per broker: MSK's UpdateBrokerStorage (never reversible), or bigger volumes. */
function addStorage(d: DiskFillingDiagnosis, pressing: boolean): RunbookOption {
  const msk = d.brokerType === 'standard';
  const gib = d.recommendedCapacityBytes ? Math.ceil(d.recommendedCapacityBytes / 1024 ** 3) : undefined;
  return {
    id: 'add-storage',
    title: msk ? 'Add EBS storage to every broker (UpdateBrokerStorage)' : 'Grow the log-dir volumes',
    mode: 'manual',
    destructive: false,
    available: pressing,
    ...(pressing ? {} : { unavailableReason: 'disk use is within the thresholds' }),
    recommended: pressing && d.lightPlan === undefined,
    consequences: msk
      ? [
          'MSK storage can never be decreased: size for the growth you expect, not more.',
          'Applies to every broker; a storage update can run at most once every 6 hours.',
          `${gib ? `Advised size: ${gib} GiB per broker.` : 'Size for ~50–60% use after the growth you expect.'}`,
        ]
      : [
          'Grow the volumes (or add brokers and rebalance); no data moves.',
          gib ? `Advised size: ${gib} GiB per broker.` : 'Size for ~50–60% use after the growth you expect.',
        ],
    instructions: msk
      ? [
          `aws kafka describe-cluster-v2 --cluster-arn ${d.mskArn ?? '<arn>'} --query ClusterInfo.CurrentVersion`,
          `aws kafka update-broker-storage --cluster-arn ${d.mskArn ?? '<arn>'} --current-version <CurrentVersion> --target-broker-ebs-volume-info '[{"KafkaBrokerNodeId":"All","VolumeSizeGB":${gib ?? '<GiB>'}}]'`,
        ]
      : [
          'Grow each broker’s log-dir volume (LVM / cloud volume resize), then check with `streamctl kafka disk -c ' +
            d.cluster +
            '`.',
        ],
  };
}

/** Shorter retention on the largest topics: frees space, and deletes data consumers may still need. */
function lowerRetention(d: DiskFillingDiagnosis, pressing: boolean): RunbookOption {
  const top = d.topTopics[0]?.topic ?? '<topic>';
  return {
    id: 'lower-retention',
    title: `Lower retention on the largest topics (${
      d.topTopics
        .slice(0, 3)
        .map((t) => t.topic)
        .join(', ') || 'none'
    })`,
    mode: 'manual',
    destructive: false,
    available: d.topTopics.length > 0 && pressing,
    ...(d.topTopics.length > 0 && pressing ? {} : { unavailableReason: 'disk use is within the thresholds' }),
    recommended: false,
    consequences: [
      'Deletes data older than the new retention: consumers that are behind lose it for good.',
      'Space is freed when old segments roll and the retention check runs (log.retention.check.interval.ms, 5 min by default).',
    ],
    instructions: [
      `kafka-configs.sh --bootstrap-server <broker> --alter --entity-type topics --entity-name ${top} --add-config retention.ms=<ms>`,
    ],
  };
}

/** Leave it: the forecast keeps being evaluated. Recommended while disk use is within the thresholds. */
function nothingNow(pressing: boolean): RunbookOption {
  return {
    id: 'none',
    title: 'Nothing to do now',
    mode: 'none',
    destructive: false,
    available: true,
    recommended: !pressing,
    consequences: [
      'Nothing changes; the forecast is re-evaluated by `streamctl kafka disk` and `streamctl watch`.',
    ],
  };
}
