import type { Config } from '../../config/schema.js';
import { fromUnknown } from '../../core/errors.js';
import type { Finding } from '../../core/severity.js';
import type { ApplicationOperation, ApplicationSnapshot } from '../../domain/flink.js';
import { type PeriodRestarts, restartsPerPeriod } from '../../domain/restart-counter.js';
import { auditApplication } from '../../monitors/flink-audit.js';
import { flinkAppQuery, restartMetricName } from '../../probes/cloudwatch/queries.js';
import { fetchTransitions } from '../../probes/cloudwatch-logs/index.js';
import type { SubtaskTransition } from '../../probes/cloudwatch-logs/port.js';
import type { ManagedApplicationDetail } from '../../probes/managed-flink/port.js';
import { type AppTarget, appTarget, type FlinkPorts, requireManaged } from './context.js';

/** One row of `flink apps`. */
export interface AppRow {
  name: string;
  kind: 'managed' | 'self-managed';
  configured: boolean;
  status: string;
  runtime?: string;
  versionId?: number;
  kpus?: number;
  snapshotsEnabled?: boolean;
  systemRollbackEnabled?: boolean;
  lastOperation?: { operation: string; status: string; startTime?: string };
  error?: string;
}

/**
 * Every application: the configured ones (MSF described, self-managed via REST by `flink status`)
 * plus, with flink.discoverManaged, every MSF application of the default region. An application
 * that cannot be described is listed with its error, not dropped.
 */
export async function listApps(config: Config, ports: FlinkPorts): Promise<AppRow[]> {
  const rows: AppRow[] = [];
  const seen = new Set<string>();
  for (const cfg of config.flink.applications) {
    const t = appTarget(config, cfg.name);
    if (t.kind === 'self-managed') {
      rows.push({ name: t.name, kind: 'self-managed', configured: true, status: 'see `flink status`' });
      continue;
    }
    seen.add(`${t.region ?? ''}/${t.applicationName}`);
    rows.push(await managedRow(t, ports, true));
  }
  if (config.flink.discoverManaged) {
    const region = config.aws.region;
    for (const s of await ports.msf(region).listApplications()) {
      if (seen.has(`${region ?? ''}/${s.applicationName}`)) continue;
      const t: AppTarget = {
        name: s.applicationName,
        cfg: {
          name: s.applicationName,
          managed: { applicationName: s.applicationName },
          healing: { enabled: true },
        },
        kind: 'managed',
        applicationName: s.applicationName,
        ...(region ? { region } : {}),
      };
      rows.push(await managedRow(t, ports, false));
    }
  }
  return rows;
}

async function managedRow(t: AppTarget, ports: FlinkPorts, configured: boolean): Promise<AppRow> {
  const msf = ports.msf(t.region);
  try {
    const [d, ops] = await Promise.all([
      msf.describeApplication(t.applicationName!),
      msf.listOperations(t.applicationName!).catch(() => [] as ApplicationOperation[]),
    ]);
    const last = ops[0];
    return {
      name: t.name,
      kind: 'managed',
      configured,
      status: d.status,
      ...(d.runtime ? { runtime: d.runtime } : {}),
      versionId: d.versionId,
      ...(d.kpus === undefined ? {} : { kpus: d.kpus }),
      ...(d.snapshotsEnabled === undefined ? {} : { snapshotsEnabled: d.snapshotsEnabled }),
      ...(d.systemRollbackEnabled === undefined ? {} : { systemRollbackEnabled: d.systemRollbackEnabled }),
      ...(last
        ? {
            lastOperation: {
              operation: last.operation,
              status: last.status,
              ...(last.startTime ? { startTime: last.startTime } : {}),
            },
          }
        : {}),
    };
  } catch (e) {
    return {
      name: t.name,
      kind: 'managed',
      configured,
      status: 'UNKNOWN',
      error: fromUnknown(e, 'DescribeApplication').message,
    };
  }
}

/** `flink operations APP`: newest first; with an id, that operation's detail and error text. */
export async function operations(
  config: Config,
  ports: FlinkPorts,
  name: string,
  id?: string,
): Promise<{ app: string; operations: ApplicationOperation[] }> {
  const t = appTarget(config, name);
  const appName = requireManaged(t, 'flink operations');
  const msf = ports.msf(t.region);
  if (id) return { app: t.name, operations: [await msf.describeOperation(appName, id)] };
  const list = await msf.listOperations(appName);
  // The list omits failure details: describe the failed ones (usually few) for their ErrorString.
  const detailed = await Promise.all(
    list.map((op) =>
      op.status === 'FAILED' && !op.errorString
        ? msf.describeOperation(appName, op.operationId).catch(() => op)
        : op,
    ),
  );
  return { app: t.name, operations: detailed };
}

