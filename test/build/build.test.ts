/** `npm run build` (scripts/build.mjs): what bin/run.js relies on in dist/ and oclif.manifest.json. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const walk = (d: string): string[] =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
  );
const build = () =>
  spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
const sources = walk(join(root, 'src')).filter((f) => /\.tsx?$/.test(f));

describe('npm run build', () => {
  it('rewrites nothing when dist/ is up to date (running CLIs never see a file change under them)', () => {
    expect(build().status).toBe(0);
    const before = new Map(walk(join(root, 'dist')).map((f) => [f, statSync(f).mtimeMs]));

    const again = build();

    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/\(0 written, 0 removed\)/);
    expect(again.stdout).not.toMatch(/manifest/);
    for (const [f, mtime] of before) expect(statSync(f).mtimeMs, f).toBe(mtime);
  });

  it('gives every command an entry in dist/commands and the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { relativePath: string[] }>;
    };
    const commands = sources
      .filter((f) => f.startsWith(join(root, 'src', 'commands')))
      .map((f) =>
        relative(join(root, 'src', 'commands'), f)
          .replace(/\.tsx?$/, '')
          .replace(/(^|\/)index$/, '')
          .split('/')
          .join(':'),
      )
      .sort();

    expect(Object.keys(manifest.commands).sort()).toEqual(commands);
    for (const c of Object.values(manifest.commands)) {
      expect(existsSync(join(root, ...c.relativePath)), c.relativePath.join('/')).toBe(true);
    }
  });

  it('keeps each module that resolves paths from import.meta.url in its own place', () => {
    const located = sources.filter((f) => readFileSync(f, 'utf8').includes('import.meta.url'));

    expect(located.length).toBeGreaterThan(0);
    for (const f of located) {
      const out = join(root, 'dist', relative(join(root, 'src'), f).replace(/\.tsx?$/, '.js'));
      expect(existsSync(out), out).toBe(true);
    }
  });
});
