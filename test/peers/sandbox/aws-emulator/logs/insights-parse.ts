/**
 * A parser for the CloudWatch Logs Insights subset streamctl and its tests use:
 *   fields a, b as c | display a | filter <cond> | parse <field> /re with (?<named>groups)/
 *   | parse <field> "glob * pattern" as x, y | sort f [asc|desc], ... | limit N | dedup a, b
 *   | stats count(*)|count(f)|count_distinct(f)|sum|avg|min|max(f) [as alias], ... [by f, bin(5m)]
 * Conditions: =, !=, <, <=, >, >=, like /re/ or "substring", not like, =~ /re/, and, or, not,
 * parentheses, ispresent(f), isempty(f). Anything else is a MalformedQueryException naming what
 * the emulator does not support, never a silent wrong answer.
 */
import { err } from '../errors.js';
import { type Tok, tokenize } from './insights-tokens.js';

const malformed = (m: string) => err.logsMalformedQuery(m);

export type Expr =
  | { k: 'field'; name: string }
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'cmp'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; l: Expr; r: Expr }
  | { k: 'like'; subject: Expr; pattern: RegExp | string; negate: boolean }
  | { k: 'and' | 'or'; l: Expr; r: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'present' | 'empty'; name: string };

export type Agg = {
  fn: 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';
  field?: string;
  alias: string;
};
export type GroupKey = { field: string; alias: string } | { binMs: number; alias: string };

export type Command =
  | { k: 'fields'; items: { name: string; alias: string }[] }
  | { k: 'display'; names: string[] }
  | { k: 'filter'; expr: Expr }
  | { k: 'parse'; field: string; re: RegExp; names: string[] }
  | { k: 'sort'; keys: { field: string; desc: boolean }[] }
  | { k: 'limit'; n: number }
  | { k: 'dedup'; names: string[] }
  | { k: 'stats'; aggs: Agg[]; by: GroupKey[] };

class Cursor {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(): Tok | undefined {
    return this.toks[this.i];
  }
  next(): Tok | undefined {
    return this.toks[this.i++];
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === v;
  }
  isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'id' && t.v.toLowerCase() === v;
  }
  expectOp(v: string, ctx: string): void {
    if (!this.isOp(v)) throw malformed(`expected '${v}' in ${ctx}`);
    this.i++;
  }
  name(ctx: string): string {
    const t = this.next();
    if (t?.t !== 'id') throw malformed(`expected a field name in ${ctx}`);
    return t.v;
  }
}

