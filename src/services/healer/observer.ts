/**
 * The live FleetObserver (src/services/healer/tick.ts): the base tier for the whole fleet in as few calls as
 * possible, the enriched tier (enrich.ts) only for the applications the tick asks for.
 *
 * Base tier per tick (docs/healer-daemon.md "API calls"):
 *  - MSF, per region: ListApplications (pages of 50) for a full tick; DescribeApplication (no tags)
 *    per suspect for a suspect re-check;
 *  - the restart counter: ONE getMetricSeries per region, split by the probe into GetMetricData
 *    calls of ≤ 500 queries (fullRestarts or numRestarts by runtime, Maximum, 1-minute periods,
 *    `policy.loop.lookbackPeriods`: the slow rule's span + pending periods + 1);
 *  - self-managed Flink: GET /jobs/overview + GET /jobs/:id/metrics (numRestarts), sampled into a
 *    per-minute series in memory (restart-sampler.ts).
 * A failed metric fetch leaves `restarts` undefined: unknown, never healthy.
 */
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { FlinkApplicationInfo } from '../../domain/flink.js';
import { type AppObservation, type FailureText, restartMetricFor } from '../../healer/observation.js';
import type { HealerPolicy } from '../../healer/policy.js';
import { flinkAppQuery } from '../../probes/cloudwatch/queries.js';
import type { FlinkRestPort } from '../../probes/flink-rest/index.js';
import type { ManagedApplicationSummary } from '../../probes/managed-flink/port.js';
import type { AppTarget, FlinkPorts } from '../flink/context.js';
import { pickJob } from '../flink/rest.js';
import { enrichObservation } from './enrich.js';
import { accountOfArn, configuredFleet, discoveredMember, type FleetMember, regionKey } from './fleet.js';
import { RestartSampler } from './restart-sampler.js';
import type { SelfManagedFlinkAdmin } from './self-managed.js';
import type { FleetObserver } from './tick.js';

/** Something worth a log line that did not stop the tick (one app's fetch failed, …). */
export type ObserverWarn = (msg: string, fields: Record<string, unknown>) => void;

export interface LiveObserverDeps {
  config: Config;
  policy: HealerPolicy;
  ports: FlinkPorts;
  /** The Flink REST port of an app (presigned for MSF, direct for self-managed); cached by the caller. */
  restPort(t: AppTarget): FlinkRestPort;
  /** The write side of a self-managed app's Flink REST (redeploys; /jars). */
  admin?(t: AppTarget): SelfManagedFlinkAdmin | undefined;
  clock: Clock;
  warn?: ObserverWarn;
  /** A sharded daemon's shard: only these applications are watched (default: all). */
  inScope?: (app: string) => boolean;
}

const PERIOD_MS = 60_000;

export class LiveFleetObserver implements FleetObserver {
  private readonly members = new Map<string, FleetMember>();
  private readonly sampler: RestartSampler;
  private readonly failureCache = new Map<string, { at: number; texts: FailureText[] }>();
  /** Account id per MSF app, from its ARN (scopes the fleet breaker). */
  private readonly accounts = new Map<string, string>();
  private readonly warn: ObserverWarn;
  /** Periods of the restart counter read per app. */
  readonly periods: number;

  constructor(private readonly deps: LiveObserverDeps) {
    const inScope = deps.inScope ?? (() => true);
    for (const m of configuredFleet(deps.config)) if (inScope(m.name)) this.members.set(m.name, m);
    this.warn = deps.warn ?? (() => {});
    const loop = deps.policy.loop;
    // The loop window or the slow rule's span, the periods CloudWatch may not have published yet,
    // and one predecessor for the first DIFF (docs/healer.md "Observe").
    this.periods = loop.lookbackPeriods;
    this.sampler = new RestartSampler(Math.max(30, loop.lookbackPeriods));
  }

  /** The members watched now (configured, plus discovered ones seen so far). */
  fleet(): FleetMember[] {
    return [...this.members.values()];
  }

  member(name: string): FleetMember | undefined {
    return this.members.get(name);
  }

