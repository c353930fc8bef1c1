/**
 * Reads a JSON input file whose top level is an object without ever holding the file as one
 * string: V8's strings stop at about 512 MiB, so slurping capped snapshots there although the
 * documented cap is 4 GiB. The file is read in chunks; each top-level member is parsed on its own,
 * and the elements of a top-level array (a snapshot's `partitions`) in batches of about 8 MiB of
 * text, one JSON.parse per batch: the largest string is a batch. The result is the same object
 * JSON.parse would give, so the snapshot's validation and its messages are unchanged.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, readSync } from 'node:fs';
import { badInput, type StreamctlError } from './errors.js';
import { type InputKind, inputErrors, maxInputBytes, openInputFile, readInputFile } from './input.js';
import { jsonSyntaxMessage } from './json-input.js';

const MiB = 1024 ** 2;
/** Bytes read at a time. */
const CHUNK = 8 * MiB;
/** Array elements are parsed in runs of about this many bytes. */
const BATCH = 8 * MiB;

/** The file's bytes, a chunk at a time; `buf[pos]` is the next byte, `base` its file offset. */
class Reader {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  base = 0;
  private total = 0;
  constructor(
    private readonly fd: number,
    readonly file: string,
    readonly kind: InputKind,
    private readonly cap: number,
  ) {}

  /** The i-th byte of the file (i < 3), read without moving (-1 past the end). */
  head(i: number): number {
    const b = Buffer.alloc(1);
    return readSync(this.fd, b, 0, 1, i) === 1 ? b[0]! : -1;
  }

  /** Loads the next chunk (a new buffer: slices of the old one stay valid); false at the end. */
  fill(): boolean {
    const b = Buffer.allocUnsafe(CHUNK);
    let n: number;
    try {
      n = readSync(this.fd, b, 0, CHUNK, null);
    } catch (e) {
      throw inputErrors.unreadable(this.kind, this.file, e);
    }
    if (n === 0) {
      if (this.carry.length) throw inputErrors.notUtf8(this.kind, this.file);
      return false;
    }
    this.checkUtf8(b.subarray(0, n));
    this.total += n;
    if (this.total > this.cap) throw inputErrors.tooLarge(this.kind, this.file, this.total, this.cap);
    this.base += this.buf.length;
    this.buf = b.subarray(0, n);
    this.pos = 0;
    return true;
  }

  /** The bytes of a UTF-8 sequence cut by the end of the previous chunk. */
  private carry: Buffer = Buffer.alloc(0);

  /** Strict UTF-8, as readInputFile: a sequence cut by a chunk's end is checked with the next. */
  private checkUtf8(chunk: Buffer): void {
    let from = 0;
    if (this.carry.length) {
      from = Math.min(chunk.length, seqLength(this.carry[0]!) - this.carry.length);
      if (!isUtf8(Buffer.concat([this.carry, chunk.subarray(0, from)])))
        throw inputErrors.notUtf8(this.kind, this.file);
    }
    let cut = chunk.length;
    for (let i = chunk.length - 1; i >= Math.max(from, chunk.length - 3); i--) {
      if (chunk[i]! >= 0xc0) {
        if (i + seqLength(chunk[i]!) > chunk.length) cut = i;
        break;
      }
    }
    if (!isUtf8(chunk.subarray(from, cut))) throw inputErrors.notUtf8(this.kind, this.file);
    this.carry = Buffer.from(chunk.subarray(cut));
  }

  /** The next byte that is not JSON whitespace, not consumed; -1 at the end of the file. */
  peek(): number {
    for (;;) {
      while (this.pos < this.buf.length) {
        const b = this.buf[this.pos]!;
        if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
        this.pos++;
      }
      if (!this.fill()) return -1;
    }
  }

  offset(): number {
    return this.base + this.pos;
  }

  syntax(reason: string): StreamctlError {
    return badInput(this.file, '(file)', 'valid JSON', `${reason} at byte ${this.offset()}`);
  }
}

