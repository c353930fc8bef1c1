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
  kafkaDeps?: ObserveDeps;
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

async function kafkaRow(config: Config, name: string, deps?: ObserveDeps): Promise<KafkaRow> {
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

async function flinkRows(config: Config, ports: FlinkPorts, ctx: StoryContext): Promise<FlinkRow[]> {
  const now = ctx.now;
  const loop = policyFromConfig(config.healer).loop;
  const rows = new Map<string, FlinkRow>();
  const refs: AppRef[] = [];
  await Promise.all(
    config.flink.applications.map(async (a) => {
      const t = appTarget(config, a.name);
      if (t.kind !== 'managed') {
        rows.set(a.name, {
          app: a.name,
          kind: 'self-managed',
          severity: 'OK',
          status: 'not polled',
          perMinute: [],
          restartsWindow: 0,
          loop: 'not-polled',
          note: `self-managed: watch never polls Flink REST; run \`streamctl flink status ${a.name}\``,
        });
        return;
      }
      try {
        const d = await ports.msf(t.region).describeApplication(t.applicationName!, { tags: false });
        refs.push({
          name: a.name,
          applicationName: t.applicationName!,
          region: t.region,
          status: d.status,
          ...(d.runtime ? { runtime: d.runtime } : {}),
          versionId: d.versionId,
        });
      } catch (e) {
        const err = fromUnknown(e, 'DescribeApplication');
        rows.set(a.name, {
          app: a.name,
          kind: 'managed',
          severity: 'UNKNOWN',
          status: 'UNKNOWN',
          perMinute: [],
          restartsWindow: 0,
          loop: 'unknown',
          error: err.message,
        });
      }
    }),
  );
  const byRegion = new Map<string | undefined, AppRef[]>();
  for (const r of refs) byRegion.set(r.region, [...(byRegion.get(r.region) ?? []), r]);
  await Promise.all(
    [...byRegion].map(async ([region, apps]) => {
      const queries: MetricQuery[] = [];
      for (const a of apps) {
        const rt = a.runtime ? { runtime: a.runtime } : {};
        queries.push(
          flinkAppQuery(a.name, a.applicationName, 'restarts', rt),
          flinkAppQuery(a.name, a.applicationName, 'lastCheckpointDuration'),
          flinkAppQuery(a.name, a.applicationName, 'lastCheckpointSize'),
          flinkAppQuery(a.name, a.applicationName, 'numberOfFailedCheckpoints'),
        );
      }
      let series: Awaited<ReturnType<ReturnType<FlinkPorts['cloudWatch']>['getMetricSeries']>> | undefined;
      let error: string | undefined;
      try {
        // One extra period before the window so the first DIFF of the window is known.
        series = await ports
          .cloudWatch(region)
          .getMetricSeries(queries, { start: now - ctx.windowMs - 60_000, end: now, periodSec: 60 });
      } catch (e) {
        error = fromUnknown(e, 'GetMetricData').message;
      }
      apps.forEach((a, i) => {
        const pick = (j: number) => series?.[i * 4 + j]?.points;
        const s: FlinkSeries = {
          ...(pick(0) ? { restarts: pick(0)! } : {}),
          ...(pick(1) ? { checkpointDuration: pick(1)! } : {}),
          ...(pick(2) ? { checkpointSize: pick(2)! } : {}),
          ...(pick(3) ? { failedCheckpoints: pick(3)! } : {}),
        };
        const row = flinkRowOf(
          {
            name: a.name,
            status: a.status,
            ...(a.runtime ? { runtime: a.runtime } : {}),
            ...(a.versionId === undefined ? {} : { versionId: a.versionId }),
          },
          restartMetricName(a.runtime),
          s,
          loop,
          ctx,
        );
        rows.set(a.name, error ? { ...row, error: `metrics: ${error}` } : row);
      });
    }),
  );
  return config.flink.applications.map((a) => rows.get(a.name)!).filter(Boolean);
}
