import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('BaseCommand error handling', () => {
  it.each([
    ['a flag without its value', ['kafka', 'disk', '--snapshot'], 'Flag --snapshot expects a value'],
    ['an unknown flag', ['kafka', 'disk', '--snapshott', 'x.json'], 'Nonexistent flag: --snapshott'],
  ])('reports %s as a usage error (exit 64), not as a streamctl bug', async (_name, argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/bug in streamctl|\n\s+at /);
  });
});
