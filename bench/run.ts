/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so peak RSS is per benchmark)
 * and prints their figures. Benchmarks print human-readable lines and end with one JSON line
 * `{"bench": name, ...figures}`; the runner collects those into bench/results/latest.json.
 * Pass names to run a subset: `npm run bench -- rebalancer`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const filter = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
const results: unknown[] = [];
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n=== ${f} ===\n`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', '--max-old-space-size=16384', join(dir, f)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`!! ${f} exited with ${r.status}\n`);
  }
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line.startsWith('{"bench"')) results.push(JSON.parse(line));
  }
}
mkdirSync(join(dir, 'results'), { recursive: true });
writeFileSync(join(dir, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(
  `\n${files.length} benchmarks, ${failed} failed; figures in bench/results/latest.json\n`,
);
process.exitCode = failed ? 1 : 0;
