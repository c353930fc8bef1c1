/**
 * Runs parsed Logs Insights commands over log events. Rows are field → value records; JSON
 * messages contribute their (flattened) members as discovered fields, as Logs Insights does for
 * MSF's JSON log events (so `parse message /.../` works on the MSF `message` member).
 */
import type { Agg, Command, Expr } from './insights-parse.js';

export interface InsightsEvent {
  timestampMs: number;
  message: string;
  logStream: string;
  logGroup: string;
  ptr: string;
}

export type Row = Record<string, string | number>;

export interface InsightsResult {
  fields: string[];
  rows: Row[];
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

/** Logs Insights returns at most this many rows (and 1000 when the query sets no limit). */
export const MAX_ROWS = 10_000;
export const DEFAULT_ROWS = 1_000;

export function runInsights(
  commands: Command[],
  events: InsightsEvent[],
  limitOverride?: number,
): InsightsResult {
  let rows: Row[] = [...events].sort((a, b) => b.timestampMs - a.timestampMs).map(toRow);
  const bytesScanned = events.reduce((n, e) => n + Buffer.byteLength(e.message), 0);
  const parsedFields: string[] = [];
  let projection: string[] | undefined;
  let display: string[] | undefined;
  let statsFields: string[] | undefined;
  let limit: number | undefined;
  let matched = rows.length;

  for (const cmd of commands) {
    switch (cmd.k) {
      case 'fields':
        projection = [...(projection ?? []), ...cmd.items.map((i) => i.alias)];
        for (const r of rows)
          for (const i of cmd.items)
            if (i.alias !== i.name && r[i.name] !== undefined) r[i.alias] = r[i.name]!;
        break;
      case 'display':
        display = cmd.names;
        break;
      case 'filter':
        rows = rows.filter((r) => truthy(evalExpr(cmd.expr, r)));
        matched = rows.length;
        break;
      case 'parse':
        for (const n of cmd.names) if (!parsedFields.includes(n)) parsedFields.push(n);
        for (const r of rows) {
          const subject = r[cmd.field];
          if (subject === undefined) continue;
          const m = cmd.re.exec(String(subject));
          if (!m?.groups) continue;
          for (const n of cmd.names) if (m.groups[n] !== undefined) r[n] = m.groups[n]!;
        }
        break;
      case 'sort':
        rows = [...rows].sort((a, b) => {
          for (const k of cmd.keys) {
            const c = compare(a[k.field], b[k.field]);
            if (c !== 0) return k.desc ? -c : c;
          }
          return 0;
        });
        break;
      case 'limit':
        limit = cmd.n;
        rows = rows.slice(0, cmd.n);
        break;
      case 'dedup': {
        const seen = new Set<string>();
        rows = rows.filter((r) => {
          const key = JSON.stringify(cmd.names.map((n) => r[n] ?? null));
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        break;
      }
      case 'stats': {
        const out = stats(cmd.aggs, cmd.by, rows);
        rows = out.rows;
        statsFields = out.fields;
        break;
      }
    }
  }
  const cap = Math.min(MAX_ROWS, limitOverride ?? limit ?? DEFAULT_ROWS);
  rows = rows.slice(0, cap);
  const fields = display ??
    statsFields ?? [
      ...(projection ?? ['@timestamp', '@message', '@logStream', '@log']),
      ...parsedFields.filter((f) => !(projection ?? []).includes(f)),
      '@ptr',
    ];
  return {
    fields,
    rows: rows.map((r) =>
      Object.fromEntries(
        fields
          .filter((f) => r[f] !== undefined)
          .map((f) => [f, f === '@timestamp' && typeof r[f] === 'number' ? formatTs(r[f] as number) : r[f]!]),
      ),
    ),
    recordsMatched: matched,
    recordsScanned: events.length,
    bytesScanned,
  };
}

function toRow(e: InsightsEvent): Row {
  const row: Row = {
    '@timestamp': e.timestampMs,
    '@message': e.message,
    '@logStream': e.logStream,
    '@log': e.logGroup,
    '@ptr': e.ptr,
  };
  if (e.message.startsWith('{')) {
    try {
      flatten(JSON.parse(e.message), '', row);
    } catch {
      /* not JSON after all: only @message */
    }
  }
  return row;
}

function flatten(v: unknown, prefix: string, row: Row): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, row);
  } else if (prefix && v !== null && v !== undefined) {
    row[prefix] = typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v);
  }
}

