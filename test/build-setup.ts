import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: brings dist/ up to date (`npm run build`) before any test runs, because the
 * tests that run the real CLI spawn bin/run.js, which runs dist/ — a file run on its own
 * (`npx vitest run test/x.test.ts`) must not test yesterday's build. The build rewrites only the
 * files that changed, so an up-to-date tree costs about a second.
 */
export function setup(): void {
  const script = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, '--quiet'], { encoding: 'utf8' });
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.status !== 0) {
    throw new Error(`npm run build failed before the tests (exit ${r.status}):\n${r.stderr || r.error}`);
  }
}
