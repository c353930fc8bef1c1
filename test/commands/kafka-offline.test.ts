import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { Json } from '../helpers/json.js';
import { clusterFixturesDir } from '../peers/sandbox/shared-dir.js';

const FIXTURES = clusterFixturesDir();
const drifted = join(FIXTURES, 'drifted-12-brokers.json');

describe('kafka disk / partitions on a snapshot (offline what-if)', () => {
  it('kafka disk --json lists brokers with the documented fields and exits with the worst severity', async () => {
    const r = await runCli(['kafka', 'disk', '--snapshot', drifted, '--json']);
    const out = r.json();
    expect(out.brokers).toHaveLength(12);
    expect(Object.keys(out.brokers[0])).toEqual(
      expect.arrayContaining(['id', 'partitions', 'leaders', 'usedBytes', 'capacityBytes', 'usedPercent']),
    );
    expect(out.findings.length).toBeGreaterThan(0);
    expect(r.code).toBe({ OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 }[out.severity as 'OK']);
  });

  it('kafka partitions evaluates the layout after a plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-'));
    const plan = join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        version: 1,
        partitions: [
          { topic: 'topic-000', partition: 0, replicas: [7, 8, 9], log_dirs: ['any', 'any', 'any'] },
        ],
      }),
    );
    const before = (await runCli(['kafka', 'partitions', '--snapshot', drifted, '--json'])).json();
    const after = (
      await runCli(['kafka', 'partitions', '--snapshot', drifted, '--plan', plan, '--json'])
    ).json();
    const leaders = (o: Json, id: number) => o.brokers.find((b: Json) => b.id === id).leaders;
    expect(leaders(after, 7)).toBeGreaterThanOrEqual(leaders(before, 7));
    expect(after.source).toBe('snapshot');
  });

  it('names the file and field of a bad snapshot (exit 65, no stack trace)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        version: 1,
        cluster: 'x',
        brokers: [{ id: 1 }],
        partitions: [{ topic: 't', partition: 0, replicas: [1, 5], leader: 1, sizeBytes: 1 }],
      }),
    );
    const r = await runCli(['kafka', 'disk', '--snapshot', bad]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(
      `${bad}: partitions[0].replicas[1]: expected the id of a broker listed in brokers (got 5)`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a plan that names partitions the cluster does not have as bad input (exit 65, as a stale plan in rebalance execute)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-'));
    const plan = join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({ version: 1, partitions: [{ topic: 'nope', partition: 0, replicas: [1] }] }),
    );
    const r = await runCli(['kafka', 'disk', '--snapshot', drifted, '--plan', plan, '--json']);
    expect(r.code).toBe(65);
    expect(r.json().error.message).toContain('nope-0');
  });

  it('rejects a WARNING threshold at or above the CRITICAL one as a usage error (exit 64)', async () => {
    const r = await runCli(['kafka', 'disk', '--snapshot', drifted, '--warn', '90', '--crit', '80']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--warn 90 must be below --crit 80');
  });

  it('rejects -c together with --snapshot as a usage error', async () => {
    const r = await runCli(['kafka', 'disk', '-c', 'x', '--snapshot', drifted]);
    expect(r.code).toBe(64);
  });
});
