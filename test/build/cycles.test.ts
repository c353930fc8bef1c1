/**
 * No import cycles in src/ (issue 11 broke six: ladder ↔ diagnosis, world ↔ events, flink-rest
 * index ↔ fake, planner → invariants → plan → planner, lifecycle ↔ self-managed-lifecycle,
 * kafka-observe ↔ msk-facts). A cycle makes load order matter and hides which side of the
 * pipeline a file is on. Counted: static imports and re-exports, type-only ones included (they
 * still tie the two files' concepts together), and dynamic `import('./x.js')`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src', import.meta.url));
const walk = (d: string): string[] =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
  );

const STATIC = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Each source file's relative imports, resolved to files. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of walk(src).filter((f) => /\.tsx?$/.test(f))) {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(STATIC), ...text.matchAll(DYNAMIC)].flatMap((m) => {
      const base = resolve(dirname(file), m[1]!).replace(/\.js$/, '');
      const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((f) => existsSync(f));
      return target ? [target] : [];
    });
    graph.set(file, deps);
  }
  return graph;
}

/** The strongly connected groups of more than one file, or with a self-import (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(relative(src, w));
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('reads every module and its imports', () => {
    expect(graph.size).toBeGreaterThan(300);
    const ladder = [...graph].find(([f]) => f.endsWith('healer/decide/ladder.ts'))![1];
    expect(ladder.map((f) => relative(src, f))).toContain('healer/decide/diagnosis.ts');
  });

  it('has no cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const a = join(src, 'a.ts');
    const b = join(src, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
  });
});
