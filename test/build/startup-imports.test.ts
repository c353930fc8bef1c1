/**
 * What a start of the compiled CLI loads (bin/run.js → dist/, built by the global setup): heavy
 * dependencies only on the paths that need them, so that `--help`, offline commands and every
 * command's start stay quick (`npm run bench -- startup` measures the times; this keeps the cause
 * true without timing anything).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TRACE = fileURLToPath(new URL('./module-trace.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'startup-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The heavy dependencies, by package name. */
const HEAVY = [
  '@aws-sdk',
  '@smithy',
  'aws-msk-iam-sasl-signer-js',
  'kafkajs',
  'ink',
  'react',
  'better-sqlite3',
  'pino',
  'prom-client',
];

/** The heavy packages a run loaded, and whether it loaded any command module, per its trace. */
function traced(args: string[]): { code: number | null; heavy: string[]; commands: string[] } {
  const file = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, '');
  const r = spawnSync(process.execPath, ['--import', TRACE, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, MODULE_TRACE_FILE: file, NODE_ENV: 'production', STREAMCTL_CONFIG: '' },
  });
  const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const pkg = (u: string) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1];
  const heavy = new Set<string>();
  for (const u of urls) {
    const name = pkg(u);
    const hit = name && HEAVY.find((h) => name === h || name.startsWith(`${h}/`));
    if (hit) heavy.add(hit);
  }
  const commands = urls.filter((u) => u.includes('/dist/commands/'));
  return { code: r.status, heavy: [...heavy].sort(), commands };
}

describe('what a start of the compiled CLI loads', () => {
  it('--help loads no command and no heavy dependency (the manifest has the help)', () => {
    const r = traced(['bin/run.js', '--help']);

    expect(r.code).toBe(0);
    expect(r.commands).toEqual([]);
    expect(r.heavy).toEqual([]);
  });

  it('kafka disk --snapshot F loads only its own command and no heavy dependency', () => {
    const snapshot = join(dir, 'snapshot.json');
    writeFileSync(
      snapshot,
      JSON.stringify({
        version: 1,
        cluster: 'c',
        capturedAt: '2026-11-22T00:00:00Z',
        brokers: [{ id: 1, capacityBytes: 1000 }],
        partitions: [{ topic: 't', partition: 0, replicas: [1], leader: 1, sizeBytes: 100 }],
      }),
    );

    const r = traced(['bin/run.js', 'kafka', 'disk', '--snapshot', snapshot]);

    expect(r.code).toBe(0);
    expect(r.commands.map((u) => u.replace(/.*\/dist\/commands\//, ''))).toEqual(['kafka/disk.js']);
    expect(r.heavy).toEqual([]);
  });

  // A command's start (bench/startup-probe.mjs: what bin/run.js does before run()). The AWS SDK
  // and the Kafka client load at the first call; these need theirs from the start.
  const needs: Record<string, string[]> = {
    // The coordination store's drivers (better-sqlite3, pg) load when the store is opened, not at
    // a command's start (src/store/index.ts).
    'healer run': ['pino', 'prom-client'],
    // Every run of it reaches each configured Kafka cluster. (`kafka clusters` loads the Kafka
    // client with its ports, at the first call: src/cli/live-ports.ts.)
    doctor: ['kafkajs'],
    // The demo drives the emulated MSF API and Kafka itself. `demo up`, `down` and `host` load the
    // sandbox (dist/dev/sandbox-host.js, dev-only) when they run, not at their start.
    demo: ['@aws-sdk', '@smithy', 'kafkajs'],
  };
  const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, unknown>;
  };
  const ids = Object.keys(manifest.commands).map((id) => id.split(':').join(' '));

  it.each(ids)('the start of %s loads only the heavy dependencies it needs', (id) => {
    const r = traced(['bench/startup-probe.mjs', id]);

    expect(r.code).toBe(0);
    expect(r.heavy).toEqual(needs[id] ?? []);
  });
});
