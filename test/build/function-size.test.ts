/**
 * Functions fit a screen: no named function in src/ is longer than 80 lines (issue 11, item 5).
 * The functions that were longer when this check came in are listed in ALLOWED with their length;
 * the list may only shrink. An entry fails the check when its function grew, and also when it
 * shrank (lower the figure, or remove the entry once the function is within the limit, or gone),
 * so the list always says exactly how much is left to split. Measured by function-sizes.ts with
 * the TypeScript compiler API.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type FunctionSize, measureFile, measureTree } from './function-sizes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The most lines a named function may span. */
const LIMIT = 80;

/** Functions over the limit that are still to be split: `file:function:lines`. Only shrinks. */
const ALLOWED: string[] = [];

/** The allow-list as a map from `file:function` to its recorded length. */
function allowed(): Map<string, number> {
  const map = new Map<string, number>();
  for (const entry of ALLOWED) {
    const m = /^(.+):(\d+)$/.exec(entry);
    if (!m) throw new Error(`ALLOWED entry ${entry}: expected file:function:lines`);
    map.set(m[1]!, Number(m[2]));
  }
  return map;
}

/** What is wrong with the tree against the allow-list: one line per problem. */
function problems(sizes: FunctionSize[], allow: Map<string, number>): string[] {
  const out: string[] = [];
  const found = new Map(sizes.map((s) => [`${s.file}:${s.name}`, s.lines]));
  for (const [key, lines] of found) {
    if (lines <= LIMIT) continue;
    const recorded = allow.get(key);
    if (recorded === undefined) out.push(`${key} is ${lines} lines (limit ${LIMIT}): split it by meaning`);
    else if (lines > recorded)
      out.push(`${key} grew from ${recorded} to ${lines} lines: split it, don't grow it`);
    else if (lines < recorded) out.push(`${key} shrank from ${recorded} to ${lines} lines: lower its entry`);
  }
  for (const [key, recorded] of allow) {
    const lines = found.get(key);
    if (lines === undefined) out.push(`${key} (allowed ${recorded}) no longer exists: remove its entry`);
    else if (lines <= LIMIT) out.push(`${key} is within the limit now (${lines} lines): remove its entry`);
  }
  return out;
}

describe('function size', () => {
  it('keeps every function in src/ within the limit or on the shrinking allow-list', () => {
    expect(problems(measureTree(root, 'src'), allowed())).toEqual([]);
  });

  it('lists no entry twice and keeps the list sorted, so merges stay simple', () => {
    expect(new Set(ALLOWED).size).toBe(ALLOWED.length);
    expect([...ALLOWED].sort()).toEqual(ALLOWED);
  });

  describe('the measure', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const measure = (text: string) => measureFile('x.ts', text, 'x.ts').map((s) => `${s.name}:${s.lines}`);

    it.each([
      ['a declaration', `function f() {\n${body(3)}\n}`, ['f:5']],
      ['an arrow assigned to a const', `const f = () => {\n${body(2)}\n};`, ['f:4']],
      ['a function expression assigned', `const f = function () {\n${body(1)}\n};`, ['f:3']],
      ['a method, qualified by its class', `class C {\n  m() {\n${body(1)}\n  }\n}`, ['C.m:3']],
      ['an object-literal key', `const o = {\n  k: () => {\n${body(1)}\n  },\n};`, ['k:3']],
      ['a nested function, qualified', `function f() {\n  function g() {}\n}`, ['f:3', 'f.g:1']],
      ['an anonymous callback is not counted', `[1].map((x) => {\n${body(90)}\n});`, []],
      [
        'a repeated name is numbered',
        `class A { m() {} }\nclass B { m() {} }\nfunction f() {}\n`,
        ['A.m:1', 'B.m:1', 'f:1'],
      ],
    ])('counts %s', (_label, text, expected) => {
      expect(measure(text)).toEqual(expected);
    });

    it('starts at the function, not at its doc comment', () => {
      expect(measure(`/**\n * Doc.\n */\nfunction f() {\n}`)).toEqual(['f:2']);
    });

    it('reports growth, shrinkage, new offenders and stale entries', () => {
      const sizes: FunctionSize[] = [
        { file: 'a.ts', name: 'grew', lines: 90 },
        { file: 'a.ts', name: 'shrank', lines: 85 },
        { file: 'a.ts', name: 'fits', lines: 80 },
        { file: 'a.ts', name: 'new', lines: 81 },
        { file: 'a.ts', name: 'same', lines: 100 },
      ];
      const allow = new Map([
        ['a.ts:grew', 88],
        ['a.ts:shrank', 86],
        ['a.ts:fits', 120],
        ['a.ts:gone', 99],
        ['a.ts:same', 100],
      ]);
      expect(problems(sizes, allow)).toEqual([
        "a.ts:grew grew from 88 to 90 lines: split it, don't grow it",
        'a.ts:shrank shrank from 86 to 85 lines: lower its entry',
        'a.ts:new is 81 lines (limit 80): split it by meaning',
        'a.ts:fits is within the limit now (80 lines): remove its entry',
        'a.ts:gone (allowed 99) no longer exists: remove its entry',
      ]);
    });
  });
});
