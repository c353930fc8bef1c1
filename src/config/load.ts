import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { type Document, isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { StreamctlError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import { readInputFile } from '../core/input.js';
import { redactString, registerSecret } from '../core/redact.js';
import { type Config, ConfigSchema } from './schema.js';
import type { SecretRef } from './sections/common.js';

/** A validated configuration and where it came from (`source` is undefined for built-in defaults). */
export interface LoadedConfig {
  config: Config;
  source: string | undefined;
}

/** One validation problem, located in the file. */
export interface ConfigIssue {
  file: string;
  line?: number;
  column?: number;
  key: string;
  message: string;
}

/** Raised when streamctl.yaml is unreadable or invalid; carries every issue (exit 78). */
export class ConfigValidationError extends StreamctlError {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super('CONFIG', listSome(issues.map(formatIssue), 50, '\n'), {
      exitCode: Sysexit.CONFIG,
      hint: 'Fix the keys above (`streamctl config init` writes a commented example).',
    });
    this.issues = issues;
  }
}

/** The first items and how many more: a junk file must not print a 100,000-line message. */
function listSome(items: string[], max = 10, sep = ', '): string {
  if (items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)}${sep}… and ${items.length - max} more`;
}

/** `file:line:col: key: message` — the format editors and CI annotate. */
export function formatIssue(i: ConfigIssue): string {
  const where = i.line === undefined ? i.file : `${i.file}:${i.line}:${i.column ?? 1}`;
  return `${where}: ${i.key || '(top level)'}: ${i.message}`;
}

/** The search path: --config, $STREAMCTL_CONFIG, ./streamctl.yaml, ~/.config/streamctl/streamctl.yaml. */
export function configSearchPath(explicit?: string): string[] {
  if (explicit) return [resolve(explicit)];
  if (process.env.STREAMCTL_CONFIG) return [resolve(process.env.STREAMCTL_CONFIG)];
  return [
    resolve('streamctl.yaml'),
    resolve('streamctl.yml'),
    resolve(homedir(), '.config/streamctl/streamctl.yaml'),
  ];
}

/**
 * Finds, parses and validates the configuration. With `optional`, a missing file yields the
 * defaults (an empty fleet); an explicit path that does not exist is always an error.
 */
export async function loadConfig(opts: { path?: string; optional?: boolean } = {}): Promise<LoadedConfig> {
  const candidates = configSearchPath(opts.path);
  const explicit = Boolean(opts.path || process.env.STREAMCTL_CONFIG);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    if (opts.optional && !explicit) return { config: ConfigSchema.parse({}), source: undefined };
    throw new StreamctlError('CONFIG', `no configuration file found (looked in: ${candidates.join(', ')})`, {
      exitCode: Sysexit.CONFIG,
      hint: 'Create one with `streamctl config init`, or pass --config FILE.',
    });
  }
  return { config: parseConfigText(readInputFile(found, 'config'), found), source: found };
}

/** Parses and validates config text; `file` is used in error messages. */
export function parseConfigText(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigValidationError(
      doc.errors.map((e) => {
        // With prettyErrors off (so messages stay one line) `linePos` is unset: locate by offset.
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return {
          file,
          line: pos?.line,
          column: pos?.col,
          key: '',
          message: `YAML syntax: ${e.message.split('\n')[0]}`,
        };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS() ?? {};
  } catch (e) {
    // yaml refuses alias bombs ("billion laughs") while expanding: bad input, not a bug.
    throw new ConfigValidationError([
      { file, key: '', message: `YAML: ${(e as Error).message} (too many alias expansions)` },
    ]);
  }
  const result = ConfigSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigValidationError(result.error.issues.map((issue) => toIssue(issue, doc, lineCounter, file)));
}

function toIssue(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, file: string): ConfigIssue {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as Array<string | number>;
  const key = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  const { line, column } = locate(doc, lc, path);
  let message = describeIssue(issue);
  // Show the offending value for format/enum mistakes, except under secret-looking keys.
  const input = (issue as { input?: unknown }).input;
  if (
    (issue.code === 'invalid_format' || issue.code === 'invalid_value') &&
    !/pass|secret|token|webhook|key/i.test(key)
  ) {
    // Nor a value that carries a credential (user:password@host, ?authToken=…): say it is hidden.
    if (typeof input === 'string' && (input.includes('@') || redactString(input) !== input))
      message += ' (got a value that looks like it holds a credential; not shown)';
    else if (typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean')
      message += ` (got ${JSON.stringify(input)})`;
  }
  return { file, line, column, key, message };
}

/** The closest node in the document for a path (the key itself if present, else its parent). */
function locate(
  doc: Document,
  lc: LineCounter,
  path: Array<string | number>,
): { line?: number; column?: number } {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const parent = n === 0 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
    let offset: number | undefined;
    if (n > 0 && isMap(parent)) {
      const pair = parent.items.find((it) => (it.key as { value?: unknown })?.value === sub[sub.length - 1]);
      offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
    } else if (n > 0 && isSeq(parent)) {
      offset = (parent.items[sub[sub.length - 1] as number] as { range?: [number] } | undefined)?.range?.[0];
    } else if (n === 0) {
      offset = (doc.contents as { range?: [number] } | null)?.range?.[0];
    }
    if (offset !== undefined) {
      const pos = lc.linePos(offset);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}${'input' in issue && issue.input === undefined ? ' (missing)' : ''}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${listSome(issue.keys.map((k) => `"${k}"`))}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `expected ${issue.format}` : `expected ${issue.message}`;
    case 'too_small':
    case 'too_big':
      return `expected ${issue.message.replace(/^Too (small|big): expected /, '')}`;
    case 'invalid_union':
      return issue.message.startsWith('Invalid input')
        ? 'does not match any allowed form (see `streamctl config init`)'
        : issue.message;
    default:
      return issue.message;
  }
}

/**
 * Reads a secret from its reference and registers it for redaction. Missing secrets are
 * configuration errors naming the variable or file, never the value.
 */
export function resolveSecret(ref: SecretRef, what: string): string {
  let value: string | undefined;
  if ('env' in ref) {
    value = process.env[ref.env];
    if (value === undefined || value === '') {
      throw new StreamctlError('CONFIG', `${what}: environment variable ${ref.env} is not set`, {
        exitCode: Sysexit.CONFIG,
        hint: `Export ${ref.env} before running streamctl.`,
      });
    }
  } else {
    try {
      value = readInputFile(ref.file, 'secret').replace(/\r?\n$/, '');
    } catch (e) {
      // The reader's message names the file and why, never the content. No colon right after the
      // key: redaction would read `password: /path` as a credential and hide the file name.
      throw new StreamctlError('CONFIG', `${what} (a secret file): ${(e as Error).message}`, {
        exitCode: Sysexit.CONFIG,
        ...((e as StreamctlError).hint ? { hint: (e as StreamctlError).hint } : {}),
      });
    }
    if (value === '')
      throw new StreamctlError('CONFIG', `${what} (a secret file): ${ref.file} is empty`, {
        exitCode: Sysexit.CONFIG,
        hint: 'Write the secret into the file (a trailing newline is ignored).',
      });
  }
  registerSecret(value);
  return value;
}