  async observe(now: number, only?: readonly string[]): Promise<AppObservation[]> {
    const wanted = only ? new Set(only) : undefined;
    const managed = await this.managedBase(now, wanted);
    await this.attachRestarts(managed, now);
    const self = await this.selfManagedBase(now, wanted);
    return [...managed, ...self];
  }

  async enrich(
    obs: AppObservation[],
    now: number,
    opts: { subtasksFor: ReadonlySet<string> },
  ): Promise<AppObservation[]> {
    const out: AppObservation[] = [];
    // Sequential on purpose: the enriched set is small (restarting, busy or incident apps) and a
    // burst of DescribeApplication calls is what gets a fleet-wide daemon throttled.
    for (const o of obs) {
      const m = this.members.get(o.app.name);
      if (!m) {
        out.push(o);
        continue;
      }
      try {
        out.push(
          await enrichObservation(o, m, now, {
            ports: this.deps.ports,
            rest: this.deps.restPort(m.target),
            policy: this.deps.policy,
            wantSubtasks: opts.subtasksFor.has(o.app.name),
            failureCache: this.failureCache,
            ...(m.kind === 'self-managed' && this.deps.admin ? { admin: this.deps.admin(m.target) } : {}),
          }),
        );
      } catch (e) {
        this.warn('enrichment failed: this app keeps its base observation', {
          app: o.app.name,
          error: (e as Error).message,
        });
        out.push(o);
      }
    }
    return out;
  }

  /** Status, version and runtime of MSF apps: ListApplications per region, or Describe per suspect. */
  private async managedBase(now: number, wanted: Set<string> | undefined): Promise<AppObservation[]> {
    const { config, ports } = this.deps;
    const byRegion = new Map<string, { region: string | undefined; members: FleetMember[] }>();
    for (const m of this.members.values()) {
      if (m.kind !== 'managed' || (wanted && !wanted.has(m.name))) continue;
      const k = regionKey(m.target.region);
      const g = byRegion.get(k) ?? { region: m.target.region, members: [] };
      g.members.push(m);
      byRegion.set(k, g);
    }
    if (!wanted && config.flink.discoverManaged && !byRegion.has(regionKey(config.aws.region)))
      byRegion.set(regionKey(config.aws.region), { region: config.aws.region, members: [] });

    const out: AppObservation[] = [];
    for (const { region, members } of byRegion.values()) {
      const msf = ports.msf(region);
      if (wanted) {
        for (const m of members) {
          try {
            const d = await msf.describeApplication(m.target.applicationName!, { tags: false });
            out.push(this.baseObservation(m, d, now));
          } catch (e) {
            this.warn('DescribeApplication failed: app skipped this re-check', {
              app: m.name,
              error: (e as Error).message,
            });
          }
        }
        continue;
      }
      // A failed ListApplications fails the tick: without statuses nothing can be decided.
      const listed = new Map((await msf.listApplications()).map((s) => [s.applicationName, s]));
      if (config.flink.discoverManaged && regionKey(region) === regionKey(config.aws.region)) {
        const known = new Set(
          [...this.members.values()].map((m) => m.target.applicationName).filter(Boolean),
        );
        for (const name of listed.keys()) {
          if (known.has(name)) continue;
          const m = discoveredMember(config, name);
          if (this.deps.inScope && !this.deps.inScope(m.name)) continue;
          this.members.set(m.name, m);
          members.push(m);
        }
      }
      for (const m of members) {
        const s = listed.get(m.target.applicationName!);
        if (!s) {
          this.warn('configured application not found by ListApplications', {
            app: m.name,
            applicationName: m.target.applicationName,
            region: region ?? '(default)',
          });
          continue;
        }
        out.push(this.baseObservation(m, s, now));
      }
    }
    return out;
  }

