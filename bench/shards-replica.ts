/**
 * One replica of the shards bench (bench/shards.bench.ts), in its own process so its CPU time and
 * RSS are its own. argv: storeUrl replica k apps ticks replicas t0.
 *
 * It joins the membership, takes its shards by the same pure plan as the daemon (planShards) and
 * real leases in PostgreSQL, then runs `ticks` full ticks per held shard at a simulated 60 s tick
 * (virtual time, as fast as the machine goes) with the daemon's real per-tick work: the live
 * observer scoped to the shard (ListApplications shared per replica, the restart counters through
 * the real CloudWatch probe and its GetMetricData batching of ≤ 500 queries per call), detection,
 * classification, decisions, and the store writes (fenced journal, fleet counts of the shard, the
 * fleet-wide breaker and budget read back). Mode dry-run: decisions are journaled, nothing acts.
 * Prints one JSON line of figures.
 */
import { defaultClassifier } from '../src/healer/classifier.js';
import { policyFromConfig } from '../src/healer/policy.js';
import { planShards, shardLeaseName, shardOf } from '../src/healer/shards.js';
import { initialFleetState } from '../src/healer/state.js';
import { createCloudWatchProbe } from '../src/probes/cloudwatch/index.js';
import type { FlinkPorts } from '../src/services/flink/context.js';
import { StoreFleetPeers } from '../src/services/healer/fleet-peers.js';
import { createDaemonLogger } from '../src/services/healer/logger.js';
import { shardJournal, sharedListings } from '../src/services/healer/shard-scope.js';
import { runTick, type TickDeps } from '../src/services/healer/tick.js';
import { buildLivePorts } from '../src/services/healer/wiring.js';
import { PostgresStore } from '../src/store/postgres.js';
import { FakeCloudWatchLogs } from '../test/fakes/cloudwatch-logs/fake.js';
import { FakeManagedFlink } from '../test/fakes/managed-flink/fake.js';
import { configOf, jobView, restWithJob } from '../test/services/healer/fixtures.js';
import { countingCloudWatchClient } from './shards-world.js';

const [url, replica, kArg, appsArg, ticksArg, replicasArg, t0Arg] = process.argv.slice(2) as string[];
const K = Number(kArg);
const APPS = Number(appsArg);
const TICKS = Number(ticksArg);
const REPLICAS = Number(replicasArg);
const T0 = Number(t0Arg);
const TICK_MS = 60_000;
// Renewed at every simulated tick (the daemon renews every ttl/3 of wall time): outlives one tick.
const TTL = 2 * TICK_MS;

let now = T0;
const clock = { now: () => now, sleep: async () => undefined };
const config = configOf({
  aws: { region: 'us-east-1' },
  flink: { discoverManaged: true },
  healer: { mode: 'dry-run', tickInterval: '60s' },
});
const policy = policyFromConfig(config.healer);
const rest = restWithJob(jobView('c'.repeat(32), 'job', { RUNNING: 1 }));

function world(): { ports: FlinkPorts; metricCalls: () => number } {
  const msf = new FakeManagedFlink(() => now);
  for (let i = 0; i < APPS; i++)
    msf.add({ applicationName: `app-${String(i).padStart(5, '0')}`, runtime: 'FLINK-1_20' });
  const cw = countingCloudWatchClient(T0);
  const probe = createCloudWatchProbe(cw.client);
  const logs = new FakeCloudWatchLogs();
  const ports: FlinkPorts = {
    msf: () => msf,
    cloudWatch: () => probe,
    logs: () => logs,
    apiCallStats: () => ({}),
    close: () => undefined,
  };
  return { ports: sharedListings(ports, clock, 10_000), metricCalls: () => cw.calls };
}

