import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputFileError, parseByteSize, readInputFile, setMaxInputBytes } from '../../src/core/input.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'streamctl-input-'));
const refusal = (f: () => unknown): { reason: string; exitCode: number; message: string } => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputFileError) return { reason: e.reason, exitCode: e.exitCode, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
};

afterEach(() => setMaxInputBytes(undefined));

describe('readInputFile', () => {
  it('reads UTF-8, drops a BOM and decodes UTF-16 with its BOM', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'a'), '\uFEFFversion: 1\n');
    writeFileSync(
      join(dir, 'b'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo', 'utf16le')]),
    );
    expect(readInputFile(join(dir, 'a'), 'config')).toBe('version: 1\n');
    expect(readInputFile(join(dir, 'b'), 'text')).toBe('héllo');
  });

  it.each([
    ['a missing file', (d: string) => join(d, 'nope'), 'missing'],
    ['/dev/zero', () => '/dev/zero', 'device'],
    ['/proc/self/status', () => '/proc/self/status', 'device'],
    [
      'a directory',
      (d: string) => {
        mkdirSync(join(d, 'sub'));
        return join(d, 'sub');
      },
      'not-a-file',
    ],
    [
      'a FIFO',
      (d: string) => {
        spawnSync('mkfifo', [join(d, 'f')]);
        return join(d, 'f');
      },
      'not-a-file',
    ],
    [
      'bytes that are not UTF-8',
      (d: string) => {
        writeFileSync(join(d, 'bin'), Buffer.from([0xc3, 0x28]));
        return join(d, 'bin');
      },
      'not-utf8',
    ],
  ])('refuses %s, naming the file', (_name, make, reason) => {
    const file = make(fresh());
    const r = refusal(() => readInputFile(file, 'snapshot'));
    expect(r).toMatchObject({ reason, exitCode: 65 });
    expect(r.message.startsWith(`${file}: `)).toBe(true);
  });

  it('is a configuration error (78) for configs and secret files', () => {
    expect(refusal(() => readInputFile('/dev/zero', 'config')).exitCode).toBe(78);
    expect(refusal(() => readInputFile('/dev/zero', 'secret')).exitCode).toBe(78);
  });

  it('caps the size at the limit, and --max-input-size moves it', () => {
    const file = join(fresh(), 'big');
    writeFileSync(file, 'x'.repeat(2048));
    setMaxInputBytes(2047);
    expect(refusal(() => readInputFile(file, 'config'))).toMatchObject({ reason: 'too-large' });
    setMaxInputBytes(2048);
    expect(readInputFile(file, 'config')).toHaveLength(2048);
  });
});

describe('parseByteSize', () => {
  it.each([
    ['1048576', 1048576],
    ['64MiB', 64 * 1024 ** 2],
    ['1.5 GB', 1.5e9],
    ['2gib', 2 * 1024 ** 3],
    ['0', undefined],
    ['lots', undefined],
    ['-1MiB', undefined],
    ['1e400', undefined],
  ])('%s → %s', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });
});
