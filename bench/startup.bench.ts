/**
 * Start-up of the compiled CLI (bin/run.js → dist/), as ratios to a bare `node -e 0` measured in
 * the same rounds, so that the machine's load of the moment cancels out:
 *  - `streamctl --help`                          target ≤ 3×
 *  - `streamctl kafka disk --snapshot F` (whole run, a 6-broker snapshot)   target ≤ 5×
 *  - the heaviest command's start                target ≤ 8×
 * A command's start is what bin/run.js does before the command's run(): load oclif, read the
 * manifest, import the command's module graph (bench/startup-probe.mjs). The heaviest is found by
 * probing every command of the manifest first. Each round runs every measured command once, in
 * turn; the ratio is median(command) / median(node -e 0), and the min-based ratio is printed too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'bin', 'run.js');
const PROBE = join(root, 'bench', 'startup-probe.mjs');
const ROUNDS = Number(process.env.STARTUP_ROUNDS ?? 21);
const SCAN_ROUNDS = 3;

interface Measured {
  label: string;
  args: string[];
  /** Exit codes that mean the command did its job (kafka disk exits with the worst severity). */
  ok: number[];
}

/** Wall time of one run, in ms; throws when the command failed, so no failure is timed. */
function runOnce(m: Measured): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, m.args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production', NO_COLOR: '1' },
  });
  const ms = performance.now() - t0;
  if (r.status === null || !m.ok.includes(r.status)) {
    throw new Error(`${m.label}: exit ${r.status ?? r.signal}\n${r.stderr}`);
  }
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Runs every measured command once per round, in turn; returns each one's times. */
function rounds(list: Measured[], n: number): number[][] {
  const times = list.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (const [j, m] of list.entries()) times[j]!.push(runOnce(m));
  }
  return times;
}

/** A small, valid cluster snapshot (docs/…: the snapshot format), 6 brokers and 120 partitions. */
function writeSnapshot(file: string): void {
  const brokers = [1, 2, 3, 4, 5, 6].map((id) => ({
    id,
    rack: `use1-az${((id - 1) % 3) + 1}`,
    capacityBytes: 1_000_000_000_000,
  }));
  const partitions = Array.from({ length: 120 }, (_, i) => {
    const lead = (i % 6) + 1;
    return {
      topic: `topic-${Math.floor(i / 12)}`,
      partition: i % 12,
      replicas: [lead, (lead % 6) + 1, ((lead + 1) % 6) + 1],
      leader: lead,
      sizeBytes: 2_000_000_000 + ((i * 7919) % 1000) * 4_000_000,
    };
  });
  const snapshot = { version: 1, cluster: 'bench', capturedAt: '2026-11-22T00:00:00Z', brokers, partitions };
  writeFileSync(file, JSON.stringify(snapshot));
}

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], {
  encoding: 'utf8',
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (build.status !== 0) throw new Error('npm run build failed');

const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
try {
  const snapshot = join(dir, 'snapshot.json');
  writeSnapshot(snapshot);
  const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, unknown>;
  };
  const ids = Object.keys(manifest.commands).map((id) => id.split(':').join(' '));
  const probe = (id: string): Measured => ({ label: `start of ${id}`, args: [PROBE, id], ok: [0] });

  // 1. The heaviest command: every command's start, a few rounds each.
  const scan = rounds(ids.map(probe), SCAN_ROUNDS).map(median);
  const heaviest = ids[scan.indexOf(Math.max(...scan))]!;
  const ranked = ids.map((id, i) => ({ id, ms: scan[i]! })).sort((a, b) => b.ms - a.ms);
  process.stdout.write(
    `heaviest starts (median of ${SCAN_ROUNDS}): ${ranked
      .slice(0, 5)
      .map((r) => `${r.id} ${Math.round(r.ms)} ms`)
      .join(', ')}\n`,
  );

  // 2. The measured commands against the baseline, interleaved.
  const list: Measured[] = [
    { label: 'node -e 0', args: ['-e', '0'], ok: [0] },
    { label: 'streamctl --help', args: [BIN, '--help'], ok: [0] },
    {
      label: 'streamctl kafka disk --snapshot F',
      args: [BIN, 'kafka', 'disk', '--snapshot', snapshot],
      ok: [0, 1, 2],
    },
    probe(heaviest),
  ];
  const targets = [Number.NaN, 3, 5, 8];
  const times = rounds(list, ROUNDS);
  const base = times[0]!;
  const rows = list.map((m, i) => {
    const t = times[i]!;
    return {
      label: m.label,
      medianMs: Math.round(median(t)),
      minMs: Math.round(Math.min(...t)),
      ratio: median(t) / median(base),
      minRatio: Math.min(...t) / Math.min(...base),
      target: targets[i]!,
    };
  });
  process.stdout.write(
    `${ROUNDS} rounds; ratio = median / median of node -e 0 (min-based ratio in brackets)\n`,
  );
  for (const r of rows) {
    const verdict = Number.isNaN(r.target)
      ? 'baseline'
      : `${r.ratio.toFixed(2)}× [${r.minRatio.toFixed(2)}×]  target ≤ ${r.target}×  ${r.ratio <= r.target ? 'ok' : 'OVER'}`;
    process.stdout.write(
      `${r.label.padEnd(40)} ${String(r.medianMs).padStart(5)} ms median ${String(r.minMs).padStart(5)} min  ${verdict}\n`,
    );
  }
  const fig = (i: number) => ({
    medianMs: rows[i]!.medianMs,
    ratio: Number(rows[i]!.ratio.toFixed(2)),
    minRatio: Number(rows[i]!.minRatio.toFixed(2)),
  });
  process.stdout.write(
    `${JSON.stringify({
      bench: 'startup',
      rounds: ROUNDS,
      nodeMs: rows[0]!.medianMs,
      help: fig(1),
      kafkaDiskSnapshot: fig(2),
      heaviestCommand: heaviest,
      heaviestStart: fig(3),
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