/** The length of the UTF-8 sequence a lead byte starts (1 for anything that is not a lead byte). */
function seqLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(r: Reader, parts: Buffer[]): string {
  try {
    return utf8.decode(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  } catch {
    throw inputErrors.notUtf8(r.kind, r.file);
  }
}

function parse(r: Reader, json: string, where: string): unknown {
  try {
    return JSON.parse(json);
  } catch (e) {
    const why = jsonSyntaxMessage(e, json).replace(/ at line \d+, column \d+$/, '');
    throw badInput(r.file, '(file)', 'valid JSON', `${why} ${where}`);
  }
}

/** The bytes of the next JSON value (scalar, string, object or array), consumed. */
function collectValue(r: Reader): Buffer[] {
  if (r.peek() === -1) throw r.syntax('Unexpected end of JSON input');
  const parts: Buffer[] = [];
  let start = r.pos;
  let depth = 0;
  let inStr = false;
  let esc = false;
  for (;;) {
    if (r.pos >= r.buf.length) {
      parts.push(r.buf.subarray(start));
      if (!r.fill()) {
        if (inStr || depth > 0) throw r.syntax('Unexpected end of JSON input');
        return parts;
      }
      start = 0;
    }
    const b = r.buf[r.pos]!;
    if (inStr) {
      r.pos++;
      if (esc) esc = false;
      else if (b === 0x5c) esc = true;
      else if (b === 0x22) {
        inStr = false;
        if (depth === 0) break;
      }
      continue;
    }
    if (b === 0x22) inStr = true;
    else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      if (depth === 0) break; // the end of the container this value is in
      if (--depth === 0) {
        r.pos++;
        break;
      }
    } else if (depth === 0 && (b === 0x2c || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) break;
    r.pos++;
  }
  parts.push(r.buf.subarray(start, r.pos));
  return parts;
}

/** A top-level array, its elements parsed in batches; `r` is at its `[`. */
function streamArray(r: Reader, key: string): unknown[] {
  const out: unknown[] = [];
  r.pos++; // [
  let parts: Buffer[] = [];
  let size = 0;
  let batchAt = r.offset();
  let start = r.pos;
  let depth = 0;
  let inStr = false;
  let esc = false;
  const flush = (end: number) => {
    parts.push(r.buf.subarray(start, end));
    const json = text(r, parts).trim();
    if (json) {
      const where = `in "${key}" between bytes ${batchAt} and ${r.base + end}`;
      const batch = parse(r, `[${json}]`, where) as unknown[];
      for (const v of batch) out.push(v);
    }
    parts = [];
    size = 0;
  };
  for (;;) {
    if (r.pos >= r.buf.length) {
      parts.push(r.buf.subarray(start));
      size += r.buf.length - start;
      if (!r.fill()) throw r.syntax(`Unexpected end of JSON input in "${key}"`);
      start = 0;
    }
    const b = r.buf[r.pos]!;
    if (inStr) {
      if (esc) esc = false;
      else if (b === 0x5c) esc = true;
      else if (b === 0x22) inStr = false;
    } else if (b === 0x22) inStr = true;
    else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      if (depth === 0) {
        if (b !== 0x5d) throw r.syntax(`Unexpected '}' in "${key}"`);
        flush(r.pos);
        r.pos++;
        return out;
      }
      depth--;
    } else if (b === 0x2c && depth === 0 && size + (r.pos - start) >= BATCH) {
      flush(r.pos);
      r.pos++;
      batchAt = r.offset();
      start = r.pos;
      continue;
    }
    r.pos++;
  }
}

/** The members of the top-level object; `r` is at its `{`. */
function streamObject(r: Reader): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  r.pos++; // {
  if (r.peek() === 0x7d) {
    r.pos++;
    return out;
  }
  for (;;) {
    if (r.peek() !== 0x22) throw r.syntax('Expected a double-quoted property name');
    const key = parse(r, text(r, collectValue(r)), `at byte ${r.offset()}`) as string;
    if (r.peek() !== 0x3a) throw r.syntax("Expected ':' after a property name");
    r.pos++;
    const value = r.peek() === 0x5b ? streamArray(r, key) : parse(r, text(r, collectValue(r)), `in "${key}"`);
    // As JSON.parse does: "__proto__" is an own property, never the prototype.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    const c = r.peek();
    r.pos++;
    if (c === 0x2c) continue;
    if (c === 0x7d) return out;
    r.pos--;
    throw r.syntax(c === -1 ? 'Unexpected end of JSON input' : "Expected ',' or '}' after a property value");
  }
}

/**
 * Reads a JSON input file of the given kind (the same checks and cap as readInputFile, but up to
 * the kind's cap rather than V8's string limit). A top level that is not an object, and UTF-16
 * files, are read the ordinary way (they are small, or refused).
 */
export function readJsonInputStreaming(file: string, kind: InputKind): unknown {
  const cap = maxInputBytes(kind);
  const { fd } = openInputFile(file, kind, cap);
  try {
    const r = new Reader(fd, file, kind, cap);
    const [b0, b1, b2] = [0, 1, 2].map((i) => r.head(i));
    const utf16 = (b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff);
    if (!utf16) {
      r.fill();
      if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) r.pos = 3;
      if (r.peek() === 0x7b) {
        const value = streamObject(r);
        if (r.peek() !== -1) throw r.syntax('Unexpected non-whitespace character after JSON');
        return value;
      }
    }
  } finally {
    closeSync(fd);
  }
  // Not an object (an array, a scalar, junk) or UTF-16: one string, under V8's limit.
  return parseWhole(file, kind);
}

function parseWhole(file: string, kind: InputKind): unknown {
  const json = readInputFile(file, kind);
  try {
    return JSON.parse(json);
  } catch (e) {
    throw badInput(file, '(file)', 'valid JSON', jsonSyntaxMessage(e, json));
  }
}
