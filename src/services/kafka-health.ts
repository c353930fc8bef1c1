import type { Config } from '../config/schema.js';
import { fromUnknown } from '../core/errors.js';
import { type Severity, worst } from '../core/severity.js';
import { DEFAULT_DISK_THRESHOLDS } from '../monitors/disk.js';
import { combineHealth, type HealthVerdict } from '../monitors/health.js';
import {
  type BrokerRow,
  type DiskResult,
  diskResult,
  type KafkaObservation,
  type PartitionsResult,
  partitionsResult,
} from './kafka-monitors.js';
import { type ObserveDeps, observeLiveCluster } from './kafka-observe.js';

export interface ClusterHealth extends HealthVerdict {
  disk?: DiskResult;
  partitions?: PartitionsResult;
}

export interface KafkaHealthResult {
  severity: Severity;
  clusters: ClusterHealth[];
}

/**
 * One verdict per cluster across the disk and partition monitors, and one overall, for cron.
 * A cluster that cannot be observed is UNKNOWN with the reason — the others are still checked.
 */
export async function kafkaHealth(
  config: Config,
  names: string[],
  deps: ObserveDeps,
): Promise<KafkaHealthResult> {
  const clusters: ClusterHealth[] = [];
  for (const name of names) {
    try {
      const obs = await observeLiveCluster(config, name, deps);
      clusters.push(healthOf(obs, config));
    } catch (e) {
      const err = fromUnknown(e, `observing ${name}`);
      if (err.code === 'CONFIG') throw err;
      clusters.push({
        target: name,
        severity: 'UNKNOWN',
        monitors: [],
        findings: [
          {
            severity: 'UNKNOWN',
            code: 'kafka.unreachable',
            subject: name,
            message: err.message,
            ...(err.hint ? { advice: err.hint } : {}),
          },
        ],
      });
    }
  }
  return { severity: worst(...clusters.map((c) => c.severity)), clusters };
}

/** Disk + partitions for one observation, combined. */
export function healthOf(obs: KafkaObservation, config: Config): ClusterHealth {
  const c = config.kafka.clusters.find((x) => x.name === obs.cluster);
  const disk = diskResult(obs, {
    ...DEFAULT_DISK_THRESHOLDS,
    warnPercent: c?.diskWarnPercent ?? 60,
    critPercent: c?.diskCritPercent ?? 80,
  });
  const partitions = partitionsResult({ ...obs, gaps: [] });
  const verdict = combineHealth(obs.cluster, [
    { monitor: 'disk', severity: disk.severity, findings: disk.findings },
    { monitor: 'partitions', severity: partitions.severity, findings: partitions.findings },
  ]);
  return { ...verdict, disk, partitions };
}

/** `kafka brokers` rows: placement from the cluster, figures from CloudWatch where MSK has them. */
export interface BrokerView extends BrokerRow {
  cpuPercent?: number;
  connections?: number;
  bytesInPerSec?: number;
  bytesOutPerSec?: number;
}

export function brokerViews(obs: KafkaObservation): {
  cluster: string;
  brokerType: string;
  instanceType?: string;
  brokers: BrokerView[];
} {
  const disk = diskResult(obs);
  return {
    cluster: obs.cluster,
    brokerType: obs.brokerType,
    ...(obs.instanceType ? { instanceType: obs.instanceType } : {}),
    brokers: disk.brokers.map((b) => {
      const m = obs.brokerMetrics?.get(b.id);
      const { severity: _s, growthBytesPerDay: _g, timeToFullMs: _t, logDirs: _l, ...row } = b;
      return { ...row, ...(m ?? {}) };
    }),
  };
}
