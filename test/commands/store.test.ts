import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { useFreshDatabase } from '../store/pg.js';

/** A config file in a fresh dir; `lines` gets the dir (for paths inside it). */
function configFile(lines: (dir: string) => string[]): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'streamctl-store-cli-'));
  const file = join(dir, 'streamctl.yaml');
  writeFileSync(file, lines(dir).join('\n'));
  return { dir, file };
}

describe('healer migrate and doctor check the store', () => {
  it('SQLite: creates and migrates the file; a second run has nothing to do; doctor reads it', async () => {
    const { file } = configFile((dir) => [
      'healer:',
      `  journal: ${join(dir, 'j', 'store.db')}`,
      'flink:',
      '  applications:',
      '    - { name: jobs, rest: { url: "http://127.0.0.1:9" } }',
    ]);
    const first = await runCli(['healer', 'migrate', '--config', file, '--json']);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ kind: 'sqlite', before: 0, after: LATEST_VERSION });
    const second = await runCli(['healer', 'migrate', '--config', file]);
    expect(second.stdout).toContain(`is at schema v${LATEST_VERSION}: nothing to do`);
    const doc = await runCli(['doctor', '--config', file, '--json']);
    const store = doc.json().checks.find((c: { target: string }) => c.target === 'store');
    expect(store).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining(`schema v${LATEST_VERSION}`),
    });
  });

  it('PostgreSQL: the URL comes from an env var and its password never shows', async () => {
    const url = new URL(await useFreshDatabase());
    url.password = 'pw-secret-123'; // trust auth on loopback ignores it
    const { file } = configFile(() => ['healer:', '  store:', '    url: { env: STORE_URL }']);
    const env = { STORE_URL: url.toString() };
    const r = await runCli(['healer', 'migrate', '--config', file, '--json'], { env });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ kind: 'postgres', before: 0, after: LATEST_VERSION });
    const doc = await runCli(['doctor', '--config', file], { env });
    expect(doc.stdout).toMatch(/store .*postgres .*schema v\d+, 0 lease\(s\), 0 lock\(s\) held/);
    expect(`${r.stdout}${r.stderr}${doc.stdout}${doc.stderr}`).not.toContain('pw-secret-123');
  });

  it('PostgreSQL unreachable: doctor fails the store check with the fix', async () => {
    const { file } = configFile(() => ['healer:', '  store:', '    url: { env: STORE_URL }']);
    const doc = await runCli(['doctor', '--config', file, '--json'], {
      env: { STORE_URL: 'postgres://u:pw-secret-9@127.0.0.1:9/x' },
    });
    expect(doc.code).toBe(2);
    const store = doc.json().checks.find((c: { target: string }) => c.target === 'store');
    expect(store).toMatchObject({ status: 'fail', fix: expect.stringContaining('healer migrate') });
    expect(doc.stdout).not.toContain('pw-secret-9');
  });
});
