import type { PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import {
  type FlinkAlarmTarget,
  flinkAlarmTarget,
  type KafkaAlarmTarget,
  kafkaAlarmTarget,
  MANAGED_TAG,
  planAlarms,
  TARGET_TAG,
} from '../alarms/plan.js';
import type { Config } from '../config/schema.js';
import { fromUnknown } from '../core/errors.js';
import { createAwsClients, regionForFlinkApp, regionForMskCluster } from '../probes/aws-clients.js';
import { createCloudWatchProbe } from '../probes/cloudwatch/index.js';
import { toPutMetricAlarmInput } from '../probes/cloudwatch/map.js';
import type { CloudWatchPort, MetricMathAlarm } from '../probes/cloudwatch/port.js';
import { createManagedFlinkProbe } from '../probes/managed-flink/index.js';
import { createMskProbe } from '../probes/msk/index.js';

/** The alarms for the configured fleet, grouped by region, with the exact requests. */
export interface AlarmPlan {
  regions: Array<{ region: string | undefined; alarms: MetricMathAlarm[] }>;
  /**
   * Targets that could not be described (their alarms are not planned). `alarmTarget` is the
   * `streamctl:target` tag of their alarms: --prune keeps those, since a failed describe (throttling,
   * a network blip) says nothing about whether the target still exists.
   */
  skipped: Array<{ target: string; reason: string; alarmTarget?: string }>;
}

/**
 * Builds the alarm plan from the config: MSF applications (runtime decides fullRestarts or
 * numRestarts) and MSK clusters (broker type and ids from MSK). Self-managed targets publish no
 * CloudWatch metrics and get no alarms.
 */
export async function buildAlarmPlan(config: Config): Promise<AlarmPlan> {
  const aws = createAwsClients(config.aws);
  try {
    const byRegion = new Map<string | undefined, { flink: FlinkAlarmTarget[]; kafka: KafkaAlarmTarget[] }>();
    const bucket = (r: string | undefined) => {
      const b = byRegion.get(r) ?? { flink: [], kafka: [] };
      byRegion.set(r, b);
      return b;
    };
    const skipped: AlarmPlan['skipped'] = [];
    for (const app of config.flink.applications) {
      if (!app.managed) continue;
      const region = regionForFlinkApp(app, config.aws);
      try {
        const d = await createManagedFlinkProbe(
          aws.kinesisAnalytics(region),
          region ? { region } : {},
        ).describeApplication(app.managed.applicationName);
        bucket(region).flink.push({
          name: app.name,
          applicationName: app.managed.applicationName,
          ...(d.runtime ? { runtime: d.runtime } : {}),
        });
      } catch (e) {
        skipped.push({
          target: `flink/${app.name}`,
          alarmTarget: flinkAlarmTarget(app.name),
          reason: fromUnknown(e, 'DescribeApplication').message,
        });
      }
    }
    for (const c of config.kafka.clusters) {
      if (!c.msk) continue;
      const region = regionForMskCluster(c, config.aws);
      try {
        const msk = createMskProbe(aws.kafka(region));
        const info = await msk.describeCluster(c.msk.arn);
        const brokerIds =
          info.type === 'serverless' ? [] : (await msk.listNodes(c.msk.arn)).map((n) => n.brokerId);
        // The same thresholds as `kafka disk` and `kafka health` use for this cluster.
        bucket(region).kafka.push({
          name: c.name,
          mskClusterName: info.name,
          brokerType: info.type,
          brokerIds,
          diskWarnPercent: c.diskWarnPercent,
          diskCritPercent: c.diskCritPercent,
        });
      } catch (e) {
        skipped.push({
          target: `kafka/${c.name}`,
          alarmTarget: kafkaAlarmTarget(c.name),
          reason: fromUnknown(e, 'DescribeClusterV2').message,
        });
      }
    }
    const topic = config.notifications.sns?.topicArn;
    const regions = [...byRegion].map(([region, t]) => ({
      region,
      alarms: planAlarms(t.flink, t.kafka, {
        ...(topic ? { snsTopicArn: topic } : {}),
      }),
    }));
    return { regions, skipped };
  } finally {
    aws.destroy();
  }
}

/** The exact PutMetricAlarm requests of a plan. */
export function planRequests(
  plan: AlarmPlan,
): Array<{ region: string | undefined; request: PutMetricAlarmInput }> {
  return plan.regions.flatMap((r) =>
    r.alarms.map((a) => ({ region: r.region, request: toPutMetricAlarmInput(a) })),
  );
}

export interface InstallResult {
  created: string[];
  updated: string[];
  /** Managed alarms that the plan no longer contains (removed with --prune). */
  stale: string[];
  pruned: string[];
}

/**
 * Installs the plan idempotently: PutMetricAlarm creates or updates in place; tags mark streamctl's
 * alarms (re-applied on update, since PutMetricAlarm applies Tags only at creation). With prune,
 * managed alarms the plan no longer has are deleted — never an alarm without streamctl's tag.
 */
export async function installAlarms(
  config: Config,
  plan: AlarmPlan,
  opts: { prune: boolean; cw?: (region: string | undefined) => CloudWatchPort },
): Promise<InstallResult> {
  const aws = opts.cw ? undefined : createAwsClients(config.aws);
  const cwFor = opts.cw ?? ((r: string | undefined) => createCloudWatchProbe(aws!.cloudWatch(r)));
  const result: InstallResult = { created: [], updated: [], stale: [], pruned: [] };
  const undescribed = new Set(plan.skipped.map((s) => s.alarmTarget ?? ''));
  undescribed.delete('');
  try {
    for (const { region, alarms } of plan.regions) {
      const cw = cwFor(region);
      const existing = new Map((await cw.describeAlarms('streamctl-')).map((a) => [a.name, a]));
      for (const a of alarms) {
        await cw.putMetricAlarm(a);
        const before = existing.get(a.name);
        if (before) {
          if (before.arn && a.tags) await cw.tagResource(before.arn, a.tags);
          result.updated.push(a.name);
        } else result.created.push(a.name);
      }
      const wanted = new Set(alarms.map((a) => a.name));
      const stale: string[] = [];
      for (const [name, info] of existing) {
        if (wanted.has(name) || !info.arn) continue;
        const tags = await cw.listTagsForResource(info.arn);
        if (tags[MANAGED_TAG.key] !== MANAGED_TAG.value) continue;
        if (undescribed.has(tags[TARGET_TAG] ?? '')) continue;
        stale.push(name);
      }
      result.stale.push(...stale);
      // Only this region's stale alarms: a name stale here may be wanted (just put) in another region.
      if (opts.prune && stale.length) {
        await cw.deleteAlarms(stale);
        result.pruned.push(...stale);
      }
    }
    return result;
  } finally {
    aws?.destroy();
  }
}

/** Deletes every alarm streamctl installed (tagged streamctl:managed=true) in the fleet's regions. */
export async function removeAlarms(
  config: Config,
  regions: Array<string | undefined>,
  opts: { dryRun: boolean; cw?: (region: string | undefined) => CloudWatchPort },
): Promise<{ deleted: string[] }> {
  const aws = opts.cw ? undefined : createAwsClients(config.aws);
  const cwFor = opts.cw ?? ((r: string | undefined) => createCloudWatchProbe(aws!.cloudWatch(r)));
  const deleted: string[] = [];
  try {
    for (const region of new Set(regions)) {
      const cw = cwFor(region);
      const managed: string[] = [];
      for (const a of await cw.describeAlarms('streamctl-')) {
        if (!a.arn) continue;
        const tags = await cw.listTagsForResource(a.arn);
        if (tags[MANAGED_TAG.key] === MANAGED_TAG.value) managed.push(a.name);
      }
      if (!opts.dryRun && managed.length) await cw.deleteAlarms(managed);
      deleted.push(...managed);
    }
    return { deleted };
  } finally {
    aws?.destroy();
  }
}

/** Regions the configured fleet lives in. */
export function fleetRegions(config: Config): Array<string | undefined> {
  return [
    ...config.flink.applications.filter((a) => a.managed).map((a) => regionForFlinkApp(a, config.aws)),
    ...config.kafka.clusters.filter((c) => c.msk).map((c) => regionForMskCluster(c, config.aws)),
  ];
}
