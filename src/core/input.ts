import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { StreamctlError } from './errors.js';
import { Sysexit } from './exit-codes.js';

/**
 * The one reader of input files (configs, snapshots, plans, scenarios, exception texts, secret
 * files). I/O side. It exists because every ad-hoc `readFileSync` was a way to hang or exhaust
 * memory: `--config /dev/zero` never returned, a 50 MB junk YAML ran the heap out, a FIFO blocks
 * in open(2). So: only regular files, a size cap per kind (raised with `--max-input-size`), a BOM
 * removed, text that must be UTF-8, and a typed error that names the file.
 */
export type InputKind = 'config' | 'secret' | 'snapshot' | 'plan' | 'scenario' | 'text';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** Default caps: configs and texts are small; snapshots of 2.8M replicas are a few hundred MB. */
export const DEFAULT_MAX_INPUT_BYTES: Record<InputKind, number> = {
  config: 16 * MiB,
  secret: 1 * MiB,
  snapshot: 4 * GiB,
  plan: 4 * GiB,
  scenario: 16 * MiB,
  text: 16 * MiB,
};

const WHAT: Record<InputKind, string> = {
  config: 'configuration file',
  secret: 'secret file',
  snapshot: 'snapshot',
  plan: 'reassignment plan',
  scenario: 'scenario',
  text: 'input file',
};

/** Largest string V8 can hold (about 512 MiB on Node 20): a bigger file cannot be parsed as text. */
const MAX_TEXT_BYTES = 0x1fffffe8;

let override: number | undefined;

/** Every file read as input by this process: no output may land on one (see core/fs.ts). */
const inputs = new Map<string, { dev: number; ino: number }>();

/** The inputs read so far, by real path (with device and inode, to catch hard links). */
export function inputsRead(): ReadonlyMap<string, { dev: number; ino: number }> {
  return inputs;
}

/** Sets the cap for every kind (the global `--max-input-size` flag); undefined restores defaults. */
export function setMaxInputBytes(bytes: number | undefined): void {
  override = bytes;
}

/** The cap in force for a kind. */
export function maxInputBytes(kind: InputKind): number {
  return override ?? DEFAULT_MAX_INPUT_BYTES[kind];
}

/** Why an input file was refused; `reason` is stable for tests and JSON output. */
export type InputRefusal = 'missing' | 'unreadable' | 'not-a-file' | 'device' | 'too-large' | 'not-utf8';

/** A refused input file: exit 78 for configuration and secrets, 65 for data files. */
export class InputFileError extends StreamctlError {
  readonly file: string;
  readonly reason: InputRefusal;
  constructor(kind: InputKind, file: string, reason: InputRefusal, message: string, hint?: string) {
    const config = kind === 'config' || kind === 'secret';
    super(config ? 'CONFIG' : 'BAD_INPUT', `${file}: ${message}`, {
      exitCode: config ? Sysexit.CONFIG : Sysexit.DATAERR,
      hint: hint ?? 'Fix the input file and run the command again; nothing was written.',
    });
    this.name = 'InputFileError';
    this.file = file;
    this.reason = reason;
  }
}

/**
 * Reads a whole input file as text. Refuses anything under /dev and anything that is not a regular
 * file (FIFOs, sockets, devices, directories) before reading a byte, and files above the cap.
 */