type Val = string | number | boolean | undefined;

function evalExpr(e: Expr, r: Row): Val {
  switch (e.k) {
    case 'field':
      return r[e.name];
    case 'str':
    case 'num':
      return e.v;
    case 'and':
      return truthy(evalExpr(e.l, r)) && truthy(evalExpr(e.r, r));
    case 'or':
      return truthy(evalExpr(e.l, r)) || truthy(evalExpr(e.r, r));
    case 'not':
      return !truthy(evalExpr(e.e, r));
    case 'present':
      return r[e.name] !== undefined;
    case 'empty':
      return r[e.name] === undefined || String(r[e.name]).trim() === '';
    case 'like': {
      const s = evalExpr(e.subject, r);
      if (s === undefined) return false;
      const hit = typeof e.pattern === 'string' ? String(s).includes(e.pattern) : e.pattern.test(String(s));
      return e.negate ? !hit : hit;
    }
    case 'cmp': {
      const l = evalExpr(e.l, r);
      const rv = evalExpr(e.r, r);
      if (l === undefined || rv === undefined) return e.op === '!=';
      const c = compare(l as string | number, rv as string | number);
      switch (e.op) {
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
    }
  }
}

function truthy(v: Val): boolean {
  return v === true;
}

function compare(a: string | number | undefined, b: string | number | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const na = Number(a);
  const nb = Number(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && String(a).trim() !== '' && String(b).trim() !== '')
    return na - nb;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function stats(
  aggs: Agg[],
  by: ({ field: string; alias: string } | { binMs: number; alias: string })[],
  rows: Row[],
): { rows: Row[]; fields: string[] } {
  const groups = new Map<string, { key: Row; rows: Row[] }>();
  for (const r of rows) {
    const key: Row = {};
    for (const b of by) {
      if ('binMs' in b) {
        const t = r['@timestamp'];
        if (typeof t === 'number') key[b.alias] = Math.floor(t / b.binMs) * b.binMs;
      } else if (r[b.field] !== undefined) key[b.alias] = r[b.field]!;
    }
    const k = JSON.stringify(by.map((b) => key[b.alias] ?? null));
    let g = groups.get(k);
    if (!g) {
      g = { key, rows: [] };
      groups.set(k, g);
    }
    g.rows.push(r);
  }
  if (groups.size === 0 && by.length === 0) groups.set('[]', { key: {}, rows: [] });
  const out: Row[] = [];
  for (const g of groups.values()) {
    const row: Row = {};
    for (const [k, v] of Object.entries(g.key))
      row[k] = by.some((b) => 'binMs' in b && b.alias === k) ? formatTs(v as number) : v;
    for (const a of aggs) {
      const vals =
        a.field === undefined
          ? g.rows.map(() => 1)
          : g.rows.map((r) => r[a.field!]).filter((v) => v !== undefined);
      const nums = vals.map(Number).filter((n) => !Number.isNaN(n));
      switch (a.fn) {
        case 'count':
          row[a.alias] = vals.length;
          break;
        case 'count_distinct':
          row[a.alias] = new Set(vals.map(String)).size;
          break;
        case 'sum':
          row[a.alias] = nums.reduce((x, y) => x + y, 0);
          break;
        case 'avg':
          if (nums.length) row[a.alias] = nums.reduce((x, y) => x + y, 0) / nums.length;
          break;
        case 'min':
          if (nums.length) row[a.alias] = Math.min(...nums);
          break;
        case 'max':
          if (nums.length) row[a.alias] = Math.max(...nums);
          break;
      }
    }
    out.push(row);
  }
  return { rows: out, fields: [...by.map((b) => b.alias), ...aggs.map((a) => a.alias)] };
}

/** Logs Insights' @timestamp rendering: `2026-11-22 00:00:00.000` (UTC). */
export function formatTs(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
