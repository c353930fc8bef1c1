import { styleText } from 'node:util';
import { redactString } from './redact.js';
import type { Severity } from './severity.js';

/**
 * Terminal output helpers: tables and colour on a TTY, plain text when piped.
 * Everything written goes through redaction.
 */
export interface OutputTarget {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

/** Whether colour should be used for this stream (honours NO_COLOR and FORCE_COLOR). */
export function colourEnabled(stream: OutputTarget = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

type Style = Parameters<typeof styleText>[0];

/** Styles text when colour is on; returns it unchanged otherwise. */
export function paint(style: Style, text: string, stream: OutputTarget = process.stdout): string {
  return colourEnabled(stream) ? styleText(style, text) : text;
}

const SEVERITY_STYLE: Record<Severity, Style> = {
  OK: 'green',
  WARNING: 'yellow',
  UNKNOWN: 'magenta',
  CRITICAL: ['red', 'bold'],
};

/** A severity word, coloured on a TTY. */
export function severityLabel(severity: Severity, stream: OutputTarget = process.stdout): string {
  return paint(SEVERITY_STYLE[severity], severity, stream);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible width of a string (ANSI colour codes excluded). */
export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

export interface Column<Row> {
  header: string;
  get: (row: Row) => string | number | undefined | null;
  align?: 'left' | 'right';
}

/**
 * Renders rows as an aligned text table. On a TTY the header is bold; piped output stays plain
 * and grep-friendly (one row per line, columns separated by two spaces).
 */
export function renderTable<Row>(
  rows: Row[],
  columns: Column<Row>[],
  stream: OutputTarget = process.stdout,
): string {
  const cells = rows.map((row) => columns.map((c) => formatCell(c.get(row))));
  const widths = columns.map((c, i) =>
    Math.max(visibleWidth(c.header), ...cells.map((r) => visibleWidth(r[i] ?? ''))),
  );
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(text)));
    return columns[i]?.align === 'right' ? gap + text : text + gap;
  };
  const header = columns
    .map((c, i) => pad(c.header, i))
    .join('  ')
    .trimEnd();
  const lines = [paint('bold', header, stream)];
  for (const r of cells)
    lines.push(
      r
        .map((text, i) => pad(text, i))
        .join('  ')
        .trimEnd(),
    );
  return `${lines.join('\n')}\n`;
}

function formatCell(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '-';
  return String(value);
}

/** Writes a line to stdout, redacted. */
export function out(text: string): void {
  process.stdout.write(redactString(text.endsWith('\n') ? text : `${text}\n`));
}

/** Writes a line to stderr, redacted. */
export function err(text: string): void {
  process.stderr.write(redactString(text.endsWith('\n') ? text : `${text}\n`));
}

/** Human-readable bytes (binary units, as brokers and MSK report storage). */
export function formatBytes(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${bytes < 0 ? '-' : ''}${v >= 100 || u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** Human-readable duration from milliseconds, e.g. `2h 5m`, `45s`. */
export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  return h % 24 ? `${Math.floor(h / 24)}d ${h % 24}h` : `${Math.floor(h / 24)}d`;
}

/** Percentage with one decimal. */
export function formatPercent(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  return `${value.toFixed(1)}%`;
}