export function readInputFile(file: string, kind: InputKind): string {
  const what = WHAT[kind];
  const { fd, size } = openInputFile(file, kind, Math.min(maxInputBytes(kind), MAX_TEXT_BYTES));
  try {
    const cap = Math.min(maxInputBytes(kind), MAX_TEXT_BYTES);
    return decode(readAll(fd, size, cap, kind, file, what), kind, file, what);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens an input file after the checks every input gets (nothing under /dev or /proc, a regular
 * file, at most `cap` bytes by its size) and records it as read; the caller reads and closes `fd`.
 * The streaming readers (core/json-stream.ts) use it for files larger than one string can hold.
 */
export function openInputFile(
  file: string,
  kind: InputKind,
  cap = maxInputBytes(kind),
): { fd: number; size: number } {
  const what = WHAT[kind];
  const real = realPath(file, kind, what);
  if (real.startsWith('/dev/') || real.startsWith('/proc/'))
    throw new InputFileError(kind, file, 'device', `expected a regular ${what}, got a device (${real})`);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer would otherwise block forever.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw unreadable(kind, file, what, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new InputFileError(
        kind,
        file,
        'not-a-file',
        `expected a regular ${what}, got ${st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : 'a special file'}`,
      );
    if (st.size > cap) throw tooLarge(kind, file, what, st.size, cap);
    inputs.set(real, { dev: st.dev, ino: st.ino });
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** The errors of a streaming reader, worded as readInputFile's. */
export const inputErrors = {
  tooLarge: (kind: InputKind, file: string, size: number, cap: number) =>
    new InputFileError(
      kind,
      file,
      'too-large',
      `${WHAT[kind]} too large: ${size} bytes, above the limit of ${cap} bytes (--max-input-size raises it)`,
      'Pass --max-input-size to raise the limit (e.g. --max-input-size 8GiB) if the file is genuine.',
    ),
  unreadable: (kind: InputKind, file: string, e: unknown) => unreadable(kind, file, WHAT[kind], e),
  notUtf8: (kind: InputKind, file: string) =>
    new InputFileError(
      kind,
      file,
      'not-utf8',
      `expected a UTF-8 text ${WHAT[kind]}, got bytes that are not UTF-8 (a binary file?)`,
    ),
};

function realPath(file: string, kind: InputKind, what: string): string {
  try {
    return realpathSync(resolve(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new InputFileError(kind, file, 'missing', `no such ${what}`, 'Check the path.');
    throw unreadable(kind, file, what, e);
  }
}

/** Reads up to the cap; a file that grows while we read (a log being written) is cut off there. */
function readAll(fd: number, size: number, cap: number, kind: InputKind, file: string, what: string): Buffer {
  // One byte beyond the stat size, so that the read that finds the end needs no bigger buffer.
  let buf = Buffer.allocUnsafe(Math.min(cap + 1, Math.max(size + 1, 64 * 1024)));
  let len = 0;
  for (;;) {
    if (len === buf.length) {
      if (len >= cap) throw tooLarge(kind, file, what, len + 1, cap);
      const bigger = Buffer.allocUnsafe(Math.min(cap + 1, buf.length * 2));
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    let n: number;
    try {
      n = readSync(fd, buf, len, buf.length - len, null);
    } catch (e) {
      throw unreadable(kind, file, what, e);
    }
    if (n === 0) break;
    len += n;
    if (len > cap) throw tooLarge(kind, file, what, len, cap);
  }
  return buf.subarray(0, len);
}

function decode(buf: Buffer, kind: InputKind, file: string, what: string): string {
  // A BOM is what Windows editors put first; UTF-16 is what PowerShell's `>` writes.
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf);
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf); // strips a UTF-8 BOM
  } catch {
    throw new InputFileError(
      kind,
      file,
      'not-utf8',
      `expected a UTF-8 text ${what}, got bytes that are not UTF-8 (a binary file?)`,
    );
  }
}

function tooLarge(kind: InputKind, file: string, what: string, size: number, cap: number): InputFileError {
  const hint =
    cap >= MAX_TEXT_BYTES
      ? 'Files this large cannot be read as one text; split the input.'
      : 'Pass --max-input-size to raise the limit (e.g. --max-input-size 64MiB) if the file is genuine.';
  return new InputFileError(
    kind,
    file,
    'too-large',
    `${what} too large: ${size} bytes, above the limit of ${cap} bytes${cap >= MAX_TEXT_BYTES ? '' : ' (--max-input-size raises it)'}`,
    hint,
  );
}

function unreadable(kind: InputKind, file: string, what: string, e: unknown): InputFileError {
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new InputFileError(kind, file, 'unreadable', `cannot read the ${what}: ${code}`);
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: MiB,
  gib: GiB,
};

/** Parses a size such as `64MiB`, `1GB` or `1048576`; undefined when it is not one. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const v = Math.round(Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]!);
  return Number.isSafeInteger(v) && v > 0 ? v : undefined;
}
