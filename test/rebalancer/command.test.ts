import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReassignment } from '../../src/rebalancer/plan.js';
import { runCli } from '../helpers/cli.js';
import { clusterFixturesDir } from '../peers/sandbox/shared-dir.js';

const FIXTURES = clusterFixturesDir();
const scaleout = join(FIXTURES, 'scaleout-3-to-6.json');

describe('streamctl kafka rebalance plan --snapshot', () => {
  it('writes the plan, its report and the rollback plan, and returns the figures with --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-rebal-'));
    const out = join(dir, 'plan.json');
    const r = await runCli([
      'kafka',
      'rebalance',
      'plan',
      '--snapshot',
      scaleout,
      '--add-broker',
      '4,5,6',
      '--throttle',
      '50MB/s',
      '-o',
      out,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = r.json();
    expect(json.figures).toMatchObject({ movedOverLowerBound: 1, throttleBytesPerSec: 50e6 });
    expect(json.figures.estimatedDurationMs).toBeGreaterThan(0);
    expect(json.files).toEqual({
      plan: out,
      report: join(dir, 'plan.report.json'),
      rollback: join(dir, 'plan.rollback.json'),
    });
    expect(json.batches).toBeUndefined();
    const plan = parseReassignment(readFileSync(out, 'utf8'), out);
    expect(plan.partitions).toHaveLength(json.figures.partitionsChanged);
    const report = JSON.parse(readFileSync(json.files.report, 'utf8'));
    expect(report.batches.length).toBe(json.figures.batches);
    const rollback = parseReassignment(readFileSync(json.files.rollback, 'utf8'), 'rollback');
    expect(rollback.partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual(
      plan.partitions.map((p) => `${p.topic}-${p.partition}`),
    );
  });

  it('prints the figures as a table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-rebal-'));
    const r = await runCli(['kafka', 'rebalance', 'plan', '--snapshot', scaleout, '-o', join(dir, 'p.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/moved \/ LB\s+1\.000/);
    expect(r.stdout).toMatch(/utilisation spread \(max\/mean\)\s+2\.000\s+1\.027/);
    expect(r.stdout).toContain('estimated duration');
  });

  it.each([
    [['-c', 'orders', '--snapshot', scaleout], 64, 'cannot also be provided when using'],
    [['--snapshot', scaleout, '--throttle', '50Mb/s'], 64, 'in bits'],
    [['--snapshot', scaleout, '--remove-broker', 'x'], 64, 'is not a broker id'],
    [['--snapshot', scaleout, '--max-spread', 'wide'], 64, '--max-spread: "wide" is not a number'],
    [['--snapshot', scaleout, '--band', '2.5'], 64, 'band must be a number in [1, 2), got 2.5'],
    [
      ['--snapshot', scaleout, '--band', '1.05', '--max-spread', '1.05'],
      64,
      'cannot also be provided when using',
    ],
    [['--snapshot', scaleout, '--leader-band', 'x'], 64, '--leader-band: "x" is not a number'],
    [
      ['--snapshot', scaleout, '--broker-type', 'serverless'],
      64,
      'MSK Serverless cluster: it has no brokers to balance',
    ],
  ])('%j fails with exit %i (%s) and writes nothing', async (args, code, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-rebal-'));
    const out = join(dir, 'p.json');
    const r = await runCli(['kafka', 'rebalance', 'plan', ...args, '-o', out]);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });

  it('names the file and field of a bad snapshot (exit 65) and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-rebal-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        version: 1,
        cluster: 'x',
        brokers: [{ id: 1 }],
        partitions: [{ topic: 't', partition: 0, replicas: [1], leader: 1, sizeBytes: -1 }],
      }),
    );
    const out = join(dir, 'p.json');
    const r = await runCli(['kafka', 'rebalance', 'plan', '--snapshot', bad, '-o', out]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${bad}: partitions[0].sizeBytes: expected a non-negative number of bytes`);
    expect(existsSync(out)).toBe(false);
  });

  it('--json: every changed partition carries its reasons, and each goal its before, after and bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-rebal-'));
    const snap = join(FIXTURES, 'drifted-12-brokers.json');
    const r = await runCli([
      'kafka',
      'rebalance',
      'plan',
      '--snapshot',
      snap,
      '--band',
      '1.03',
      '--repair-racks',
      '-o',
      join(dir, 'p.json'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const json = r.json();
    expect(json.moves.length).toBe(json.figures.partitionsChanged);
    for (const m of json.moves) expect(m.reasons.length).toBeGreaterThan(0);
    expect(json.moves.flatMap((m: { reasons: string[] }) => m.reasons)).toContainEqual(
      expect.stringMatching(/^rack repair: \d+ → \d+$/),
    );
    const goals = Object.fromEntries(json.goalReports.map((g: { goal: string }) => [g.goal, g]));
    expect(Object.keys(goals).sort()).toEqual(['disk', 'leaders', 'rack diversity', 'replica count']);
    expect(goals['rack diversity'].bytes).toBeGreaterThan(0);
    expect(goals.leaders.bytes).toBe(0);
    expect(goals.disk.after).toBeLessThanOrEqual(1.03 + 1e-9);
    expect(json.options).toMatchObject({ maxSpread: 1.03, repairRacks: true, brokerType: 'self-managed' });
  });

  it('a snapshot saying MSK Serverless is refused (exit 64) and nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-rebal-'));
    const file = join(dir, 'serverless.json');
    const snap = JSON.parse(readFileSync(scaleout, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...snap, brokerType: 'serverless' }));
    const out = join(dir, 'p.json');
    const r = await runCli(['kafka', 'rebalance', 'plan', '--snapshot', file, '-o', out]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('no brokers to balance');
    expect(existsSync(out)).toBe(false);
  });
});
