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
import { fromUnknown, StreamctlError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import { regionForFlinkApp, regionForMskCluster } from '../probes/aws-clients.js';
import { toPutMetricAlarmInput } from '../probes/cloudwatch/map.js';
import type { CloudWatchPort, MetricMathAlarm } from '../probes/cloudwatch/port.js';
import type { ManagedFlinkPort } from '../probes/managed-flink/port.js';
import type { MskPort } from '../probes/msk/port.js';

/** The alarms for the configured fleet, grouped by region, with the exact requests. */
export interface AlarmPlan {
  regions: Array<{ region: string | undefined; alarms: MetricMathAlarm[] }>;
  /**
   * Targets that could not be described (their alarms are not planned). `alarmTarget` is the
   * `streamctl:target` tag of their alarms: --prune keeps those, since a failed describe (throttling,
   * a network blip) says nothing about whether the target still exists.
   */
  skipped: Array<{ target: string; reason: string; alarmTarget?: string; exitCode?: number }>;
}

/** What planning alarms reads, per region (the command builds the live ports: cli/live-ports.ts). */
export interface AlarmPlanPorts {
  msf(region: string | undefined): Pick<ManagedFlinkPort, 'describeApplication'>;
  msk(region: string | undefined): Pick<MskPort, 'describeCluster' | 'listNodes'>;
}

/** CloudWatch in a region, where alarms are installed and removed. */
export type CloudWatchIn = (region: string | undefined) => CloudWatchPort;

/**
 * Builds the alarm plan from the config: MSF applications (runtime decides fullRestarts or
 * numRestarts) and MSK clusters (broker type and ids from MSK). Self-managed targets publish no
 * CloudWatch metrics and get no alarms.
 */
export async function buildAlarmPlan(config: Config, ports: AlarmPlanPorts): Promise<AlarmPlan> {
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
      const d = await ports.msf(region).describeApplication(app.managed.applicationName);
      bucket(region).flink.push({
        name: app.name,
        applicationName: app.managed.applicationName,
        ...(d.runtime ? { runtime: d.runtime } : {}),
      });
    } catch (e) {
      const err = fromUnknown(e, 'DescribeApplication');
      skipped.push({
        target: `flink/${app.name}`,
        alarmTarget: flinkAlarmTarget(app.name),
        reason: err.message,
        exitCode: err.exitCode,
      });
    }
  }
  for (const c of config.kafka.clusters) {
    if (!c.msk) continue;
    const region = regionForMskCluster(c, config.aws);
    try {
      const msk = ports.msk(region);
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
      const err = fromUnknown(e, 'DescribeClusterV2');
      skipped.push({
        target: `kafka/${c.name}`,
        alarmTarget: kafkaAlarmTarget(c.name),
        reason: err.message,
        exitCode: err.exitCode,
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
  /** Alarms of the plan that could not be put (the region's CloudWatch failed), with why. */
  failed: Array<{ alarm: string; reason: string; exitCode: number }>;
}

/**
 * Installs the plan idempotently: PutMetricAlarm creates or updates in place; tags mark streamctl's
 * alarms (re-applied on update, since PutMetricAlarm applies Tags only at creation). With prune,
 * managed alarms the plan no longer has are deleted — never an alarm without streamctl's tag.
 */
export async function installAlarms(
  plan: AlarmPlan,
  opts: { prune: boolean; cw: CloudWatchIn },
): Promise<InstallResult> {
  const cwFor = opts.cw;
  const result: InstallResult = { created: [], updated: [], stale: [], pruned: [], failed: [] };
  const undescribed = new Set(plan.skipped.map((s) => s.alarmTarget ?? ''));
  undescribed.delete('');
  for (const { region, alarms } of plan.regions) {
    const cw = cwFor(region);
    let existing: Map<string, { arn?: string | undefined }>;
    try {
      existing = new Map((await cw.describeAlarms('streamctl-')).map((a) => [a.name, a]));
    } catch (e) {
      // A region whose CloudWatch cannot be read gets nothing: each of its alarms is reported.
      const err = fromUnknown(e, `DescribeAlarms (${region ?? 'default region'})`);
      for (const a of alarms)
        result.failed.push({ alarm: a.name, reason: err.message, exitCode: err.exitCode });
      continue;
    }
    const failedBefore = result.failed.length;
    for (const a of alarms) {
      try {
        await cw.putMetricAlarm(a);
        const before = existing.get(a.name);
        if (before?.arn && a.tags) await cw.tagResource(before.arn, a.tags);
        (before ? result.updated : result.created).push(a.name);
      } catch (e) {
        const err = fromUnknown(e, `PutMetricAlarm ${a.name}`);
        result.failed.push({ alarm: a.name, reason: err.message, exitCode: err.exitCode });
      }
    }
    // Prune only a region whose alarms all went in: never delete while the plan is half applied.
    if (result.failed.length > failedBefore) continue;
    const stale = await staleAlarms(cw, existing, new Set(alarms.map((a) => a.name)), undescribed);
    result.stale.push(...stale);
    // Only this region's stale alarms: a name stale here may be wanted (just put) in another region.
    if (opts.prune && stale.length) {
      await cw.deleteAlarms(stale);
      result.pruned.push(...stale);
    }
  }
  return result;
}

/** Managed alarms of one region that the plan no longer has (never those of an undescribed target). */
async function staleAlarms(
  cw: CloudWatchPort,
  existing: Map<string, { arn?: string | undefined }>,
  wanted: Set<string>,
  undescribed: Set<string>,
): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, info] of existing) {
    if (wanted.has(name) || !info.arn) continue;
    const tags = await cw.listTagsForResource(info.arn);
    if (tags[MANAGED_TAG.key] !== MANAGED_TAG.value) continue;
    if (undescribed.has(tags[TARGET_TAG] ?? '')) continue;
    stale.push(name);
  }
  return stale;
}

