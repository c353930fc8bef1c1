/**
 * A renderer for the small subset of Helm's Go templates the streamctl-healer chart uses, for
 * checking the chart where `helm` is not installed: `{{ .Values.a.b }}`, `{{ .Release.Name }}`,
 * `| quote`, `toYaml X | nindent N`, `if eq X "lit"` / `if X`, `else`, `end`, and `{{-` trimming
 * the whitespace before it. Anything else throws, so the chart cannot silently outgrow it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

type Ctx = { Values: Record<string, unknown>; Release: { Name: string } };

function lookup(ctx: Ctx, path: string): unknown {
  if (!path.startsWith('.')) {
    if (/^".*"$/.test(path)) return path.slice(1, -1);
    throw new Error(`unsupported operand ${path}`);
  }
  let cur: unknown = ctx;
  for (const k of path.slice(1).split('.')) {
    if (cur === null || typeof cur !== 'object') throw new Error(`no value at ${path}`);
    cur = (cur as Record<string, unknown>)[k];
  }
  if (cur === undefined) throw new Error(`no value at ${path}`);
  return cur;
}

function evalExpr(ctx: Ctx, expr: string): string {
  const [head, ...pipes] = expr.split('|').map((s) => s.trim());
  let v: unknown;
  const m = /^toYaml\s+(\S+)$/.exec(head!);
  v = m ? stringify(lookup(ctx, m[1]!)).trimEnd() : lookup(ctx, head!);
  for (const p of pipes) {
    const n = /^nindent\s+(\d+)$/.exec(p);
    if (p === 'quote') v = JSON.stringify(String(v));
    else if (n)
      v = `\n${String(v)
        .split('\n')
        .map((l) => ' '.repeat(Number(n[1])) + l)
        .join('\n')}`;
    else throw new Error(`unsupported pipe ${p}`);
  }
  return typeof v === 'object' ? stringify(v).trimEnd() : String(v);
}

function cond(ctx: Ctx, expr: string): boolean {
  const eq = /^eq\s+(\S+)\s+(\S+)$/.exec(expr);
  if (eq) return String(lookup(ctx, eq[1]!)) === String(lookup(ctx, eq[2]!));
  return Boolean(lookup(ctx, expr));
}

/** Renders one template text. */
export function renderTemplate(text: string, ctx: Ctx): string {
  const re = /\{\{(-?)\s*(.*?)\s*-?\}\}/g;
  const stack: Array<{ active: boolean; taken: boolean }> = [];
  const active = () => stack.every((s) => s.active);
  let out = '';
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let chunk = text.slice(last, m.index);
    if (m[1] === '-') chunk = chunk.replace(/\s+$/, '');
    if (active()) out += chunk;
    last = m.index + m[0].length;
    const body = m[2]!;
    if (body.startsWith('if ')) {
      const c = active() && cond(ctx, body.slice(3).trim());
      stack.push({ active: c, taken: c });
    } else if (body === 'else') {
      const top = stack.at(-1)!;
      top.active = !top.taken;
      top.taken = true;
    } else if (body === 'end') stack.pop();
    else if (active()) out += evalExpr(ctx, body);
  }
  if (stack.length) throw new Error('unclosed if');
  return out + text.slice(last);
}

/** Renders every template of the chart with values.yaml merged with `overrides` (one level deep per key). */
export function renderChart(chartDir: string, valuesFiles: string[], release = 'streamctl-healer') {
  const values: Record<string, unknown> = {};
  const merge = (into: Record<string, unknown>, from: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(from)) {
      if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object')
        merge(into[k] as Record<string, unknown>, v as Record<string, unknown>);
      else into[k] = v;
    }
  };
  for (const f of ['values.yaml', ...valuesFiles])
    merge(values, parse(readFileSync(join(chartDir, f), 'utf8')));
  const ctx: Ctx = { Values: values, Release: { Name: release } };
  const dir = join(chartDir, 'templates');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: f, text: renderTemplate(readFileSync(join(dir, f), 'utf8'), ctx) }));
}
