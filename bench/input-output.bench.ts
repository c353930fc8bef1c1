/**
 * The one input reader and the one multi-file writer at snapshot scale: a generated 500k-partition
 * snapshot (1.5M replicas) read with readInputFile (regular-file checks, size cap, strict UTF-8)
 * against a bare readFileSync; the snapshot parsed by the streaming reader (core/json-stream.ts,
 * what readSnapshotFile uses: chunks and 8 MiB batches, never one string) against the reader it
 * replaced (readInputFile + JSON.parse, one string of the whole file); and a plan-sized result
 * (three files) written as a set with writeFilesAtomic (temp dir, fsync each, rename all) against
 * three bare writeFileSync calls.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeFilesAtomic } from '../src/core/fs.js';
import { readInputFile } from '../src/core/input.js';
import { readJsonInputStreaming } from '../src/core/json-stream.js';
import { snapshotGenerator } from '../test/peers/sandbox/shared-dir.js';

const PARTITIONS = 500_000;
const dir = mkdtempSync(join(tmpdir(), 'bench-input-output-'));
const median = (f: () => void, n = 5): number => {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    runs.push(performance.now() - t0);
  }
  return Math.round(runs.sort((a, b) => a - b)[Math.floor(n / 2)]!);
};

try {
  const input = join(dir, 'snapshot.json');
  const gen = spawnSync(
    'python3',
    [
      snapshotGenerator(),
      '--partitions',
      String(PARTITIONS),
      '--brokers',
      '60',
      '--topics',
      '500',
      '--out',
      input,
    ],
    { encoding: 'utf8' },
  );
  if (gen.status !== 0) throw new Error(`generate.py failed: ${gen.stderr}`);
  const mb = Math.round(statSync(input).size / 1e6);
  const reader = median(() => readInputFile(input, 'snapshot'));
  const bare = median(() => readFileSync(input, 'utf8'));
  console.log(`read a ${mb} MB snapshot: readInputFile ${reader} ms, readFileSync ${bare} ms (median of 5)`);
  const slurp = median(() => JSON.parse(readInputFile(input, 'snapshot')));
  const streamed = median(() => readJsonInputStreaming(input, 'snapshot'));
  console.log(
    `parse the ${mb} MB snapshot: streamed ${streamed} ms, one string + JSON.parse ${slurp} ms (ratio ${(streamed / slurp).toFixed(2)}; median of 5)`,
  );

  const text = readFileSync(input, 'utf8');
  const files = ['plan.json', 'plan.report.json', 'plan.rollback.json'].map((f) => join(dir, f));
  const set = median(() => writeFilesAtomic(files.map((path) => ({ path, data: text }))));
  const plain = median(() => {
    for (const f of files) writeFileSync(f, text);
  });
  console.log(
    `write 3 × ${mb} MB as a set: writeFilesAtomic ${set} ms, 3 × writeFileSync ${plain} ms (no fsync)`,
  );
  console.log(
    JSON.stringify({
      bench: 'input-output',
      snapshotMb: mb,
      readInputFileMs: reader,
      readFileSyncMs: bare,
      parseStreamedMs: streamed,
      parseOneStringMs: slurp,
      writeSetMs: set,
      writePlainMs: plain,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