  private baseObservation(
    m: FleetMember,
    s: Pick<
      ManagedApplicationSummary,
      'applicationName' | 'applicationArn' | 'status' | 'versionId' | 'runtime'
    >,
    now: number,
  ): AppObservation {
    const account = accountOfArn(s.applicationArn);
    if (account) this.accounts.set(m.name, account);
    const app: FlinkApplicationInfo = {
      name: m.name,
      kind: 'managed',
      applicationName: s.applicationName,
      applicationArn: s.applicationArn,
      status: s.status,
      versionId: s.versionId,
      ...(s.runtime ? { runtime: s.runtime } : {}),
      ...(m.target.region ? { region: m.target.region } : {}),
    };
    return {
      app,
      ...(account ? { account } : {}),
      observedAt: now,
      ...healingOf(m),
    };
  }

  /** ONE getMetricSeries per region (≤ 500 queries per GetMetricData inside the probe). */
  private async attachRestarts(obs: AppObservation[], now: number): Promise<void> {
    const byRegion = new Map<string, AppObservation[]>();
    for (const o of obs) {
      const k = regionKey(o.app.region);
      byRegion.set(k, [...(byRegion.get(k) ?? []), o]);
    }
    const end = now;
    const start = Math.floor(now / PERIOD_MS) * PERIOD_MS - (this.periods - 1) * PERIOD_MS;
    for (const group of byRegion.values()) {
      const region = group[0]?.app.region;
      const queries = group.map((o) =>
        flinkAppQuery(o.app.name, o.app.applicationName!, 'restarts', {
          ...(o.app.runtime ? { runtime: o.app.runtime } : {}),
        }),
      );
      try {
        const series = await this.deps.ports
          .cloudWatch(region)
          .getMetricSeries(queries, { start, end, periodSec: 60 });
        group.forEach((o, i) => {
          const s = series[i];
          if (!s || s.status === 'error' || s.status === 'forbidden') return;
          o.restarts = {
            metric: restartMetricFor(o.app.runtime),
            source: 'cloudwatch',
            periodMs: PERIOD_MS,
            points: s.points.slice(-this.periods),
          };
        });
      } catch (e) {
        this.warn('GetMetricData failed: restart counters unknown this tick', {
          region: region ?? '(default)',
          apps: group.length,
          error: (e as Error).message,
        });
      }
    }
  }

  /** Self-managed jobs: status from /jobs/overview, the counter from /jobs/:id/metrics. */
  private async selfManagedBase(now: number, wanted: Set<string> | undefined): Promise<AppObservation[]> {
    const out: AppObservation[] = [];
    for (const m of this.members.values()) {
      if (m.kind !== 'self-managed' || (wanted && !wanted.has(m.name))) continue;
      const rest = this.deps.restPort(m.target);
      const base: AppObservation = {
        app: { name: m.name, kind: 'self-managed', status: 'UNKNOWN' },
        account: 'self-managed',
        observedAt: now,
        ...healingOf(m),
      };
      try {
        const job = pickJob(await rest.jobsOverview(), m.target);
        base.app = { ...base.app, status: job ? selfManagedStatus(job.state) : 'READY' };
        if (job) {
          base.runningSince = job.startTime;
          const count = await rest.restartCount(job.id);
          if (count) this.sampler.record(m.name, now, count.metric, count.value);
        }
      } catch (e) {
        this.warn('Flink REST unavailable: status and restarts unknown', {
          app: m.name,
          error: (e as Error).message,
        });
      }
      const series = this.sampler.series(m.name, now, this.periods);
      if (series) base.restarts = series;
      out.push(base);
    }
    return out;
  }
}

/** The per-application healer settings an observation carries to the pure core. */
function healingOf(m: FleetMember): Pick<AppObservation, 'healing'> {
  return m.checkpointStallAfterMs !== undefined
    ? { healing: { checkpointStallAfterMs: m.checkpointStallAfterMs } }
    : {};
}

/**
 * A self-managed job's state in MSF's vocabulary, so the same detectors and playbooks apply:
 * a job that exists and is not terminal is a RUNNING application (its restarts show in the
 * counter); a terminal or absent job is READY (stopped).
 */
export function selfManagedStatus(jobState: string): string {
  switch (jobState) {
    case 'FINISHED':
    case 'CANCELED':
    case 'FAILED':
    case 'SUSPENDED':
      return 'READY';
    case 'CANCELLING':
      return 'STOPPING';
    default:
      return 'RUNNING';
  }
}
