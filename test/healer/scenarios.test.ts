import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteJournal } from '../../src/services/healer/journal/sqlite.js';
import { loadScenario, parseScenario, ScenarioError, simulate } from '../../src/services/simulate/index.js';

const DIR = join(import.meta.dirname, '../../scenarios');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** A daemon that is down when the loop's third restart happens cannot detect it (not a detection miss). */
function daemonDownAtThirdRestart(s: ReturnType<typeof loadScenario>, third: number): boolean {
  const c = s.world.crash;
  return c?.during === 'idle' && c.at <= third && third < c.at + c.downFor;
}

describe('the public scenario library', () => {
  it('has at least 60 scenarios, each citing the real failure story it is modelled on', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(60);
    const uncited = FILES.filter(
      (f) => !/^# (Story|Source): .*https?:\/\//m.test(readFileSync(join(DIR, f), 'utf8')),
    );
    expect(uncited).toEqual([]);
  });

  it.each(FILES)('%s matches its expectations with 0 harmful actions', async (file) => {
    const scenario = loadScenario(join(DIR, file));
    expect(scenario.name).toBe(file.replace(/\.yaml$/, ''));
    const result = await simulate(scenario, { file });
    expect(result.mismatches).toEqual([]);
    expect(result.figures.harmful).toEqual([]);
  });

  it('meets the detection goal: a loop restarting at least once a minute is detected within 90 s of its third restart', async () => {
    const latencies: Record<string, number> = {};
    for (const file of FILES) {
      const s = loadScenario(join(DIR, file));
      const loop = s.world.events.find((e) => 'loop' in e);
      const gapless = s.world.metricsMissing.length === 0 && !s.world.events.some((e) => 'maintenance' in e);
      if (!loop || !('loop' in loop) || loop.loop.every > 60_000 || !gapless || s.fleet.looping) continue;
      if (daemonDownAtThirdRestart(s, loop.at + 2 * loop.loop.every)) continue;
      const r = await simulate(s);
      latencies[s.name] = r.figures.detectionLatencyMs ?? Number.POSITIVE_INFINITY;
    }
    expect(Object.keys(latencies).length).toBeGreaterThanOrEqual(10);
    expect(Object.entries(latencies).filter(([, ms]) => ms > 90_000)).toEqual([]);
  });
});

describe('the slow-loop detection goal', () => {
  it('a loop restarting every 1–15 minutes is detected within 2 restart intervals of its third restart', async () => {
    const latencies: Record<string, { ms: number; every: number }> = {};
    for (const file of FILES) {
      const s = loadScenario(join(DIR, file));
      const loop = s.world.events.find((e) => 'loop' in e);
      const gapless = s.world.metricsMissing.length === 0 && !s.world.events.some((e) => 'maintenance' in e);
      if (!loop || !('loop' in loop) || loop.loop.every <= 60_000 || !gapless || s.fleet.looping) continue;
      if (daemonDownAtThirdRestart(s, loop.at + 2 * loop.loop.every)) continue;
      if (loop.loop.every > 15 * 60_000) continue;
      const r = await simulate(s);
      latencies[s.name] = {
        ms: r.figures.detectionLatencyMs ?? Number.POSITIVE_INFINITY,
        every: loop.loop.every,
      };
    }
    expect(Object.keys(latencies).length).toBeGreaterThanOrEqual(5);
    expect(Object.entries(latencies).filter(([, l]) => l.ms > 2 * l.every)).toEqual([]);
  });
});

