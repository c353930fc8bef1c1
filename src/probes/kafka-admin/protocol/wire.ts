/**
 * The Kafka wire primitives streamctl's own requests need (https://kafka.apache.org/protocol):
 * fixed-width big-endian integers, classic (int16/int32-length) strings and arrays, and the
 * "compact" unsigned-varint-length forms plus tagged fields used by flexible versions (KIP-482).
 * kafkajs's Encoder/Decoder are untyped and return BigInt for int64; this pair is typed, returns
 * int64 as a JS number (byte counts stay far below 2^53), and fails loudly on truncated input.
 */

/** Thrown when a response is shorter than its schema says: a protocol mismatch, never a partial result. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/** Builds a request body. Every method appends and returns `this`. */
export class Writer {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.len);
    this.len += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.len);
    this.len += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.len);
    this.len += 4;
    return this;
  }

  int64(v: number): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), this.len);
    this.len += 8;
    return this;
  }

  /** Unsigned LEB128 varint (lengths and tag counts in flexible versions). */
  uvarint(v: number): this {
    let value = v >>> 0;
    while (value >= 0x80) {
      this.ensure(1);
      this.buf[this.len++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.ensure(1);
    this.buf[this.len++] = value;
    return this;
  }

  private raw(bytes: Buffer): this {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
    return this;
  }

  /** STRING / NULLABLE_STRING: int16 length (-1 for null) then UTF-8 bytes. */
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const bytes = Buffer.from(v, 'utf8');
    return this.int16(bytes.length).raw(bytes);
  }

  /** COMPACT_STRING / COMPACT_NULLABLE_STRING: uvarint length+1 (0 for null) then UTF-8 bytes. */
  compactString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    const bytes = Buffer.from(v, 'utf8');
    return this.uvarint(bytes.length + 1).raw(bytes);
  }

  /** ARRAY: int32 count (-1 for null) then each item. */
  array<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) each(this, item);
    return this;
  }

  /** COMPACT_ARRAY: uvarint count+1 (0 for null) then each item. */
  compactArray<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const item of items) each(this, item);
    return this;
  }

  /** An empty tagged-field section (we never send tagged fields). */
  tags(): this {
    return this.uvarint(0);
  }

  /** A string in the form the version uses: compact when flexible. */
  str(flexible: boolean, v: string | null): this {
    return flexible ? this.compactString(v) : this.string(v);
  }

  /** An array in the form the version uses: compact when flexible. */
  arr<T>(flexible: boolean, items: readonly T[] | null, each: (w: this, item: T) => void): this {
    return flexible ? this.compactArray(items, each) : this.array(items, each);
  }

  /** The tagged-field section that ends every structure of a flexible version. */
  tagsIf(flexible: boolean): this {
    return flexible ? this.tags() : this;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/** Reads a response body in schema order. */
export class Reader {
  private off = 0;

  constructor(private readonly buf: Buffer) {}

  private need(n: number, what: string): void {
    if (this.off + n > this.buf.length) {
      throw new WireError(
        `truncated response: ${what} needs ${n} bytes at offset ${this.off}, only ${this.buf.length - this.off} left`,
      );
    }
  }

  int8(): number {
    this.need(1, 'int8');
    const v = this.buf.readInt8(this.off);
    this.off += 1;
    return v;
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.off);
    this.off += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.off);
    this.off += 4;
    return v;
  }

  /** INT64 as a number: exact up to 2^53 bytes (8 PiB), which no log directory reaches. */
  int64(): number {
    this.need(8, 'int64');
    const hi = this.buf.readInt32BE(this.off);
    const lo = this.buf.readUInt32BE(this.off + 4);
    this.off += 8;
    return hi * 0x1_0000_0000 + lo;
  }

  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      this.need(1, 'varint');
      const b = this.buf[this.off++] as number;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 28) throw new WireError('varint longer than 5 bytes');
    }
  }

  private utf8(n: number): string {
    this.need(n, 'string');
    const v = this.buf.toString('utf8', this.off, this.off + n);
    this.off += n;
    return v;
  }

  /** NULLABLE_STRING. */
  string(): string | null {
    const n = this.int16();
    return n < 0 ? null : this.utf8(n);
  }

  /** COMPACT_NULLABLE_STRING. */
  compactString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.utf8(n - 1);
  }

  /** ARRAY; null (-1) reads as an empty array. */
  array<T>(each: (r: Reader) => T): T[] {
    const n = this.int32();
    if (n < 0) return [];
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = each(this);
    return out;
  }

  /** COMPACT_ARRAY; null (0) reads as an empty array. */
  compactArray<T>(each: (r: Reader) => T): T[] {
    const n = this.uvarint();
    if (n === 0) return [];
    const out = new Array<T>(n - 1);
    for (let i = 0; i < n - 1; i++) out[i] = each(this);
    return out;
  }

  /** Skips a tagged-field section (we know of no tagged fields we need). */
  tags(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      const size = this.uvarint();
      this.need(size, 'tagged field');
      this.off += size;
    }
  }

  /** A string in the form the version uses: compact when flexible. */
  str(flexible: boolean): string | null {
    return flexible ? this.compactString() : this.string();
  }

  /** An array in the form the version uses: compact when flexible. */
  arr<T>(flexible: boolean, each: (r: Reader) => T): T[] {
    return flexible ? this.compactArray(each) : this.array(each);
  }

  /** Skips the tagged fields that end every structure of a flexible version. */
  tagsIf(flexible: boolean): void {
    if (flexible) this.tags();
  }

  /** Bytes not read yet (a response with leftovers was decoded with the wrong schema). */
  remaining(): number {
    return this.buf.length - this.off;
  }
}

/** Reads a string that the schema says is never null; a null is a protocol error. */
export function required(v: string | null, field: string): string {
  if (v === null) throw new WireError(`${field}: null where the protocol requires a string`);
  return v;
}
