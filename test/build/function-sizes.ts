/**
 * Measures every named function in src/ with the TypeScript compiler API, for the screen-size
 * check in function-size.test.ts. A function is named when it is a declaration, a method, a
 * constructor or accessor, or an arrow / function expression assigned to a variable, a property
 * or an object-literal key. Its name is qualified by the named functions and classes around it
 * (`Class.method`, `outer.inner`), so it stays unique and stable as the code around it moves.
 * Its size is the lines from its first token (after leading comments) to its last.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One function's size. */
export interface FunctionSize {
  /** Path relative to the project root, with `/` separators. */
  file: string;
  /** Qualified name, unique within the file (a `#2` suffix tells apart repeated names). */
  name: string;
  lines: number;
}

const walk = (d: string): string[] =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
  );

/** The text of a declaration's name, when it has a plain one. */
function nameText(name: ts.Node | undefined, sf: ts.SourceFile): string | undefined {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText(sf);
}

/** The name a function-like node is known by, or undefined when it is anonymous (a callback). */
function functionName(node: ts.Node, sf: ts.SourceFile): string | undefined {
  if (ts.isFunctionDeclaration(node)) return nameText(node.name, sf) ?? 'default';
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) {
    return nameText(node.name, sf);
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const p = node.parent;
    if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) {
      return nameText(p.name, sf);
    }
  }
  return undefined;
}

/** The name a class-like container contributes to the qualified names inside it. */
function containerName(node: ts.Node, sf: ts.SourceFile): string | undefined {
  if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) return nameText(node.name, sf) ?? 'class';
  return undefined;
}

/** The named functions of one file. */
export function measureFile(path: string, text: string, file: string): FunctionSize[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: FunctionSize[] = [];
  const seen = new Map<string, number>();
  const visit = (node: ts.Node, scope: string[]): void => {
    const fn = functionName(node, sf);
    const container = containerName(node, sf);
    let inner = scope;
    if (fn !== undefined) {
      const qualified = [...scope, fn].join('.');
      const n = (seen.get(qualified) ?? 0) + 1;
      seen.set(qualified, n);
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ file, name: n === 1 ? qualified : `${qualified}#${n}`, lines: end - start + 1 });
      inner = [...scope, fn];
    } else if (container !== undefined) {
      inner = [...scope, container];
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(sf, []);
  return out;
}

/** Every named function under `dir` (.ts and .tsx), measured. */
export function measureTree(root: string, dir: string): FunctionSize[] {
  return walk(join(root, dir))
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .flatMap((f) => measureFile(f, readFileSync(f, 'utf8'), relative(root, f).split('\\').join('/')));
}
