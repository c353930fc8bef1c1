/**
 * The package as a user installs it: `npm pack` (prepack builds dist/ and pins the dependency tree
 * in npm-shrinkwrap.json), then `npm i -g --prefix <tmp> ./streamctl-*.tgz`, and the installed
 * `streamctl` run from a directory outside the checkout, with only the installed tree on hand.
 *
 * How the install gets its dependencies here: from npm's cache (`--prefer-offline`), which
 * `npm ci` filled with exactly these versions (the shrinkwrap is the lockfile), and from the
 * registry only for what the cache lacks. `--ignore-scripts` skips better-sqlite3's install step
 * (download a prebuilt addon, else compile SQLite: ~3 minutes on this machine); the test then
 * provides the addon the way that step would, from the checkout's build of the same pinned version
 * for the same Node ABI. Everything else is the user's install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Health, Sysexit } from '../../src/core/exit-codes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'streamctl-package-'));
const prefix = join(dir, 'prefix');
const work = join(dir, 'work');
const installed = join(prefix, 'lib', 'node_modules', 'streamctl');
let tarball = '';
let files: string[] = [];

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

/** The installed `streamctl`, in a directory outside the checkout, with a minimal environment. */
function streamctl(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(prefix, 'bin', 'streamctl'), args, {
    cwd: work,
    encoding: 'utf8',
    env: {
      PATH: [join(prefix, 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter),
      HOME: work,
      NO_COLOR: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  mkdirSync(work, { recursive: true });
  const out = npm(['pack', '--json', '--pack-destination', dir], root);
  const packed = JSON.parse(out.slice(out.indexOf('['))) as Array<{
    filename: string;
    files: { path: string }[];
  }>;
  tarball = join(dir, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
  npm(
    [
      'i',
      '-g',
      '--prefix',
      prefix,
      tarball,
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
    ],
    work,
  );
  const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(dirname(join(installed, addon)), { recursive: true });
  copyFileSync(join(root, addon), join(installed, addon));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('holds the compiled CLI and its manifest, pinned dependencies, and no sources', () => {
    expect(files).toEqual(
      expect.arrayContaining(['bin/run.js', 'oclif.manifest.json', 'npm-shrinkwrap.json']),
    );
    expect(files.some((f) => f.startsWith('dist/commands/'))).toBe(true);
    expect(files.filter((f) => /^(src|test|bench|scripts|peers|docs)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('leaves out the sandbox and the fakes (dist/dev, the emulator, the launchers)', () => {
    expect(files.filter((f) => f.startsWith('dist/dev/'))).toEqual([]);
    expect(existsSync(join(installed, 'dist', 'dev'))).toBe(false);
    const text = files
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(installed, f), 'utf8'))
      .join('\n');
    for (const marker of [
      'startAwsEmulator',
      'startKafkaCluster',
      'startFlinkCluster',
      'class FakeKafkaAdmin',
    ])
      expect(text, marker).not.toContain(marker);
  });

  it('installs no dev dependency', () => {
    const deps = readdirSync(join(installed, 'node_modules'));
    for (const dev of ['vitest', 'typescript', 'tsx', 'esbuild', '@biomejs', 'playwright-core', 'fast-check'])
      expect(deps, dev).not.toContain(dev);
  });
});

describe('the installed streamctl, outside the checkout', () => {
  it('--help lists the topics', () => {
    const r = streamctl(['--help']);

    expect(r.code, r.stderr).toBe(0);
    for (const topic of ['kafka', 'flink', 'healer', 'runbook']) expect(r.stdout).toContain(topic);
  });

  it('kafka disk --snapshot reads a snapshot offline', () => {
    const snapshot = join(work, 'snapshot.json');
    writeFileSync(
      snapshot,
      JSON.stringify({
        version: 1,
        cluster: 'c',
        capturedAt: '2026-11-22T00:00:00Z',
        brokers: [{ id: 1, capacityBytes: 1000 }],
        partitions: [{ topic: 't', partition: 0, replicas: [1], leader: 1, sizeBytes: 950 }],
      }),
    );

    const r = streamctl(['kafka', 'disk', '--snapshot', snapshot, '--json']);

    expect(r.code, r.stderr).toBe(Health.CRITICAL);
    expect(JSON.parse(r.stdout)).toMatchObject({ cluster: 'c' });
  });

  it('healer simulate replays a scenario', () => {
    const scenario = join(work, 'scenario.yaml');
    copyFileSync(join(root, 'scenarios', 'bad-deploy-npe.yaml'), scenario);

    const r = streamctl(['healer', 'simulate', '--scenario', scenario]);

    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/rollback/i);
  });

  it('flink classify --file classifies an exception text', () => {
    const text = join(work, 'exception.txt');
    writeFileSync(
      text,
      [
        'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null',
        '\tat com.acme.orders.Enrich.map(Enrich.java:42)',
        '\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)',
      ].join('\n'),
    );

    const r = streamctl(['flink', 'classify', '--file', text, '--json']);

    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'user' });
  });

  it('config init, then healer history reads the SQLite journal (the native addon loads)', () => {
    expect(streamctl(['config', 'init']).code).toBe(0);

    const r = streamctl(['healer', 'history', '--json']);

    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ decisions: [], actions: [], incidents: [] });
  });

  it('demo says it runs from a checkout', () => {
    const r = streamctl(['demo', '--dir', join(work, 'sandbox')]);

    expect(r.code).toBe(Sysexit.UNAVAILABLE);
    expect(r.stderr).toMatch(/the demo runs from a checkout of streamctl/);
    expect(existsSync(join(work, 'sandbox'))).toBe(false);
  });
});
