/**
 * Shards bench (`npm run bench -- shards`): 20,000 simulated MSF applications on 4 healer replicas
 * with K = 8 shards, on one real PostgreSQL store (Debian's server, initdb in a temp dir), at a
 * simulated 60 s tick. Each replica is its own process (bench/shards-replica.ts): it takes its
 * shards through the same plan and leases as the daemon, then runs SHARDS_TICKS full ticks of the
 * daemon's real per-tick work per shard (observe through the real CloudWatch probe's batching,
 * detect, classify, decide, fenced journal writes, fleet counts through the store).
 * Printed per replica: shards held, applications, CPU time and wall time per tick (the budget is
 * the 60 s tick), peak RSS, GetMetricData calls per tick. Figures are ratios within one run.
 *
 * SHARDS_APPS (default 20000), SHARDS_REPLICAS (4), SHARDS_K (8), SHARDS_TICKS (10).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgresServer } from '../test/peers/sandbox/postgres/server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APPS = Number(process.env.SHARDS_APPS ?? 20_000);
const REPLICAS = Number(process.env.SHARDS_REPLICAS ?? 4);
const K = Number(process.env.SHARDS_K ?? 8);
const TICKS = Number(process.env.SHARDS_TICKS ?? 10);

interface Figures {
  replica: string;
  shards: number[];
  apps: number;
  looping: number;
  cpuMsPerTick: number;
  wallMsPerTick: number;
  firstTickWallMs: number;
  laterTickWallMs: number;
  fleetLoopingSeen: number;
  maxRssMb: number;
  getMetricDataPerTick: number;
}

function replica(url: string, id: string, t0: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'bench/shards-replica.ts'),
        url,
        id,
        String(K),
        String(APPS),
        String(TICKS),
        String(REPLICAS),
        String(t0),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c;
    });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) resolve(JSON.parse(line) as Figures);
      else reject(new Error(`${id} exited ${code}: ${out}`));
    });
  });
}

async function main(): Promise<void> {
  const server = await startPostgresServer();
  try {
    const admin = new pg.Client({ connectionString: server.info().url });
    await admin.connect();
    await admin.query('CREATE DATABASE shards');
    await admin.end();
    const url = server.info().url.replace(/\/postgres$/, '/shards');
    const t0 = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: REPLICAS }, (_, i) => `replica-${i + 1}`);
    const figures = await Promise.all(ids.map((id) => replica(url, id, t0)));
    process.stdout.write(
      `${APPS} applications, ${REPLICAS} replicas, K = ${K} shards, ${TICKS} simulated 60 s ticks each (PostgreSQL store, dry-run)\n`,
    );
    for (const f of figures)
      process.stdout.write(
        `  ${f.replica}: shards [${f.shards.join(', ')}], ${f.apps} apps (${f.looping} looping), CPU ${f.cpuMsPerTick} ms/tick (${((f.cpuMsPerTick / 60_000) * 100).toFixed(2)} % of the tick), wall ${f.firstTickWallMs} ms first tick then ${f.laterTickWallMs} ms/tick, peak RSS ${f.maxRssMb} MB, GetMetricData ${f.getMetricDataPerTick} calls/tick\n`,
      );
    const total = figures.reduce((n, f) => n + f.apps, 0);
    const looping = figures.reduce((n, f) => n + f.looping, 0);
    process.stdout.write(
      `  looping applications: ${looping}; the fleet breaker's count read back from the store by each replica: ${figures.map((f) => f.fleetLoopingSeen).join(', ')}\n`,
    );
    process.stdout.write(
      `  every application watched exactly once: ${total === APPS} (${total}); GetMetricData per tick, all replicas: ${figures.reduce((n, f) => n + f.getMetricDataPerTick, 0)} (one replica for the whole fleet: ${Math.ceil(APPS / 500)} at least)\n`,
    );
    process.stdout.write(
      `${JSON.stringify({ bench: 'shards', apps: APPS, replicas: REPLICAS, k: K, ticks: TICKS, perReplica: figures, watchedOnce: total === APPS, looping })}\n`,
    );
  } finally {
    await server.destroy();
  }
}

await main();
