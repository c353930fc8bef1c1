#!/usr/bin/env node
// Production entry point: runs the compiled commands in dist/ (npm run build).
// Falls back to the TypeScript sources through tsx when dist/ has not been built.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/commands', import.meta.url));
if (existsSync(dist)) {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { execute } = await import('@oclif/core');
  await execute({ development: true, dir: import.meta.url });
}
