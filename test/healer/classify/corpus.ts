/**
 * Loads the labelled corpus of real, publicly posted Flink failures: the first collection
 * (test/fixtures/flink-exceptions/corpus.yaml) and the batches gathered later (batches/*.yaml), each
 * case's text in texts/<id>.txt.
 *
 * The split is the honest part (docs/classifier.md "Corpus and accuracy"):
 * - every case of corpus.yaml was looked at while the rules were written: it is `seen`, whatever
 *   its hash says;
 * - a batch case is `unseen` when FNV-1a(normalised source URL) mod 3 == 0, else `train`. The rule
 *   was fixed before any batch case was read, a URL's cases always land on the same side, and
 *   `unseen.lock` pins the frozen membership so that no case can leave `unseen` after its miss was
 *   looked at (the corpus test checks the lock).
 * Rules and weights are tuned on `seen` and `train` only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ClassifyContext, Verdict } from '../../../src/healer/classify/index.js';

export const CORPUS_DIR = fileURLToPath(new URL('../../fixtures/flink-exceptions/', import.meta.url));

export type Split = 'seen' | 'train' | 'unseen';
export type Label = 'user' | 'system' | 'ambiguous';

/** One labelled case. */
export interface CorpusCase {
  id: string;
  source: string;
  /** The ground truth; `ambiguous` when the source does not let a careful reader decide. */
  label: Label;
  /** The failure family (docs/classifier.md "Families"). */
  family: string;
  why: string;
  /** stacktrace | log | errorinfo | cloudwatch-json | exceptions-json */
  format: string;
  flink: string;
  api: string;
  /** Expected verdict when it differs from the label: only 'unknown', and only with a reason. */
  expect?: Verdict;
  expectWhy?: string;
  /** A documented limitation (first collection only): it must never be confidently wrong. */
  knownMiss?: string;
  /** corpus (the first collection) or the batch file's name. */
  batch: string;
  context?: {
    recentChange?: { kind: string; minutesBefore: number; succeeded?: boolean };
    appsFailingNow?: number;
    fleetSize?: number;
  };
  text: string;
  split: Split;
}

/** FNV-1a 32-bit. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The URL as hashed: no fragment, no trailing slash, lower-case scheme and host. */
export function normaliseUrl(url: string): string {
  const noFragment = url.trim().split('#')[0] as string;
  const noSlash = noFragment.replace(/\/+$/, '');
  return noSlash.replace(/^[a-z]+:\/\/[^/]+/i, (origin) => origin.toLowerCase());
}

/** The frozen split rule for batch cases. */
export function splitOfUrl(url: string): 'train' | 'unseen' {
  return fnv1a(normaliseUrl(url)) % 3 === 0 ? 'unseen' : 'train';
}

/** A fixed "now" for corpus contexts (the classifier never reads the clock). */
export const CORPUS_NOW = Date.parse('2026-01-01T00:00:00Z');

/** Builds the classifier context of a case. */
export function contextOf(c: CorpusCase): ClassifyContext {
  const ctx: ClassifyContext = { now: CORPUS_NOW };
  if (c.context?.recentChange) {
    const rc = c.context.recentChange;
    ctx.recentChange = {
      kind: rc.kind,
      at: CORPUS_NOW - rc.minutesBefore * 60_000,
      ...(rc.succeeded === undefined ? {} : { succeeded: rc.succeeded }),
    };
  }
  if (c.context?.appsFailingNow !== undefined) ctx.appsFailingNow = c.context.appsFailingNow;
  if (c.context?.fleetSize !== undefined) ctx.fleetSize = c.context.fleetSize;
  return ctx;
}

/** The first collection recorded subtypes; its family is the subtype's family. */
const FAMILY_OF_SUBTYPE: Record<string, string> = {
  'bad-config-auth': 'bad-config-security',
  'bad-config-kafka': 'bad-config',
  'external-system-unavailable': 'external-unavailable',
  'checkpoint-failure': 'checkpoint-storage',
  'flink-ha': 'flink-rpc-timeout',
  'flink-rpc': 'flink-rpc-timeout',
  network: 'shuffle-loss',
  'flink-runtime': 'flink-runtime-bug',
  'index-out-of-bounds-in-user-function': 'user-code-bug',
  'npe-in-user-function': 'user-code-bug',
  'user-code-error': 'user-code-bug',
  'null-in-user-data': 'bad-input-data',
  'jvm-crash': 'taskmanager-lost',
};

const FORMATS = new Set(['stacktrace', 'log', 'errorinfo', 'cloudwatch-json', 'exceptions-json']);
const LEGACY_FORMAT: Record<string, string> = { errorstring: 'errorinfo', cloudwatch: 'cloudwatch-json' };

