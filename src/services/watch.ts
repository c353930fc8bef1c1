/**
 * `streamctl watch`: one refresh of the fleet view. It must not hammer the APIs when it runs for
 * hours: per refresh, each Kafka cluster is observed once (metadata + log dirs), each MSF
 * application is described once, and the metrics of ALL applications of a region — restart
 * counter, checkpoint duration/size, failed checkpoints — come from ONE GetMetricData call per
 * region (the CloudWatch port only splits beyond 500 queries). The Flink REST API is never
 * polled (AWS advises against polling it continuously on a running job, docs/design.md §2).
 */
import type { Config } from '../config/schema.js';
import { type Clock, systemClock } from '../core/clock.js';
import { fromUnknown } from '../core/errors.js';
import { policyFromConfig } from '../healer/policy.js';
import type { MetricQuery } from '../probes/cloudwatch/port.js';
import { flinkAppQuery, restartMetricName } from '../probes/cloudwatch/queries.js';
import { appTarget, type FlinkPorts } from './flink/context.js';
import { statusWindowMs } from './flink/status.js';
import { type HealerRecords, NO_RECORDS, readHealerRecords } from './healer-records.js';
import { healthOf } from './kafka-health.js';
import { type ObserveDeps, observeLiveCluster } from './kafka-observe.js';
import {
  type FleetView,
  type FlinkRow,
  type FlinkSeries,
  flinkRowOf,
  incidentRowsOf,
  type KafkaRow,
  kafkaRowOf,
  type StoryContext,
  viewSeverity,
} from './watch-model.js';

export interface WatchDeps {
  ports: FlinkPorts;
  kafkaDeps: ObserveDeps;
  clock?: Clock;
  /** The healer's incidents and actions; default: the SQLite journal at healer.journal, when it exists. */
  healer?: () => Promise<HealerRecords>;
}

/** One refresh of the fleet view. Every target that cannot be read is a row with its error, never a crash. */
export async function gatherFleet(config: Config, deps: WatchDeps): Promise<FleetView> {
  const clock = deps.clock ?? systemClock;
  const now = clock.now();
  const before = deps.ports.apiCallStats() as Record<string, { calls: number }>;
  const errors: string[] = [];
  // The healer's look-back: a slow loop reads as a loop here exactly when the healer sees one.
  const windowMs = statusWindowMs(policyFromConfig(config.healer).loop);
  const records = await (deps.healer ?? (() => readHealerRecords(config)))().catch((e) => {
    errors.push(`healer journal: ${fromUnknown(e, 'journal').message}`);
    return NO_RECORDS;
  });
  const [kafka, flink] = await Promise.all([
    Promise.all(config.kafka.clusters.map((c) => kafkaRow(config, c.name, deps.kafkaDeps))),
    flinkRows(config, deps.ports, { now, windowMs, records }),
  ]);
  const incidents = incidentRowsOf(records, now, windowMs);
  const after = deps.ports.apiCallStats() as Record<string, { calls: number }>;
  const calls: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const n = v.calls - (before[k]?.calls ?? 0);
    if (n > 0) calls[k] = n;
  }
  return {
    at: now,
    windowMs,
    severity: viewSeverity({ kafka, flink, incidents }),
    kafka,
    flink,
    incidents,
    calls,
    errors,
  };
}

async function kafkaRow(config: Config, name: string, deps: ObserveDeps): Promise<KafkaRow> {
  try {
    const obs = await observeLiveCluster(config, name, deps);
    return kafkaRowOf(obs, healthOf(obs, config));
  } catch (e) {
    const err = fromUnknown(e, `observing ${name}`);
    return {
      cluster: name,
      severity: 'UNKNOWN',
      brokers: 0,
      brokersDown: [],
      offline: 0,
      perBroker: [],
      findings: [{ severity: 'UNKNOWN', text: err.message }],
      error: err.message,
    };
  }
}

interface AppRef {
  name: string;
  applicationName: string;
  region: string | undefined;
  status: string;
  runtime?: string;
  versionId?: number;
}

/**
 * One row per application: MSF describes the managed ones (in parallel), then one GetMetricData
 * call per region reads their restarts and checkpoints; self-managed ones are never polled.
 */
