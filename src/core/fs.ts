import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { StreamctlError, usageError } from './errors.js';
import { Sysexit } from './exit-codes.js';
import { inputsRead } from './input.js';

/** One file of a result: its path, its content and, for secrets, its mode. */
export interface OutputFile {
  path: string;
  data: string | Uint8Array;
  mode?: number;
}

/**
 * Writes a file atomically: a temp file beside the target, fsync'd, then a rename. A crash or a
 * full disk never leaves a half-written plan, snapshot or report behind.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: { mode?: number; inputs?: string[] } = {},
): void {
  writeFilesAtomic([{ path, data, ...(opts.mode === undefined ? {} : { mode: opts.mode }) }], opts);
}

/**
 * Writes the files of one result as a set: all of them or none. Each goes into a temp directory
 * beside its target and is fsync'd; only when every file is written are they renamed into place
 * (a file a rename would replace is kept as a hard link until the set is complete, so a failed
 * rename puts the old one back). A plan without its rollback, or a report of a plan that is not
 * there, is worse than nothing: the operator would run it.
 *
 * An output that resolves to an input of the command (`--snapshot s.json -o s.json`, or
 * `report --out streamctl.yaml`) is refused before anything is written, so no input is ever lost:
 * the inputs are every file this process read through core/input.ts, plus `inputs`.
 */
export function writeFilesAtomic(files: OutputFile[], opts: { inputs?: string[] } = {}): void {
  const targets = files.map((f) => ({ ...f, path: checkOutputPath(f.path, opts.inputs ?? []) }));
  counters.WRITE = 0;
  counters.RENAME = 0;
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.path)) throw usageError(`${t.path}: named twice as an output of one command`);
    seen.add(t.path);
  }
  const temps = new Map<string, string>();
  const staged: Array<{ target: string; tmp: string; backup?: string }> = [];
  const current = { path: targets[0]?.path ?? '' };
  try {
    for (const [i, t] of targets.entries()) {
      current.path = t.path;
      const dir = dirname(t.path);
      let tmpDir = temps.get(dir);
      if (!tmpDir) {
        mkdirSync(dir, { recursive: true });
        tmpDir = mkdtempSync(join(dir, `.${basename(t.path)}.streamctl-`));
        temps.set(dir, tmpDir);
      }
      const tmp = join(tmpDir, String(i));
      writeDurably(tmp, t.data, t.mode);
      staged.push({ target: t.path, tmp });
    }
    for (const [i, s] of staged.entries()) {
      current.path = s.target;
      if (existsSync(s.target)) {
        s.backup = join(dirname(s.tmp), `${i}.previous`);
        linkSync(s.target, s.backup);
      }
    }
    renameAll(staged, current);
    for (const dir of temps.keys()) syncDir(dir);
  } catch (e) {
    throw cannotWrite(current.path, e);
  } finally {
    for (const tmpDir of temps.values()) rmSync(tmpDir, { recursive: true, force: true });
  }
}

/** Renames every staged file into place; on a failure, undoes the renames already done. */
function renameAll(
  staged: Array<{ target: string; tmp: string; backup?: string }>,
  current: { path: string },
) {
  const done: typeof staged = [];
  try {
    for (const s of staged) {
      current.path = s.target;
      const code = failpointHit('RENAME');
      if (code) throw Object.assign(new Error(`${code} (failpoint)`), { code });
      renameSync(s.tmp, s.target);
      done.push(s);
    }
  } catch (e) {
    for (const s of done.reverse()) {
      try {
        if (s.backup) renameSync(s.backup, s.target);
        else rmSync(s.target, { force: true });
      } catch {
        /* best effort: the error below names the file that failed */
      }
    }
    throw e;
  }
}

/**
 * The refusals that need no write: a directory or a device as the target, a path ending in a
 * slash, an output that is one of the inputs (same path after symlinks, or the same inode).
 */
export function checkOutputPath(path: string, inputs: string[]): string {
  if (/[/\\]$/.test(path))
    throw usageError(`${path}: expected a file path, got a directory (trailing slash)`);
  const abs = resolve(path);
  const real = realOutputPath(abs);
  if (real.startsWith('/dev/') || real.startsWith('/proc/') || real.startsWith('/sys/'))
    throw usageError(`${path}: expected a regular file to write, got a device or system path`);
  const st = statOrUndefined(real);
  if (st && !st.isFile())
    throw usageError(
      `${path}: expected a file path, got ${st.isDirectory() ? 'a directory' : 'a special file'}`,
    );
  const known = [...inputsRead()].map(([p, id]) => ({ name: p, real: p, ...id }));
  for (const input of inputs) {
    const inReal = realOutputPath(resolve(input));
    const inSt = statOrUndefined(inReal);
    known.push({ name: input, real: inReal, dev: inSt?.dev ?? -1, ino: inSt?.ino ?? -1 });
  }
  for (const k of known) {
    if (k.real === real || (st && st.dev === k.dev && st.ino === k.ino))
      throw usageError(
        `${path}: is the input ${k.name}; writing it would destroy the input`,
        'Choose another output path; nothing was written.',
      );
  }
  return real;
}

/** The path a write would land on: symlinks of the file and its directories resolved. */
function realOutputPath(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    // Not there yet: resolve the nearest existing directory.
    const parent = dirname(abs);
    if (parent === abs) return abs;
    return join(realOutputPath(parent), basename(abs));
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Test failpoints (the hostile-input suite's full disk, and the undo of a set): with
 * `STREAMCTL_FAILPOINT_WRITE=ENOSPC@2` the second file write of a set writes half its bytes and
 * then fails with ENOSPC, as a full volume does; with `STREAMCTL_FAILPOINT_RENAME=EXDEV@2` the
 * second rename of a set fails. Unset in normal use; a failpoint can only make a write fail.
 */
const counters = { WRITE: 0, RENAME: 0 };
function failpointHit(name: 'WRITE' | 'RENAME'): string | undefined {
  counters[name] += 1;
  const m = /^([A-Z]+)@(\d+)$/.exec(process.env[`STREAMCTL_FAILPOINT_${name}`] ?? '');
  return m && Number(m[2]) === counters[name] ? m[1] : undefined;
}

function failpoint(fd: number, bytes: Uint8Array): void {
  const code = failpointHit('WRITE');
  if (!code) return;
  writeSync(fd, bytes, 0, Math.floor(bytes.length / 2));
  throw Object.assign(new Error(`${code} (failpoint)`), { code });
}

function writeDurably(path: string, data: string | Uint8Array, mode: number | undefined): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(path, 'wx', mode ?? 0o666);
  try {
    failpoint(fd, bytes);
    writeFileSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some filesystems cannot fsync a directory; the files themselves are synced */
  }
}

function cannotWrite(path: string, e: unknown): StreamctlError {
  if (e instanceof StreamctlError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new StreamctlError('CANTCREAT', `cannot write ${path}: ${code}`, {
    exitCode: Sysexit.CANTCREAT,
    hint: 'Check that the directory exists, is writable and has free space; nothing was written.',
  });
}