function readList(file: string): Record<string, unknown>[] {
  let entries: unknown;
  try {
    entries = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(entries)) throw new Error(`${file}: expected a list of cases`);
  return entries as Record<string, unknown>[];
}

function str(raw: Record<string, unknown>, k: string, where: string, fallback?: string): string {
  const v = raw[k] ?? fallback;
  if (typeof v !== 'string' || v === '') throw new Error(`${where}.${k}: expected a non-empty string`);
  return v;
}

function toCase(raw: Record<string, unknown>, where: string, dir: string, batch: string): CorpusCase {
  const id = str(raw, 'id', where);
  const label = str(raw, 'label', where);
  if (label !== 'user' && label !== 'system' && label !== 'ambiguous')
    throw new Error(`${where}.label: expected user|system|ambiguous, got ${label}`);
  const subtype = typeof raw.subtype === 'string' ? raw.subtype : undefined;
  const family = str(raw, 'family', where, subtype ? (FAMILY_OF_SUBTYPE[subtype] ?? subtype) : undefined);
  const rawFormat = str(raw, 'format', where, 'stacktrace');
  const format = LEGACY_FORMAT[rawFormat] ?? rawFormat;
  if (!FORMATS.has(format)) throw new Error(`${where}.format: expected one of ${[...FORMATS].join('|')}`);
  if (raw.expect !== undefined && (raw.expect !== 'unknown' || !raw.expectWhy))
    throw new Error(`${where}.expect: only 'unknown', with expectWhy`);
  const source = str(raw, 'source', where);
  const text = readFileSync(join(dir, 'texts', `${id}.txt`), 'utf8');
  return {
    ...(raw as Partial<CorpusCase>),
    id,
    source,
    label,
    family,
    why: str(raw, 'why', where),
    format,
    flink: String(raw.flink ?? 'unknown'),
    api: String(raw.api ?? 'unknown'),
    batch,
    text,
    split: batch === 'corpus' ? 'seen' : splitOfUrl(source),
  } as CorpusCase;
}

/** Loads every case, validating the fields the tests and the bench rely on. */
export function loadCorpus(dir = CORPUS_DIR, onBadFile?: (e: Error) => void): CorpusCase[] {
  const files: { file: string; batch: string }[] = [{ file: join(dir, 'corpus.yaml'), batch: 'corpus' }];
  const batchDir = join(dir, 'batches');
  for (const f of readdirSync(batchDir).sort())
    if (f.endsWith('.yaml')) files.push({ file: join(batchDir, f), batch: f.replace(/\.yaml$/, '') });
  const seen = new Set<string>();
  const out: CorpusCase[] = [];
  for (const { file, batch } of files) {
    try {
      const cases = readList(file).map((raw, i) => {
        const c = toCase(raw, `${file}: [${i}]`, dir, batch);
        if (seen.has(c.id)) throw new Error(`${file}: [${i}].id: duplicate ${c.id}`);
        return c;
      });
      for (const c of cases) seen.add(c.id);
      out.push(...cases);
    } catch (e) {
      // Development tools may skip a batch that is being written; the tests never do.
      if (!onBadFile) throw e;
      onBadFile(e as Error);
    }
  }
  return out;
}

/**
 * Which freeze each unseen case belongs to: 1 for the lines before any `# freeze N …` header, N
 * after it. Each freeze is measured apart in the bench: the first was frozen before the classifier
 * was rebuilt, later ones before any rule was tuned on their batches.
 */
export function unseenFreezes(dir = CORPUS_DIR): Map<string, number> {
  const out = new Map<string, number>();
  let freeze = 1;
  for (const l of readFileSync(join(dir, 'unseen.lock'), 'utf8').split('\n')) {
    const header = /^# freeze (\d+)/.exec(l);
    if (header) freeze = Number(header[1]);
    const m = /^([a-z0-9-]+) \d+$/.exec(l.trim());
    if (m) out.set(m[1] as string, freeze);
  }
  return out;
}

/** The frozen membership of `unseen`: `<id> <fnv1a of the normalised URL>` per line. */
export function readUnseenLock(dir = CORPUS_DIR): Map<string, number> {
  const lines = readFileSync(join(dir, 'unseen.lock'), 'utf8').split('\n');
  const out = new Map<string, number>();
  for (const l of lines) {
    const m = /^([a-z0-9-]+) (\d+)$/.exec(l.trim());
    if (m) out.set(m[1] as string, Number(m[2]));
  }
  return out;
}