async function flinkRows(config: Config, ports: FlinkPorts, ctx: StoryContext): Promise<FlinkRow[]> {
  const rows = new Map<string, FlinkRow>();
  const refs: AppRef[] = [];
  await Promise.all(
    config.flink.applications.map(async (a) => {
      const t = appTarget(config, a.name);
      if (t.kind !== 'managed') rows.set(a.name, notPolledRow(a.name));
      else {
        const ref = await describeApp(ports, a.name, t.applicationName!, t.region);
        if ('error' in ref) rows.set(a.name, ref);
        else refs.push(ref);
      }
    }),
  );
  const byRegion = new Map<string | undefined, AppRef[]>();
  for (const r of refs) byRegion.set(r.region, [...(byRegion.get(r.region) ?? []), r]);
  const loop = policyFromConfig(config.healer).loop;
  await Promise.all(
    [...byRegion].map(async ([region, apps]) => {
      for (const row of await regionRows(ports, region, apps, loop, ctx)) rows.set(row.app, row);
    }),
  );
  return config.flink.applications.map((a) => rows.get(a.name)!).filter(Boolean);
}

/** A self-managed application: watch never polls Flink REST (AWS's advice holds for it too). */
function notPolledRow(app: string): FlinkRow {
  return {
    app,
    kind: 'self-managed',
    severity: 'OK',
    status: 'not polled',
    perMinute: [],
    restartsWindow: 0,
    loop: 'not-polled',
    note: `self-managed: watch never polls Flink REST; run \`streamctl flink status ${app}\``,
  };
}

/** DescribeApplication (no tags): the reference the metrics need, or an UNKNOWN row saying why not. */
async function describeApp(
  ports: FlinkPorts,
  name: string,
  applicationName: string,
  region: string | undefined,
): Promise<AppRef | (FlinkRow & { error: string })> {
  try {
    const d = await ports.msf(region).describeApplication(applicationName, { tags: false });
    return {
      name,
      applicationName,
      region,
      status: d.status,
      ...(d.runtime ? { runtime: d.runtime } : {}),
      versionId: d.versionId,
    };
  } catch (e) {
    return {
      app: name,
      kind: 'managed',
      severity: 'UNKNOWN',
      status: 'UNKNOWN',
      perMinute: [],
      restartsWindow: 0,
      loop: 'unknown',
      error: fromUnknown(e, 'DescribeApplication').message,
    };
  }
}

/** The rows of one region's applications, from one GetMetricData call (four series each). */
async function regionRows(
  ports: FlinkPorts,
  region: string | undefined,
  apps: AppRef[],
  loop: ReturnType<typeof policyFromConfig>['loop'],
  ctx: StoryContext,
): Promise<FlinkRow[]> {
  const queries: MetricQuery[] = apps.flatMap((a) => [
    flinkAppQuery(a.name, a.applicationName, 'restarts', a.runtime ? { runtime: a.runtime } : {}),
    flinkAppQuery(a.name, a.applicationName, 'lastCheckpointDuration'),
    flinkAppQuery(a.name, a.applicationName, 'lastCheckpointSize'),
    flinkAppQuery(a.name, a.applicationName, 'numberOfFailedCheckpoints'),
  ]);
  let series: Awaited<ReturnType<ReturnType<FlinkPorts['cloudWatch']>['getMetricSeries']>> | undefined;
  let error: string | undefined;
  try {
    // One extra period before the window so the first DIFF of the window is known.
    series = await ports
      .cloudWatch(region)
      .getMetricSeries(queries, { start: ctx.now - ctx.windowMs - 60_000, end: ctx.now, periodSec: 60 });
  } catch (e) {
    error = fromUnknown(e, 'GetMetricData').message;
  }
  return apps.map((a, i) => {
    const pick = (j: number) => series?.[i * 4 + j]?.points;
    const s: FlinkSeries = {
      ...(pick(0) ? { restarts: pick(0)! } : {}),
      ...(pick(1) ? { checkpointDuration: pick(1)! } : {}),
      ...(pick(2) ? { checkpointSize: pick(2)! } : {}),
      ...(pick(3) ? { failedCheckpoints: pick(3)! } : {}),
    };
    const app = {
      name: a.name,
      status: a.status,
      ...(a.runtime ? { runtime: a.runtime } : {}),
      ...(a.versionId === undefined ? {} : { versionId: a.versionId }),
    };
    const row = flinkRowOf(app, restartMetricName(a.runtime), s, loop, ctx);
    return error ? { ...row, error: `metrics: ${error}` } : row;
  });
}
