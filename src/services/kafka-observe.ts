import type { Config } from '../config/schema.js';
import type { KafkaCluster } from '../config/sections/kafka.js';
import { configError, StreamctlError } from '../core/errors.js';
import type { Finding } from '../core/severity.js';
import type { LogDirUsage } from '../monitors/disk.js';
import type { UsageSample } from '../monitors/forecast.js';
import type { KafkaAdminPort } from '../probes/kafka-admin/port.js';
import { type CapturedSnapshot, captureSnapshot } from '../probes/kafka-admin/snapshot.js';
import type { KafkaObservation } from './kafka-monitors.js';
import type { MskFacts } from './msk-facts.js';

/** The cluster entry for a name, or a configuration error listing the known names. */
export function clusterConfig(config: Config, name: string): KafkaCluster {
  const c = config.kafka.clusters.find((x) => x.name === name);
  if (!c) {
    const known = config.kafka.clusters.map((x) => x.name).join(', ') || '(none configured)';
    throw configError(
      `unknown Kafka cluster "${name}" (known: ${known})`,
      'Add it under kafka.clusters in streamctl.yaml.',
    );
  }
  return c;
}

export type { BrokerMetrics, MskFacts } from './msk-facts.js';

/** The I/O the observer needs: the command's live probes (cli/live-ports.ts liveObserveDeps) or tests' fakes. */
export interface ObserveDeps {
  openAdmin(cluster: KafkaCluster, bootstrap?: string[]): Promise<KafkaAdminPort>;
  /** MSK discovery + CloudWatch for an MSK cluster; undefined for self-managed clusters. */
  mskFacts?(
    cluster: KafkaCluster,
    config: Config,
    now: number,
  ): Promise<{ facts: MskFacts; bootstrap?: string[] }>;
  now(): number;
}

/**
 * Observes a live cluster: metadata and ISR, DescribeLogDirs sizes and volume totals, topic and
 * broker-default min.insync.replicas, and for MSK the broker size, storage and CloudWatch disk
 * metrics. A probe that fails becomes an UNKNOWN finding (a gap), never a silent OK; a cluster
 * that cannot be reached at all is an error (exit 69/77).
 */
export async function observeLiveCluster(
  config: Config,
  name: string,
  d: ObserveDeps,
): Promise<KafkaObservation> {
  const cluster = clusterConfig(config, name);
  const now = d.now();
  let facts: MskFacts | undefined;
  let bootstrap: string[] | undefined;
  if (cluster.msk && d.mskFacts) {
    const r = await d.mskFacts(cluster, config, now);
    facts = r.facts;
    bootstrap = cluster.bootstrap ?? r.bootstrap;
  }
  const admin = await d.openAdmin(cluster, bootstrap);
  const gaps: Finding[] = [...(facts?.gaps ?? [])];
  try {
    const capacity = cluster.brokerCapacityBytes ?? facts?.storagePerBrokerBytes;
    const snapshot: CapturedSnapshot = await captureSnapshot(admin, {
      cluster: cluster.name,
      ...(capacity ? { capacityBytes: capacity } : {}),
      now,
    });
    for (const w of snapshot.warnings)
      gaps.push({ severity: 'UNKNOWN', code: 'kafka.observe', subject: cluster.name, message: w });
    const { minIsr, defaultMinIsr } = await readMinIsr(admin, snapshot, gaps, cluster.name);
    const logDirs = new Map<number, LogDirUsage[]>();
    for (const b of snapshot.brokers) {
      if (b.logDirs?.length) {
        logDirs.set(
          b.id,
          b.logDirs.map((l) => ({
            path: l.path,
            ...(l.totalBytes === undefined ? {} : { totalBytes: l.totalBytes }),
            ...(l.usableBytes === undefined ? {} : { usableBytes: l.usableBytes }),
            ...(l.error ? { error: l.error } : {}),
          })),
        );
      }
    }
    const obs: KafkaObservation = {
      cluster: cluster.name,
      brokerType: facts?.brokerType ?? 'self-managed',
      snapshot,
      live: true,
      logDirs,
      minIsr,
      gaps,
    };
    const instanceType = facts?.instanceType ?? cluster.instanceType;
    if (instanceType) obs.instanceType = instanceType;
    if (defaultMinIsr !== undefined) obs.defaultMinIsr = defaultMinIsr;
    if (facts?.diskUsedPercent) obs.reportedDiskPercent = facts.diskUsedPercent;
    if (facts?.autoScaling) obs.autoScaling = facts.autoScaling;
    if (facts?.storageUsedBytes !== undefined) obs.storageUsedBytes = facts.storageUsedBytes;
    if (facts?.brokerMetrics) obs.brokerMetrics = facts.brokerMetrics;
    if (facts?.diskHistory && capacity) {
      const history = new Map<number, UsageSample[]>();
      for (const [id, pts] of facts.diskHistory)
        history.set(
          id,
          pts.map((p) => ({ t: p.t, usedBytes: (p.percent / 100) * capacity })),
        );
      obs.history = history;
    }
    return obs;
  } finally {
    await admin.close();
  }
}

async function readMinIsr(
  admin: KafkaAdminPort,
  snapshot: CapturedSnapshot,
  gaps: Finding[],
  cluster: string,
) {
  const minIsr = new Map<string, number>();
  let defaultMinIsr: number | undefined;
  const topics = [...new Set(snapshot.partitions.map((p) => p.topic))];
  try {
    for (let i = 0; i < topics.length; i += 1000) {
      const results = await admin.describeTopicConfigs(topics.slice(i, i + 1000), ['min.insync.replicas']);
      for (const r of results) {
        const v = r.entries.find((e) => e.name === 'min.insync.replicas')?.value;
        if (v !== null && v !== undefined && Number.isFinite(Number(v))) minIsr.set(r.name, Number(v));
      }
    }
    const anyBroker = snapshot.brokers[0];
    if (anyBroker) {
      const b = await admin.describeBrokerConfigs(anyBroker.id, ['min.insync.replicas']);
      const v = b.entries.find((e) => e.name === 'min.insync.replicas')?.value;
      if (v !== null && v !== undefined) defaultMinIsr = Number(v);
    }
  } catch (e) {
    gaps.push({
      severity: 'UNKNOWN',
      code: 'kafka.configs-unreadable',
      subject: cluster,
      message: `topic configs could not be read: ${e instanceof StreamctlError ? e.message : String(e)}`,
      advice:
        'Allow DescribeConfigs on topics and the cluster (ACLs or IAM kafka-cluster:DescribeTopicDynamicConfiguration).',
    });
  }
  return { minIsr, defaultMinIsr };
}
