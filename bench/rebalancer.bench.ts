/**
 * Rebalancer benchmark: plan time, peak memory and plan quality (moved bytes against the lower
 * bound, spreads before/after) on generated snapshots (../shared/fixtures/clusters/generate.py)
 * of 20k partitions / 12 brokers, 200k / 60, ~2.8M replicas / 215 brokers, a scale-out and a
 * broker removal. Snapshots go to a temp dir, never the repo. Each case runs in its own process so
 * its peak RSS is its own. Ends with one `{"bench":"rebalancer",...}` JSON line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClusterSnapshot, readSnapshotFile } from '../src/domain/snapshot.js';
import type { PlanOptions } from '../src/rebalancer/options.js';
import { planAndReport } from '../src/rebalancer/report.js';
import { snapshotGenerator } from '../test/peers/sandbox/shared-dir.js';
import { DISTRIBUTIONS, generateCluster } from './cluster-gen.js';
import { rackFigures } from './rack-figures.js';

interface Case {
  name: string;
  /** Arguments of the Python generator; absent for the in-process distributions (cluster-gen.ts). */
  gen?: string[];
  options: Partial<PlanOptions>;
}

const GENERATOR = process.env.STREAMCTL_GENERATOR ?? snapshotGenerator();
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const CASES: Case[] = [
  {
    name: '20k-partitions-12-brokers',
    gen: ['--partitions', '20000', '--brokers', '12', '--topics', '200', '--seed', '21'],
    options: {},
  },
  {
    name: '200k-partitions-60-brokers',
    gen: ['--partitions', '200000', '--brokers', '60', '--topics', '1000', '--seed', '22'],
    options: {},
  },
  {
    name: '2.8M-replicas-215-brokers',
    gen: ['--partitions', '933334', '--rf', '3', '--brokers', '215', '--topics', '3000', '--seed', '23'],
    options: {},
  },
  {
    name: 'scale-out-200k-48+12-brokers',
    gen: [
      '--partitions',
      '200000',
      '--brokers',
      '48',
      '--new-brokers',
      '12',
      '--topics',
      '1000',
      '--seed',
      '24',
    ],
    options: { addBrokers: ids(49, 60).map((id) => ({ id })) },
  },
  {
    name: 'remove-1-of-60-brokers-200k',
    gen: ['--partitions', '200000', '--brokers', '60', '--topics', '1000', '--seed', '22'],
    options: { removeBrokers: [60] },
  },
];

for (const d of DISTRIBUTIONS) CASES.push({ name: d.name, options: {} });

const self = fileURLToPath(import.meta.url);
const only = process.env.BENCH_CASE;

if (only) {
  runCase(CASES.find((c) => c.name === only)!, process.env.BENCH_SNAPSHOT!);
} else {
  main();
}

