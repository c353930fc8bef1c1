/**
 * Healer benchmark (`npm run bench -- healer`).
 *
 * 1. A simulated fleet of 5,000 MSF applications observed at a 60 s tick for one virtual hour
 *    (plus the 15 s suspect re-checks): observe-from-the-simulated-world + detect + classify +
 *    decide + act + journal (SQLite file, WAL, synchronous=FULL). The fleet is mostly quiet, with
 *    scripted bad deploys (user loops), transient system loops, single blips and maintenance.
 *    Figures: CPU time per full tick (process.cpuUsage), the AWS calls a live observer would make
 *    per tick (GetMetricData batched ≤ 500 queries per call; ListApplications pages of 50;
 *    Describe/ListOperations only for enriched apps), peak RSS, actions and harmful actions.
 * 2. Every public scenario: detection latency after the loop's third restart, and harmful actions.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultClassifier } from '../src/healer/classifier.js';
import { policyFromConfig } from '../src/healer/policy.js';
import { initialFleetState } from '../src/healer/state.js';
import { SqliteJournal } from '../src/services/healer/journal/sqlite.js';
import { runTick } from '../src/services/healer/tick.js';
import {
  type ApiCalls,
  DaemonCrash,
  SimActions,
  SimObserver,
  zeroCalls,
} from '../src/services/simulate/ports.js';
import { simulate } from '../src/services/simulate/run.js';
import { loadScenario, parseScenario } from '../src/services/simulate/scenario.js';
import { SimWorld } from '../src/services/simulate/world.js';

const APPS = 5_000;
const HOUR = 3_600_000;
const MIN = 60_000;

const NPE = `java.lang.NullPointerException: Cannot invoke "String.length()" because "sku" is null
	at com.acme.catalog.NormalizeSku.map(NormalizeSku.java:31)
	at org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)
	at org.apache.flink.runtime.taskmanager.Task.run(Task.java:568)`;
const KAFKA = `org.apache.flink.util.FlinkRuntimeException: Failed to fetch next record
	at org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherManager.checkErrors(SplitFetcherManager.java:261)
Caused by: org.apache.kafka.common.errors.TimeoutException: Timeout of 60000ms expired before the position for partition clicks-3 could be determined`;
const CKPT = `org.apache.flink.runtime.checkpoint.CheckpointException: Asynchronous task checkpoint failed.
Caused by: java.net.SocketTimeoutException: Read timed out`;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function fleetBench() {
  const scenario = parseScenario(
    JSON.stringify({
      name: 'bench-fleet',
      description: '5,000 applications',
      duration: '60m',
      healer: { mode: 'act', maxActionsPerHour: 100 },
      app: { name: 'fleet-0000' },
      fleet: { apps: APPS - 1 },
      expect: {},
    }),
    'bench',
  );
  const policy = policyFromConfig(scenario.healer);
  const world = new SimWorld(scenario);
  const names = [...world.apps.keys()];
  // Script the fleet: bad deploys (rolled back), transient system loops (left alone), blips and maintenance.
  const loops = new Map<string, { from: number; every: number; cause: 'user' | 'system' }>();
  for (let k = 0; k < 24; k++) {
    const name = names[100 + k * 97]!;
    // Phases relative to the 1-minute periods and restart intervals (20–60 s) vary from loop to loop.
    const at = 3 * MIN + k * 2 * MIN + ((k * 7_919) % 60) * 1_000;
    world.applyEventTo(name, { at, update: { toVersion: 4, duration: 60_000 } });
    const from = at + 75_000 + ((k * 3_571) % 30) * 1_000;
    const every = 20_000 + (k % 5) * 10_000;
    world.applyEventTo(name, { at: from, loop: { every, cause: 'user', exception: NPE } });
    loops.set(name, { from, every, cause: 'user' });
  }
  for (let k = 0; k < 12; k++) {
    const name = names[200 + k * 131]!;
    const from = 5 * MIN + k * 4 * MIN + ((k * 4_421) % 60) * 1_000;
    world.applyEventTo(name, {
      at: from,
      loop: { every: 30_000, until: from + 4 * MIN, cause: 'system', exception: KAFKA },
    });
    loops.set(name, { from, every: 30_000, cause: 'system' });
  }
  for (let k = 0; k < 60; k++)
    world.applyEventTo(names[300 + k * 71]!, {
      at: 2 * MIN + k * 50_000,
      restarts: { count: 1, spacing: 5_000, cause: 'system', exception: CKPT },
    });
  for (let k = 0; k < 30; k++)
    world.applyEventTo(names[400 + k * 101]!, {
      at: 4 * MIN + k * 90_000,
      maintenance: { duration: 60_000, restarts: 2 },
    });

  const dir = mkdtempSync(join(tmpdir(), 'streamctl-healer-bench-'));
  const journal = new SqliteJournal(join(dir, 'journal.db'));
  let now = 0;
  const observer = new SimObserver(
    world,
    { account: '123456789012', region: 'us-east-1' },
    policy.loop.windowPeriods,
  );
  const actions = new SimActions(world, () => now);
  const deps = {
    observer,
    actions,
    journal,
    classifier: defaultClassifier,
    policy,
    healingEnabled: () => true,
    now: () => now,
  };

  let state = initialFleetState();
  const nextCheck = new Map<string, number>();
  const detected = new Map<string, number>();
  const fullCpuMs: number[] = [];
  const fullCalls: ApiCalls[] = [];
  let checkTicks = 0;
  let checkCpuMs = 0;
  let peakRss = process.memoryUsage().rss;
  let nextFull = 0;
  for (now = 0; now <= HOUR; now += 5_000) {
    world.advanceTo(now);
    const full = now >= nextFull;
    const due = full ? undefined : [...nextCheck.entries()].filter(([, t]) => t <= now).map(([a]) => a);
    if (!full && due!.length === 0) continue;
    const before = { ...observer.calls };
    const cpu0 = process.cpuUsage();
    let tick: Awaited<ReturnType<typeof runTick>>;
    try {
      tick = await runTick(deps, state, now, due);
    } catch (e) {
      if (e instanceof DaemonCrash) throw new Error('no crash is scheduled in the benchmark');
      throw e;
    }
    const cpu = process.cpuUsage(cpu0);
    const ms = (cpu.user + cpu.system) / 1000;
    state = tick.state;
    if (full) {
      nextFull = now + policy.tickIntervalMs;
      fullCpuMs.push(ms);
      const calls = zeroCalls();
      for (const k of Object.keys(calls) as (keyof ApiCalls)[]) calls[k] = observer.calls[k] - before[k];
      fullCalls.push(calls);
    } else {
      checkTicks++;
      checkCpuMs += ms;
    }
    for (const r of tick.report.apps) {
      if (r.nextCheckAt !== undefined) nextCheck.set(r.app, r.nextCheckAt);
      else nextCheck.delete(r.app);
      if (!detected.has(r.app) && r.anomalies.some((a) => a.kind === 'restart-loop'))
        detected.set(r.app, now);
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  await journal.close();
  rmSync(dir, { recursive: true, force: true });

  const latencies = [...loops.entries()]
    .map(([name, l]) => (detected.get(name) ?? Number.POSITIVE_INFINITY) - (l.from + 2 * l.every))
    .sort((a, b) => a - b);
  const sortedCpu = [...fullCpuMs].sort((a, b) => a - b);
  const maxCalls = (k: keyof ApiCalls) => Math.max(...fullCalls.map((c) => c[k]));
  const harmful = world.actions.flatMap((a) => a.harmful.map((h) => `${a.type} on ${a.app}: ${h}`));
  const rollbacks = world.actions.filter((a) => a.type === 'rollback' && a.result === 'accepted');
  const rolledBackSystem = rollbacks.filter((a) => loops.get(a.app)?.cause === 'system').length;
  return {
    apps: APPS,
    fullTicks: fullCpuMs.length,
    tickCpuMsP50: Math.round(pct(sortedCpu, 50)),
    tickCpuMsP95: Math.round(pct(sortedCpu, 95)),
    tickCpuMsMax: Math.round(sortedCpu[sortedCpu.length - 1] ?? 0),
    suspectChecks: checkTicks,
    suspectCheckCpuMsMean: checkTicks ? Math.round((checkCpuMs / checkTicks) * 10) / 10 : 0,
    getMetricDataPerFullTick: maxCalls('GetMetricData'),
    metricQueriesPerFullTick: maxCalls('GetMetricDataQueries'),
    listApplicationsPerFullTick: maxCalls('ListApplications'),
    describeApplicationPerFullTickMax: maxCalls('DescribeApplication'),
    listOperationsPerFullTickMax: maxCalls('ListApplicationOperations'),
    totalCalls: observer.calls,
    peakRssMb: Math.round(peakRss / 1048576),
    loops: loops.size,
    loopsDetected: latencies.filter(Number.isFinite).length,
    detectionLatencyMsP50: pct(latencies, 50),
    detectionLatencyMsMax: latencies[latencies.length - 1] ?? 0,
    rollbacks: rollbacks.length,
    rollbacksOnSystemFaults: rolledBackSystem,
    actions: world.actions.length,
    harmful,
  };
}

async function scenarioBench() {
  const dir = join(import.meta.dirname, '../scenarios');
  const out: {
    scenario: string;
    passed: boolean;
    detectionLatencyMs?: number;
    harmful: number;
    outcome: string;
  }[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.yaml'))
    .sort()) {
    const r = await simulate(loadScenario(join(dir, f)), { file: f });
    out.push({
      scenario: r.scenario,
      passed: r.passed,
      ...(r.figures.detectionLatencyMs !== undefined
        ? { detectionLatencyMs: r.figures.detectionLatencyMs }
        : {}),
      harmful: r.figures.harmful.length,
      outcome: r.figures.outcome,
    });
  }
  return out;
}

const fleet = await fleetBench();
process.stdout.write(
  `Fleet of ${fleet.apps} applications, ${fleet.fullTicks} full ticks (60 s) + ${fleet.suspectChecks} suspect re-checks (15 s), one virtual hour\n`,
);
process.stdout.write(
  `  tick CPU (observe-from-fake + detect + classify + decide + act + SQLite journal): p50 ${fleet.tickCpuMsP50} ms, p95 ${fleet.tickCpuMsP95} ms, max ${fleet.tickCpuMsMax} ms; suspect re-check mean ${fleet.suspectCheckCpuMsMean} ms\n`,
);
process.stdout.write(
  `  AWS calls per full tick: GetMetricData ${fleet.getMetricDataPerFullTick} (${fleet.metricQueriesPerFullTick} queries, ≤ 500 per call), ListApplications ${fleet.listApplicationsPerFullTick}, DescribeApplication ≤ ${fleet.describeApplicationPerFullTickMax}, ListApplicationOperations ≤ ${fleet.listOperationsPerFullTickMax}\n`,
);
process.stdout.write(`  peak RSS ${fleet.peakRssMb} MB\n`);
process.stdout.write(
  `  loops: ${fleet.loopsDetected}/${fleet.loops} detected, latency after the third restart p50 ${fleet.detectionLatencyMsP50 / 1000} s, max ${fleet.detectionLatencyMsMax / 1000} s\n`,
);
process.stdout.write(
  `  actions ${fleet.actions} (${fleet.rollbacks} rollbacks, ${fleet.rollbacksOnSystemFaults} on system faults); harmful ${fleet.harmful.length}${fleet.harmful.length ? `: ${fleet.harmful.join('; ')}` : ''}\n`,
);
const scenarios = await scenarioBench();
process.stdout.write('Scenarios (detection latency after the third restart):\n');
for (const s of scenarios) {
  process.stdout.write(
    `  ${s.scenario.padEnd(30)} ${s.passed ? 'pass' : 'FAIL'}  ${s.detectionLatencyMs !== undefined ? `${s.detectionLatencyMs / 1000} s` : '—'.padEnd(4)}  outcome ${s.outcome}, harmful ${s.harmful}\n`,
  );
}
const harmful = fleet.harmful.length + scenarios.reduce((n, s) => n + s.harmful, 0);
process.stdout.write(
  `${JSON.stringify({
    bench: 'healer',
    ...fleet,
    harmful,
    scenarios: scenarios.length,
    scenariosPassed: scenarios.filter((s) => s.passed).length,
    scenarioDetectionLatencyMs: Object.fromEntries(
      scenarios
        .filter((s) => s.detectionLatencyMs !== undefined)
        .map((s) => [s.scenario, s.detectionLatencyMs]),
    ),
    goals: {
      getMetricDataPer500Apps: fleet.getMetricDataPerFullTick <= Math.ceil(fleet.apps / 500),
      detectedWithin90s: fleet.detectionLatencyMsMax <= 90_000,
      zeroHarmful: harmful === 0,
    },
  })}\n`,
);