/** Parses a query into commands, or throws MalformedQueryException. */
export function parseQuery(query: string): Command[] {
  if (query.trim().length === 0) throw malformed('the query string is empty');
  const toks = tokenize(query);
  const parts: Tok[][] = [[]];
  for (const t of toks) {
    if (t.t === 'op' && t.v === '|') parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.map((p, i) => {
    if (p.length === 0) throw malformed(`empty command at position ${i + 1}`);
    return parseCommand(new Cursor(p));
  });
}

function parseCommand(c: Cursor): Command {
  const head = c.next();
  if (head?.t !== 'id') throw malformed('each command must start with a command name');
  const name = head.v.toLowerCase();
  let cmd: Command;
  switch (name) {
    case 'fields': {
      const items: { name: string; alias: string }[] = [];
      do {
        const n = c.name('fields');
        if (c.isOp('(')) throw malformed(`functions in fields (${n}(...)) are not supported by the emulator`);
        let alias = n;
        if (c.isWord('as')) {
          c.next();
          alias = c.name('fields alias');
        }
        items.push({ name: n, alias });
      } while (c.isOp(',') && c.next());
      cmd = { k: 'fields', items };
      break;
    }
    case 'display': {
      const names: string[] = [];
      do names.push(c.name('display'));
      while (c.isOp(',') && c.next());
      cmd = { k: 'display', names };
      break;
    }
    case 'dedup': {
      const names: string[] = [];
      do names.push(c.name('dedup'));
      while (c.isOp(',') && c.next());
      cmd = { k: 'dedup', names };
      break;
    }
    case 'filter':
      cmd = { k: 'filter', expr: parseOr(c) };
      break;
    case 'parse': {
      const field = c.name('parse');
      const t = c.next();
      if (t?.t === 're') {
        const names = [...t.src.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!);
        if (names.length === 0)
          throw malformed('parse with a regular expression needs named groups (?<name>...)');
        cmd = { k: 'parse', field, re: t.v, names };
      } else if (t?.t === 'str') {
        if (!c.isWord('as')) throw malformed('parse with a glob pattern needs "as name, ..."');
        c.next();
        const names: string[] = [];
        do names.push(c.name('parse as'));
        while (c.isOp(',') && c.next());
        const pieces = t.v.split('*');
        if (pieces.length - 1 !== names.length)
          throw malformed(`parse pattern has ${pieces.length - 1} wildcards but ${names.length} names`);
        const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        let named = '';
        pieces.forEach((piece, i) => {
          named += esc(piece);
          if (i < names.length) named += `(?<${names[i]}>${i === names.length - 1 ? '.*' : '.*?'})`;
        });
        cmd = { k: 'parse', field, re: new RegExp(named), names };
      } else throw malformed('parse needs a /regular expression/ or a "glob * pattern"');
      break;
    }
    case 'sort': {
      const keys: { field: string; desc: boolean }[] = [];
      do {
        const field = c.name('sort');
        let desc = true; // Logs Insights sorts descending unless told otherwise
        if (c.isWord('asc')) {
          c.next();
          desc = false;
        } else if (c.isWord('desc')) c.next();
        keys.push({ field, desc });
      } while (c.isOp(',') && c.next());
      cmd = { k: 'sort', keys };
      break;
    }
    case 'limit': {
      const t = c.next();
      if (t?.t !== 'num' || !Number.isInteger(t.v) || t.v < 1 || t.v > 10_000)
        throw malformed('limit needs an integer between 1 and 10000');
      cmd = { k: 'limit', n: t.v };
      break;
    }
    case 'stats':
      cmd = parseStats(c);
      break;
    default:
      throw malformed(
        `the command '${head.v}' is not supported by the emulator (supported: fields, display, filter, parse, sort, limit, dedup, stats)`,
      );
  }
  if (!c.done()) throw malformed(`unexpected '${describe(c.peek()!)}' after the ${name} command`);
  return cmd;
}

function parseStats(c: Cursor): Command {
  const aggs: Agg[] = [];
  do {
    const fnTok = c.name('stats');
    const fn = fnTok.toLowerCase();
    if (!['count', 'count_distinct', 'sum', 'avg', 'min', 'max'].includes(fn))
      throw malformed(`the stats function ${fnTok} is not supported by the emulator`);
    c.expectOp('(', 'stats');
    let field: string | undefined;
    if (c.isOp('*')) c.next();
    else if (!c.isOp(')')) field = c.name(`${fn}()`);
    c.expectOp(')', 'stats');
    if (fn !== 'count' && field === undefined) throw malformed(`${fn}() needs a field`);
    let alias = `${fn}(${field ?? '*'})`;
    if (c.isWord('as')) {
      c.next();
      alias = c.name('stats alias');
    }
    aggs.push({ fn: fn as Agg['fn'], ...(field !== undefined ? { field } : {}), alias });
  } while (c.isOp(',') && c.next());
  const by: GroupKey[] = [];
  if (c.isWord('by')) {
    c.next();
    do {
      const n = c.name('stats by');
      if (n.toLowerCase() === 'bin' && c.isOp('(')) {
        c.next();
        const d = c.next();
        const ms = d?.t === 'id' ? durationMs(d.v) : undefined;
        if (ms === undefined) throw malformed('bin() needs a duration such as 5m');
        c.expectOp(')', 'bin()');
        let alias = `bin(${(d as { v: string }).v})`;
        if (c.isWord('as')) {
          c.next();
          alias = c.name('bin alias');
        }
        by.push({ binMs: ms, alias });
      } else {
        let alias = n;
        if (c.isWord('as')) {
          c.next();
          alias = c.name('by alias');
        }
        by.push({ field: n, alias });
      }
    } while (c.isOp(',') && c.next());
  }
  return { k: 'stats', aggs, by };
}

function durationMs(s: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
}

function parseOr(c: Cursor): Expr {
  let l = parseAnd(c);
  while (c.isWord('or')) {
    c.next();
    l = { k: 'or', l, r: parseAnd(c) };
  }
  return l;
}

function parseAnd(c: Cursor): Expr {
  let l = parseNot(c);
  while (c.isWord('and')) {
    c.next();
    l = { k: 'and', l, r: parseNot(c) };
  }
  return l;
}

function parseNot(c: Cursor): Expr {
  if (c.isWord('not')) {
    c.next();
    return { k: 'not', e: parseNot(c) };
  }
  return parseCmp(c);
}

function parseCmp(c: Cursor): Expr {
  if (c.isOp('(')) {
    c.next();
    const e = parseOr(c);
    c.expectOp(')', 'filter');
    return e;
  }
  const t = c.peek();
  if (
    t?.t === 'id' &&
    ['ispresent', 'isempty', 'isblank'].includes(t.v.toLowerCase()) &&
    c.toks[c.i + 1]?.t === 'op'
  ) {
    c.next();
    c.expectOp('(', t.v);
    const name = c.name(t.v);
    c.expectOp(')', t.v);
    return { k: t.v.toLowerCase() === 'ispresent' ? 'present' : 'empty', name };
  }
  const l = parseValue(c);
  const negate =
    c.isWord('not') &&
    c.toks[c.i + 1]?.t === 'id' &&
    (c.toks[c.i + 1] as { v: string }).v.toLowerCase() === 'like';
  if (negate) c.next();
  if (c.isWord('like') || c.isOp('=~')) {
    c.next();
    const p = c.next();
    if (p?.t === 're') return { k: 'like', subject: l, pattern: p.v, negate };
    if (p?.t === 'str') return { k: 'like', subject: l, pattern: p.v, negate };
    throw malformed('like needs a /regular expression/ or a "string"');
  }
  for (const op of ['=', '!=', '<', '<=', '>', '>='] as const) {
    if (c.isOp(op)) {
      c.next();
      return { k: 'cmp', op, l, r: parseValue(c) };
    }
  }
  const next = c.peek();
  throw malformed(`expected a comparison in filter${next ? ` near '${describe(next)}'` : ''}`);
}

function parseValue(c: Cursor): Expr {
  const t = c.next();
  if (!t) throw malformed('filter ends too early');
  if (t.t === 'str') return { k: 'str', v: t.v };
  if (t.t === 'num') return { k: 'num', v: t.v };
  if (t.t === 'id') {
    if (c.isOp('(')) throw malformed(`the function ${t.v}() is not supported in filter by the emulator`);
    return { k: 'field', name: t.v };
  }
  throw malformed(`unexpected '${describe(t)}' in filter`);
}

function describe(t: Tok): string {
  return t.t === 're' ? `/${t.src}/` : String(t.v);
}