/** `flink snapshots APP`: newest first. */
export async function snapshots(
  config: Config,
  ports: FlinkPorts,
  name: string,
): Promise<{ app: string; snapshots: ApplicationSnapshot[] }> {
  const t = appTarget(config, name);
  const list = await ports.msf(t.region).listSnapshots(requireManaged(t, 'flink snapshots'));
  list.sort((a, b) => Date.parse(b.createTime ?? '0') - Date.parse(a.createTime ?? '0'));
  return { app: t.name, snapshots: list };
}

/** `flink restarts APP`: the counter per period, its DIFF (resets and gaps explicit), and the verdict. */
export interface RestartsView {
  app: string;
  metric: 'fullRestarts' | 'numRestarts';
  periodSec: number;
  points: Array<{ t: number; counter: number | undefined }>;
  periods: PeriodRestarts[];
  total: number;
  missing: number;
}

export async function restarts(
  config: Config,
  ports: FlinkPorts,
  name: string,
  opts: { sinceMs: number; now: number; periodSec?: number },
): Promise<RestartsView & { detail?: ManagedApplicationDetail }> {
  const t = appTarget(config, name);
  const appName = requireManaged(t, 'flink restarts');
  const detail = await ports.msf(t.region).describeApplication(appName);
  const periodSec = opts.periodSec ?? 60;
  const metric = restartMetricName(detail.runtime);
  // One extra period before the window so the first DIFF of the window is known.
  const [series] = await ports
    .cloudWatch(t.region)
    .getMetricSeries(
      [flinkAppQuery(t.name, appName, 'restarts', detail.runtime ? { runtime: detail.runtime } : {})],
      {
        start: opts.now - opts.sinceMs - periodSec * 1000,
        end: opts.now,
        periodSec,
      },
    );
  const points = series?.points ?? [];
  const periods = restartsPerPeriod({
    metric,
    source: 'cloudwatch',
    periodMs: periodSec * 1000,
    points,
  }).slice(1);
  return {
    app: t.name,
    metric,
    periodSec,
    points: points.slice(1).map((p) => ({ t: p.t, counter: p.value })),
    periods,
    total: periods.reduce((s, p) => s + (p.restarts ?? 0), 0),
    missing: periods.filter((p) => p.restarts === undefined).length,
    detail,
  };
}

/** `flink transitions APP`: subtask state changes from CloudWatch Logs Insights (docs/design.md §2 query). */
export async function transitions(
  config: Config,
  ports: FlinkPorts,
  name: string,
  opts: { sinceMs: number; now: number; limit?: number },
): Promise<{ app: string; logGroups: string[]; transitions: SubtaskTransition[] }> {
  const t = appTarget(config, name);
  const appName = requireManaged(t, 'flink transitions');
  const detail = await ports.msf(t.region).describeApplication(appName);
  const logGroups = [...new Set(detail.logTargets.map((l) => l.logGroupName))];
  if (logGroups.length === 0) return { app: t.name, logGroups, transitions: [] };
  const list = await fetchTransitions(ports.logs(t.region), {
    logGroupNames: logGroups,
    start: opts.now - opts.sinceMs,
    end: opts.now,
    ...(opts.limit ? { limit: opts.limit } : {}),
  });
  return { app: t.name, logGroups, transitions: list };
}

/** `flink audit`: every managed application against the recommendations. */
export async function audit(
  config: Config,
  ports: FlinkPorts,
  now: number,
  names?: string[],
): Promise<{ apps: Array<{ app: string; findings: Finding[] }> }> {
  const out: Array<{ app: string; findings: Finding[] }> = [];
  const targets = (names ?? config.flink.applications.map((a) => a.name)).map((n) => appTarget(config, n));
  for (const t of targets) {
    if (t.kind !== 'managed') {
      out.push({ app: t.name, findings: [] });
      continue;
    }
    try {
      const msf = ports.msf(t.region);
      const detail = await msf.describeApplication(t.applicationName!);
      const snaps = await msf.listSnapshots(t.applicationName!);
      out.push({
        app: t.name,
        findings: auditApplication({
          app: { ...detail, name: t.name },
          snapshots: snaps,
          logging: detail.logTargets.length > 0,
          now,
        }),
      });
    } catch (e) {
      out.push({
        app: t.name,
        findings: [
          {
            severity: 'UNKNOWN',
            code: 'audit.unreadable',
            subject: t.name,
            message: fromUnknown(e, 'audit').message,
          },
        ],
      });
    }
  }
  return { apps: out };
}
