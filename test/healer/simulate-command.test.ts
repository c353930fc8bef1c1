import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const SCENARIOS = join(import.meta.dirname, '../../scenarios');

describe('streamctl healer simulate', () => {
  it('prints the timeline and the figures and exits 0 when every expectation matched', async () => {
    const r = await runCli(['healer', 'simulate', '--scenario', join(SCENARIOS, 'bad-deploy-npe.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/detect\s+restart loop: 3 restarts in 2 periods/);
    expect(r.stdout).toMatch(/act rollback \[bad-deploy-rollback\]/);
    expect(r.stdout).toMatch(/detection latency\s+\d+ s after the third restart/);
    expect(r.stdout).toMatch(/harmful actions\s+0/);
    expect(r.stdout).toContain('PASS');
  });

  it('--json returns the results and figures', async () => {
    const r = await runCli([
      'healer',
      'simulate',
      '--scenario',
      join(SCENARIOS, 'maintenance.yaml'),
      '--scenario',
      join(SCENARIOS, 'single-blip.yaml'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.passed).toBe(true);
    expect(out.results.map((x: { scenario: string }) => x.scenario)).toEqual(['maintenance', 'single-blip']);
    expect(out.results[0].figures.harmful).toEqual([]);
  });

  it('exits 1 when an expectation does not match, saying which', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-sim-'));
    const file = join(dir, 'wrong.yaml');
    writeFileSync(
      file,
      readFileSync(join(SCENARIOS, 'maintenance.yaml'), 'utf8')
        .replace('name: maintenance', 'name: wrong')
        .replace('  actions: []', '  actions: [rollback]'),
    );
    const r = await runCli(['healer', 'simulate', '-q', '--scenario', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('actions: expected [rollback], got []');
  });

  it('exits 65 on a bad scenario file, naming file, line and field, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-sim-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\ndescription: d\nduration: soon\napp: { name: a }\nexpect: {}\n');
    const r = await runCli(['healer', 'simulate', '--scenario', file]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${file}:3: duration: a duration such as 40s, 10m, 1h or 6m20s`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
