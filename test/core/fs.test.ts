import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOutputPath, writeFileAtomic, writeFilesAtomic } from '../../src/core/fs.js';
import { readInputFile } from '../../src/core/input.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'streamctl-fs-'));
const set = (dir: string, names: string[], tag: string) =>
  names.map((n) => ({ path: join(dir, n), data: `${tag} ${n}\n` }));
const NAMES = ['plan.json', 'plan.report.json', 'plan.rollback.json'];

afterEach(() => {
  delete process.env.STREAMCTL_FAILPOINT_WRITE;
  delete process.env.STREAMCTL_FAILPOINT_RENAME;
});

describe('writeFilesAtomic: the files of one result, all or none', () => {
  it('writes every file and leaves no temp directory', () => {
    const dir = fresh();
    writeFilesAtomic(set(dir, NAMES, 'new'));
    expect(readdirSync(dir).sort()).toEqual([...NAMES].sort());
    expect(readFileSync(join(dir, 'plan.rollback.json'), 'utf8')).toBe('new plan.rollback.json\n');
  });

  it.each([1, 2, 3])('a full disk at write %i leaves nothing (ENOSPC half-way through a file)', (n) => {
    const dir = fresh();
    process.env.STREAMCTL_FAILPOINT_WRITE = `ENOSPC@${n}`;
    expect(() => writeFilesAtomic(set(dir, NAMES, 'new'))).toThrow(/cannot write .*: ENOSPC/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([1, 2, 3])('a failed rename %i puts back the files already replaced', (n) => {
    const dir = fresh();
    writeFilesAtomic(set(dir, NAMES, 'old'));
    process.env.STREAMCTL_FAILPOINT_RENAME = `EXDEV@${n}`;
    expect(() => writeFilesAtomic(set(dir, NAMES, 'new'))).toThrow(/EXDEV/);
    for (const name of NAMES) expect(readFileSync(join(dir, name), 'utf8')).toBe(`old ${name}\n`);
    expect(readdirSync(dir).sort()).toEqual([...NAMES].sort());
  });

  it('a failed rename removes the new files that had no previous version', () => {
    const dir = fresh();
    process.env.STREAMCTL_FAILPOINT_RENAME = 'EXDEV@3';
    expect(() => writeFilesAtomic(set(dir, NAMES, 'new'))).toThrow(/EXDEV/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses the same output twice in one set', () => {
    const dir = fresh();
    const [a] = set(dir, ['a.json'], 'x');
    expect(() => writeFilesAtomic([a!, a!])).toThrow(/named twice/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('creates missing directories of the targets', () => {
    const dir = fresh();
    writeFileAtomic(join(dir, 'a', 'b', 'c.json'), '{}\n');
    expect(readFileSync(join(dir, 'a', 'b', 'c.json'), 'utf8')).toBe('{}\n');
  });
});

describe('checkOutputPath: no output lands on an input', () => {
  it('refuses the input itself, a symlink to it and a hard link to it', () => {
    const dir = fresh();
    const input = join(dir, 'snap.json');
    writeFileSync(input, '{}');
    symlinkSync(input, join(dir, 'sym.json'));
    linkSync(input, join(dir, 'hard.json'));
    for (const out of ['snap.json', 'sym.json', 'hard.json'])
      expect(() => checkOutputPath(join(dir, out), [input])).toThrow(/is the input/);
    expect(checkOutputPath(join(dir, 'other.json'), [input])).toBe(join(dir, 'other.json'));
  });

  it('refuses every file this process read through the input reader', () => {
    const dir = fresh();
    const cfg = join(dir, 'streamctl.yaml');
    writeFileSync(cfg, 'version: 1\n');
    readInputFile(cfg, 'config');
    expect(() => writeFileAtomic(cfg, 'report')).toThrow(/is the input/);
    expect(readFileSync(cfg, 'utf8')).toBe('version: 1\n');
  });

  it.each([
    ['a trailing slash', (d: string) => `${d}/out/`, /trailing slash/],
    [
      'a directory',
      (d: string) => {
        mkdirSync(join(d, 'sub'));
        return join(d, 'sub');
      },
      /a directory/,
    ],
    ['a device', () => '/dev/null', /device/],
  ])('refuses %s', (_name, target, message) => {
    const dir = fresh();
    expect(() => checkOutputPath(target(dir), [])).toThrow(message);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