describe('kill -9 mid-action with the SQLite journal on disk', () => {
  it.each(['crash-mid-action.yaml', 'crash-after-intent.yaml'])(
    '%s: one rollback, healed, the journal tells the story',
    async (file) => {
      const dir = mkdtempSync(join(tmpdir(), 'streamctl-sim-journal-'));
      const journal = new SqliteJournal(join(dir, 'journal.db'));
      try {
        const r = await simulate(loadScenario(join(DIR, file)), { journal });
        expect(r.mismatches).toEqual([]);
        const [action, ...more] = await journal.actions({ app: 'catalog-normalizer' });
        const statuses = action?.outcomes.map((o) => o.status);
        if (file === 'crash-mid-action.yaml') {
          // The call went through before the crash: reconciled as happened, verified, never repeated.
          expect(more).toEqual([]);
          expect(statuses).toEqual(['reconciled-happened', 'healed']);
        } else {
          // The call never left: the intent is closed as not happened, and a new one performs it once.
          expect(statuses).toEqual(['reconciled-not-happened']);
          expect(more.map((a) => a.outcomes.map((o) => o.status))).toEqual([['accepted', 'healed']]);
        }
        expect(await journal.unfinishedActions()).toEqual([]);
      } finally {
        await journal.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('scenario validation: file, field and expectation', () => {
  const valid = ['name: x', 'description: d', 'duration: 10m', 'app: { name: a }', 'expect: {}'];

  it.each([
    {
      name: 'a bad duration',
      text: [...valid.slice(0, 2), 'duration: ten minutes', ...valid.slice(3)],
      want: /s\.yaml:3: duration: a duration such as 40s, 10m, 1h or 6m20s/,
    },
    {
      name: 'an unknown reason',
      text: [...valid.slice(0, 4), 'expect: { reasons: [roll-it-back] }'],
      want: /s\.yaml:5: expect\.reasons\[0\]: expected one of "no-anomaly"/,
    },
    {
      name: 'a missing app',
      text: [...valid.slice(0, 3), 'expect: {}'],
      want: /s\.yaml: app: expected object \(missing\)/,
    },
    {
      name: 'an unknown event',
      text: [...valid, 'world: { events: [ { at: 1m, explode: true } ] }'],
      want: /world\.events\[0\]: expected one event form/,
    },
    {
      name: 'an unknown key',
      text: [...valid, 'colour: blue'],
      want: /s\.yaml: \(top level\): unknown key "colour"/,
    },
    { name: 'YAML syntax', text: ['name: [unclosed'], want: /s\.yaml(:\d+)?: \(top level\): YAML syntax/ },
    {
      name: 'a history whose last version is not the app version',
      text: [
        ...valid.slice(0, 3),
        'app: { name: a, versionId: 3, history: [ { operation: UpdateApplication, ago: 20m, toVersion: 7 } ] }',
        'expect: {}',
      ],
      want: /s\.yaml:4: app\.versionId: expected 7, the version the last successful operation/,
    },
    {
      name: 'a history out of order',
      text: [
        ...valid.slice(0, 3),
        'app:',
        '  name: a',
        '  history:',
        '    - { operation: Maintenance, ago: 10m }',
        '    - { operation: Maintenance, ago: 30m }',
        'expect: {}',
      ],
      want: /s\.yaml:8: app\.history\[1\]\.ago: must start after the previous entry ended/,
    },
    {
      name: 'a loop after a rollback that heals',
      text: [
        ...valid,
        'world: { responses: { rollback: { heals: true, loop: { every: 1m, cause: user, exception: x } } } }',
      ],
      want: /world\.responses\.rollback\.loop: a loop after the action needs heals: false/,
    },
    {
      name: 'an unknown classification',
      text: [...valid.slice(0, 4), 'expect: { classifyAs: maybe }'],
      want: /expect\.classifyAs: expected one of "user", "system", "unknown"/,
    },
  ])('$name', ({ text, want }) => {
    const run = () => parseScenario(text.join('\n'), 's.yaml');
    expect(run).toThrow(ScenarioError);
    expect(run).toThrow(want);
    try {
      run();
    } catch (e) {
      expect((e as ScenarioError).exitCode).toBe(65);
    }
  });

  it('a missing file is a scenario error too (exit 65)', () => {
    expect(() => loadScenario(join(DIR, 'no-such.yaml'))).toThrow(
      /no-such\.yaml: \(top level\): no such scenario/,
    );
  });
});