/** Joins, then takes its share of the shards (the same plan the daemon's manager follows). */
async function takeShards(store: PostgresStore): Promise<Map<number, number>> {
  const reg = store.shards();
  const held = new Map<number, number>();
  for (;;) {
    await reg.heartbeat(replica!, TTL, T0, K);
    const [members, leases] = await Promise.all([reg.members(), store.leases('healer/shard-')]);
    if (members.filter((m) => m.expiresAt > T0).length >= REPLICAS) {
      const holds = leases.map((l) => ({
        shard: Number(l.name.split('-').pop()),
        holder: l.holder,
        expiresAt: l.expiresAt,
      }));
      const plan = planShards({ me: replica!, k: K, now: T0, members, holds });
      for (const s of plan.acquire) {
        const r = await store.tryAcquireLease(shardLeaseName(s), replica!, TTL, T0);
        if (r.ok) held.set(s, r.lease.token);
      }
      const covered = new Set(leases.map((l) => l.name)).size + plan.acquire.length;
      if (held.size >= plan.target || (covered >= K && held.size > 0)) return held;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One held shard's tick deps, as the daemon's ShardWorker builds them (without its loop). */
function shardRun(store: PostgresStore, ports: FlinkPorts, shard: number, token: number) {
  const inScope = (app: string) => shardOf(app, K) === shard;
  const fence = { lease: shardLeaseName(shard), token };
  const live = buildLivePorts({
    config,
    policy,
    ports,
    clock,
    notifier: { notify: async () => [] },
    log: createDaemonLogger('silent'),
    inScope,
    restPort: () => rest,
  });
  const deps: TickDeps = {
    observer: live.observer,
    actions: live.actions,
    journal: shardJournal(store.journal(fence), inScope, K),
    classifier: defaultClassifier,
    policy,
    healingEnabled: () => true,
    now: () => now,
    fleetPeers: new StoreFleetPeers({
      registry: store.shards(),
      journal: () => store.journal(),
      shard,
      k: K,
      fence: () => fence,
      maxAgeMs: TTL + 2 * TICK_MS,
    }),
  };
  return { shard, fence, state: initialFleetState(), deps };
}

async function main(): Promise<void> {
  const store = await PostgresStore.open({ url: url! });
  const { ports, metricCalls } = world();
  const held = await takeShards(store);
  const shards = [...held].map(([shard, token]) => shardRun(store, ports, shard, token));
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let apps = 0;
  let looping = 0;
  const walls: number[] = [];
  for (let t = 0; t < TICKS; t++) {
    const tickStart = performance.now();
    now = T0 + (t + 1) * TICK_MS;
    await store.shards().heartbeat(replica!, TTL, now, K);
    for (const s of shards) {
      if (!(await store.renewLease(s.fence.lease, replica!, s.fence.token, TTL, now)))
        throw new Error(`${replica} lost ${s.fence.lease}`);
      const r = await runTick(s.deps, s.state, now);
      s.state = r.state;
      if (t === TICKS - 1) {
        apps += r.report.apps.length;
        looping += Object.values(r.state.fleetView).filter((v) => v.looping).length;
      }
    }
    walls.push(performance.now() - tickStart);
  }
  // What the fleet breaker of any shard sums: every shard's published looping count.
  const published = await store.shards().fleetCounts();
  const fleetLoopingSeen = published.flatMap((p) => p.contexts).reduce((n, c) => n + c.appsLooping, 0);
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({
      replica,
      shards: [...held.keys()].sort((a, b) => a - b),
      apps,
      looping,
      ticks: TICKS,
      cpuMsPerTick: Math.round((cpu.user + cpu.system) / 1000 / TICKS),
      wallMsPerTick: Math.round((performance.now() - wall0) / TICKS),
      firstTickWallMs: Math.round(walls[0] ?? 0),
      laterTickWallMs: Math.round(walls.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, walls.length - 1)),
      fleetLoopingSeen,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      getMetricDataPerTick: metricCalls() / TICKS,
    })}\n`,
  );
  await store.close();
}

await main();
