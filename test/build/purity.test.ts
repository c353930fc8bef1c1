/**
 * The folder boundary of docs/design.md §1, enforced by biome.json (noRestrictedImports and the
 * lint/pure-core.grit plugin, overriding the pure folders): a pure core that imports I/O, awaits,
 * reads the clock or draws randomness fails `npm run lint`, which CI runs (.ci/run). Each case
 * lints a small file placed in a copy of the project's lint configuration, so the real tree is
 * never touched. The shipped package (all of src/) imports nothing from the dev-only side either:
 * the sandbox and the fakes live in test/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const biome = join(root, 'node_modules', '.bin', 'biome');
const dir = mkdtempSync(join(tmpdir(), 'streamctl-purity-'));
cpSync(join(root, 'biome.json'), join(dir, 'biome.json'));
cpSync(join(root, 'lint'), join(dir, 'lint'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PURE = [
  'src/healer/detect',
  'src/healer/decide',
  'src/healer/classify',
  'src/healer',
  'src/rebalancer',
  'src/rebalancer/goals',
  'src/monitors',
  'src/domain',
];

const VIOLATIONS: Array<[string, string]> = [
  ['a node: module', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
  [
    'a probe',
    "import type { KafkaAdminPort } from '../probes/kafka-admin/port.js';\nexport type P = KafkaAdminPort;\n",
  ],
  ['a service', "import { runTick } from '../../services/healer/tick.js';\nexport const f = runTick;\n"],
  ['the store', "import { openStore } from '../store/index.js';\nexport const f = openStore;\n"],
  [
    'the sandbox',
    "import { startKafkaCluster } from '../../test/peers/sandbox/kafka/index.js';\nexport const f = startKafkaCluster;\n",
  ],
  ['an I/O dependency', "import { Kafka } from 'kafkajs';\nexport const f = Kafka;\n"],
  [
    'an await',
    'export async function f(x: Promise<number>): Promise<number> {\n  return (await x) + 1;\n}\n',
  ],
  ['the clock', 'export function f(): number {\n  return Date.now();\n}\n'],
  ['randomness', 'export function f(): number {\n  return Math.random();\n}\n'],
];

/** The file a case is linted as, under the copy of the project's configuration. */
const fileFor = (folder: string, i: number) => `${folder}/zz-case-${i}.ts`;
const CONTROL = 'src/healer/detect/zz-pure.ts';

/** One biome run over every case (a run per case took ~0.3 s each): the purity diagnostics per file. */
function lintAll(): { code: number | null; out: string; flagged: Map<string, number> } {
  for (const [folder, list] of [
    ...PURE.map((f) => [f, VIOLATIONS] as const),
    ['src/services', VIOLATIONS] as const,
  ])
    list.forEach(([, source], i) => {
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, fileFor(folder, i)), source);
    });
  mkdirSync(join(dir, dirname(CONTROL)), { recursive: true });
  writeFileSync(
    join(dir, CONTROL),
    '/** Pure: the caller passes `now`. */\nexport function age(now: number, t: number): number {\n  return now - t;\n}\n',
  );
  const r = spawnSync(biome, ['lint', '--max-diagnostics=1000', 'src'], { cwd: dir, encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  const flagged = new Map<string, number>();
  for (const m of out.matchAll(/^(\S+):\d+:\d+ (?:lint\/style\/noRestrictedImports|plugin) /gm)) {
    flagged.set(m[1]!, (flagged.get(m[1]!) ?? 0) + 1);
  }
  return { code: r.status, out, flagged };
}

describe('a pure core that reaches for I/O fails the lint', () => {
  const r = lintAll();

  it('biome exits non-zero', () => {
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/A pure core/);
  });

  describe.each(PURE)('in %s', (folder) => {
    it.each(VIOLATIONS.map(([what], i) => [what, i] as const))('importing or using %s', (_what, i) => {
      expect(r.flagged.get(fileFor(folder, i)), r.out).toBeGreaterThan(0);
    });
  });

  it('the same code is allowed in an I/O stage (src/services), but for the dev-only sandbox', () => {
    VIOLATIONS.forEach(([what], i) => {
      const flagged = r.flagged.get(fileFor('src/services', i));
      if (what === 'the sandbox') expect(flagged).toBeGreaterThan(0);
      else expect(flagged).toBeUndefined();
    });
  });

  it('a pure file that takes its inputs as parameters passes', () => {
    expect(r.flagged.get(CONTROL)).toBeUndefined();
  });
});
