import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sysexit } from '../../src/core/exit-codes.js';
import { readJsonInputStreaming } from '../../src/core/json-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'streamctl-json-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: string | Buffer) => {
  const f = join(dir, `f${n++}.json`);
  writeFileSync(f, content);
  return f;
};

/** A snapshot-like document with `count` partitions, some with awkward strings. */
function doc(count: number) {
  return {
    version: 1,
    cluster: 'c "quoted" {braces} [brackets], commas',
    capturedAt: '2026-11-22T00:00:00Z',
    meta: { nested: [1, { a: '],}' }], empty: [] },
    brokers: [{ id: 1, rack: 'é-ü-€-𝄞' }],
    partitions: Array.from({ length: count }, (_, i) => ({
      topic: i % 7 === 0 ? `t\\"\\\\,]}{[${i}` : `topic-${i % 50}`,
      partition: i,
      replicas: [1],
      leader: 1,
      sizeBytes: i * 1_000,
      note: i % 11 === 0 ? '𝄞€ü'.repeat(3) : undefined,
    })),
    empty: [],
    after: 'the end',
  };
}

describe('readJsonInputStreaming', () => {
  it.each([0, 1, 3, 200_000])(
    'gives what JSON.parse gives (%i partitions, batches and chunks crossed)',
    (count) => {
      const text = JSON.stringify(doc(count), null, count === 3 ? 2 : 0);
      expect(readJsonInputStreaming(file(text), 'snapshot')).toEqual(JSON.parse(text));
    },
  );

  it('keeps "__proto__" an own property, as JSON.parse does', () => {
    const text = '{"__proto__": {"polluted": true}, "a": [1]}';
    const v = readJsonInputStreaming(file(text), 'snapshot') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
  });

  it('strips a UTF-8 BOM; reads a top-level array or UTF-16 the ordinary way', () => {
    expect(readJsonInputStreaming(file(`\uFEFF{"a": [1, 2]}`), 'snapshot')).toEqual({ a: [1, 2] });
    expect(readJsonInputStreaming(file('[1, 2]'), 'snapshot')).toEqual([1, 2]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a": [1]}', 'utf16le')]);
    expect(readJsonInputStreaming(file(utf16), 'snapshot')).toEqual({ a: [1] });
  });

  it.each([
    ['', 'Unexpected end of JSON input'],
    ['{"a": [1, 2', 'Unexpected end of JSON input in "a"'],
    ['{"a": [1, 2,]}', 'in "a" between bytes'],
    ['{"a": 1 "b": 2}', "Expected ',' or '}'"],
    ['{"a": 1} x', 'Unexpected non-whitespace character after JSON'],
    ['{"a": [{"b": 1}}]}', 'Unexpected \'}\' in "a"'],
    ['{a: 1}', 'Expected a double-quoted property name'],
  ])('a syntax error is bad input (65) naming the file: %j', (text, said) => {
    const f = file(text);
    expect(() => readJsonInputStreaming(f, 'snapshot')).toThrow(
      expect.objectContaining({
        exitCode: Sysexit.DATAERR,
        message: expect.stringMatching(
          new RegExp(
            `${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*valid JSON.*${said.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
          ),
        ),
      }),
    );
  });

  it('refuses bytes that are not UTF-8, also when a sequence is cut by a chunk boundary', () => {
    const bad = Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(() => readJsonInputStreaming(file(bad), 'snapshot')).toThrow(/not UTF-8/);
    // A valid 4-byte sequence straddling the 8 MiB chunk boundary is fine.
    const pad = 8 * 1024 * 1024 - '{"a": "'.length - 2;
    const ok = `{"a": "${'x'.repeat(pad)}𝄞"}`;
    expect((readJsonInputStreaming(file(ok), 'snapshot') as { a: string }).a.endsWith('𝄞')).toBe(true);
  });
});