function main(): void {
  const dir = join(tmpdir(), `streamctl-rebalancer-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const rows: Record<string, unknown>[] = [];
  try {
    for (const c of CASES) {
      if (process.env.BENCH_ONLY && !c.name.includes(process.env.BENCH_ONLY)) continue;
      const file = c.gen ? join(dir, `${c.gen.join('_').replace(/-/g, '')}.json`) : '';
      if (c.gen && !existsSync(file)) {
        const g = spawnSync('python3', [GENERATOR, ...c.gen, '--out', file], { stdio: 'inherit' });
        if (g.status !== 0) throw new Error(`generator failed for ${c.name}`);
      }
      const r = spawnSync(process.execPath, [...process.execArgv, self], {
        env: { ...process.env, BENCH_CASE: c.name, BENCH_SNAPSHOT: file },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{"case"'));
      if (r.status !== 0 || !line) {
        process.stdout.write(`!! ${c.name} failed (exit ${r.status})\n`);
        continue;
      }
      const row = JSON.parse(line) as Record<string, unknown>;
      rows.push(row);
      print(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printWorst(rows);
  process.stdout.write(`${JSON.stringify({ bench: 'rebalancer', cases: rows })}\n`);
}

function load(c: Case, file: string): { snap: ClusterSnapshot; options: Partial<PlanOptions> } {
  if (c.gen) return { snap: readSnapshotFile(file), options: c.options };
  const g = generateCluster(DISTRIBUTIONS.find((d) => d.name === c.name)!);
  return { snap: g.snapshot, options: g.options };
}

function runCase(c: Case, file: string): void {
  let t = performance.now();
  const { snap, options } = load(c, file);
  const loadMs = performance.now() - t;
  const rssAfterLoad = process.memoryUsage().rss;
  t = performance.now();
  const cpu = process.cpuUsage();
  const { report, plan } = planAndReport(snap, { plan: options, throttleBytesPerSec: 50e6 });
  const planMs = performance.now() - t;
  // CPU time too: on a shared machine wall time mostly measures the neighbours.
  const planCpu = process.cpuUsage(cpu);
  const f = report.figures;
  const racks = rackFigures(snap, plan, options.removeBrokers ?? []);
  const replicas = snap.partitions.reduce((s, p) => s + p.replicas.length, 0);
  const row = {
    case: c.name,
    brokers: snap.brokers.length,
    partitions: snap.partitions.length,
    replicas,
    loadMs: Math.round(loadMs),
    planMs: Math.round(planMs),
    planCpuMs: Math.round((planCpu.user + planCpu.system) / 1000),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    rssAfterLoadMB: Math.round(rssAfterLoad / 2 ** 20),
    heapUsedMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    partitionsChanged: f.partitionsChanged,
    replicaMoves: f.replicaMoves,
    leaderOnlyChanges: f.leaderOnlyChanges,
    movedBytes: f.movedBytes,
    lowerBoundBytes: f.lowerBoundBytes,
    movedOverLowerBound: f.movedOverLowerBound,
    utilisationSpread: f.utilisationSpread,
    replicaCountSpread: f.replicaCountSpread,
    leaderSpread: f.leaderSpread,
    rackViolations: racks,
    goals: report.goals,
    // JBOD: intra-broker balance after the inter-broker plan (src/rebalancer/log-dirs.ts).
    logDirs: {
      brokers: report.logDirs.brokers,
      spread: report.logDirs.spread,
      moves: report.logDirs.moves,
      movedBytes: report.logDirs.movedBytes,
      lowerBoundBytes: report.logDirs.lowerBoundBytes,
      placements: report.logDirs.placements,
      met: report.logDirs.met,
    },
    batches: f.batches,
    estimatedDurationAt50MBps: f.estimatedDurationMs,
    minimumDurationAt50MBps: f.minimumDurationMs,
  };
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

// biome-ignore lint/suspicious/noExplicitAny: a row parsed back from a child's JSON line
function print(r: Record<string, any>): void {
  const tb = (b: number) => `${(b / 1e12).toFixed(2)} TB`;
  const sp = (s: { before: number; after: number }) => `${s.before.toFixed(3)} → ${s.after.toFixed(3)}`;
  process.stdout.write(
    [
      `${r.case}: ${r.brokers} brokers, ${r.partitions} partitions, ${r.replicas} replicas`,
      `  load ${r.loadMs} ms (JSON parse + validation), plan ${r.planMs} ms (CPU ${r.planCpuMs} ms), peak RSS ${r.peakRssMB} MB (after load ${r.rssAfterLoadMB} MB)`,
      `  moved ${tb(r.movedBytes)}, LB ${tb(r.lowerBoundBytes)}, moved/LB ${r.movedOverLowerBound?.toFixed(4) ?? '-'}; ` +
        `${r.partitionsChanged} partitions changed, ${r.replicaMoves} replica moves, ${r.leaderOnlyChanges} leader-only`,
      `  spreads: disk ${sp(r.utilisationSpread)}, replicas ${sp(r.replicaCountSpread)}, leaders ${sp(r.leaderSpread)}; goals ${JSON.stringify(r.goals)}`,
      `  rack violations ${r.rackViolations.before} → ${r.rackViolations.after} (${r.rackViolations.movedStillViolating} of the moved partitions still rack-duplicated)`,
      ...(r.logDirs?.brokers
        ? [
            `  log dirs (${r.logDirs.brokers} JBOD brokers): dir spread ${sp(r.logDirs.spread)}, ${r.logDirs.moves} moves between dirs, ` +
              `${tb(r.logDirs.movedBytes)} moved (LB ${tb(r.logDirs.lowerBoundBytes)}, ratio ${(r.logDirs.movedBytes / Math.max(1, r.logDirs.lowerBoundBytes)).toFixed(4)}), ` +
              `${r.logDirs.placements} new replicas placed free; band met ${r.logDirs.met}`,
          ]
        : []),
      `  ${r.batches} batches, ${((r.estimatedDurationAt50MBps ?? 0) / 3.6e6).toFixed(1)} h at 50 MB/s ` +
        `(busiest broker alone: ${((r.minimumDurationAt50MBps ?? 0) / 3.6e6).toFixed(1)} h)`,
      '',
    ].join('\n'),
  );
}

/** The worst value of each figure over the rows, and the row it comes from. */
// biome-ignore lint/suspicious/noExplicitAny: rows parsed back from the children's JSON lines
function printWorst(rows: Record<string, any>[]): void {
  if (rows.length === 0) return;
  // biome-ignore lint/suspicious/noExplicitAny: the same parsed rows
  const worst = (label: string, get: (r: Record<string, any>) => number, digits: number) => {
    const r = rows.reduce((a, b) => (get(b) > get(a) ? b : a));
    return `${label} ${get(r).toFixed(digits)} (${r.case})`;
  };
  process.stdout.write(
    [
      'WORST ROW:',
      `  ${worst('moved/LB', (r) => r.movedOverLowerBound ?? 0, 4)}`,
      `  ${worst('disk spread', (r) => r.utilisationSpread.after, 3)}`,
      `  ${worst('replica-count spread', (r) => r.replicaCountSpread.after, 3)}`,
      `  ${worst('leader spread', (r) => r.leaderSpread.after, 3)}`,
      `  ${worst('moved partitions still rack-duplicated', (r) => r.rackViolations.movedStillViolating, 0)}`,
      `  ${worst('plan wall ms', (r) => r.planMs, 0)}`,
      `  ${worst('log-dir spread', (r) => r.logDirs?.spread.after ?? 1, 3)}`,
      '',
    ].join('\n'),
  );
}