/**
 * The error of an install that did not install everything, or undefined when it did: exit with the
 * first failure's own code (69 unreachable, 75 throttled, 77 denied, 78 no such application…),
 * never 0, with the list of what was and was not installed.
 */
export function incompleteInstall(plan: AlarmPlan, r: InstallResult): StreamctlError | undefined {
  const missing = [
    ...plan.skipped.map((s) => ({
      what: `${s.target} (all its alarms)`,
      reason: s.reason,
      exitCode: s.exitCode,
    })),
    ...r.failed.map((f) => ({ what: f.alarm, reason: f.reason, exitCode: f.exitCode })),
  ];
  if (missing.length === 0) return undefined;
  const installed = [...r.created, ...r.updated];
  const notInstalled = missing.map((m) => `${m.what}: ${m.reason}`).join('; ');
  const exitCode = missing.find((m) => m.exitCode !== undefined)?.exitCode ?? Sysexit.UNAVAILABLE;
  if (installed.length === 0)
    return new StreamctlError(
      'NOTHING_INSTALLED',
      `no alarm installed: ${missing.length} target(s) or alarm(s) failed (${notInstalled})`,
      {
        exitCode,
        hint: 'Check the AWS endpoint, region and credentials (`streamctl doctor`); nothing was changed.',
        transient: true,
      },
    );
  return new StreamctlError(
    'PARTIAL_INSTALL',
    `alarms partly installed: ${installed.length} installed (${installed.join(', ')}); NOT installed: ${notInstalled}`,
    {
      exitCode,
      hint: 'Fix what is listed as not installed and run `streamctl alarms install` again (it is idempotent).',
      transient: true,
    },
  );
}

/** Deletes every alarm streamctl installed (tagged streamctl:managed=true) in the fleet's regions. */
export async function removeAlarms(
  regions: Array<string | undefined>,
  opts: { dryRun: boolean; cw: CloudWatchIn },
): Promise<{ deleted: string[] }> {
  const cwFor = opts.cw;
  const deleted: string[] = [];
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
}

/** Regions the configured fleet lives in. */
export function fleetRegions(config: Config): Array<string | undefined> {
  return [
    ...config.flink.applications.filter((a) => a.managed).map((a) => regionForFlinkApp(a, config.aws)),
    ...config.kafka.clusters.filter((c) => c.msk).map((c) => regionForMskCluster(c, config.aws)),
  ];
}
