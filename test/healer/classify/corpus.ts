/**
 * Loads the labelled corpus of real, publicly posted Flink failures
 * (test/fixtures/flink-exceptions/corpus.yaml + texts/<id>.txt) and splits it into a training and a held-out
 * validation set by a fixed rule: FNV-1a hash of the case id, modulo 3 == 0 → validation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ClassifyContext, Verdict } from '../../../src/healer/classify/index.js';

export const CORPUS_DIR = fileURLToPath(new URL('../../fixtures/flink-exceptions/', import.meta.url));

/** One labelled case. */
export interface CorpusCase {
  id: string;
  source: string;
  /** The ground truth. */
  label: 'user' | 'system';
  subtype: string;
  why: string;
  /** stacktrace | errorstring | log | cloudwatch */
  format: string;
  /** Expected verdict when it differs from the label: only 'unknown', and only with a reason. */
  expect?: Verdict;
  expectWhy?: string;
  /** A documented limitation: the classifier currently misses this case (it must not be confidently wrong). */
  knownMiss?: string;
  /** 'fresh': collected after the rules were tuned (an extra unseen check). */
  batch?: string;
  context?: {
    recentChange?: { kind: string; minutesBefore: number; succeeded?: boolean };
    appsFailingNow?: number;
    fleetSize?: number;
  };
  text: string;
  split: 'train' | 'validation';
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

/** The fixed split rule. */
export function splitOf(id: string): 'train' | 'validation' {
  return fnv1a(id) % 3 === 0 ? 'validation' : 'train';
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

/** Loads every case of corpus.yaml with its text, validating the fields the tests rely on. */
export function loadCorpus(dir = CORPUS_DIR): CorpusCase[] {
  const index = join(dir, 'corpus.yaml');
  let entries: unknown;
  try {
    entries = parse(readFileSync(index, 'utf8'));
  } catch (e) {
    throw new Error(`${index}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(entries)) throw new Error(`${index}: expected a list of cases`);
  const seen = new Set<string>();
  return entries.map((raw: Partial<CorpusCase>, i: number) => {
    const where = `${index}: [${i}]`;
    for (const k of ['id', 'source', 'label', 'subtype', 'why'] as const) {
      if (typeof raw[k] !== 'string' || raw[k] === '')
        throw new Error(`${where}.${k}: expected a non-empty string`);
    }
    const id = raw.id as string;
    if (seen.has(id)) throw new Error(`${where}.id: duplicate ${id}`);
    seen.add(id);
    if (raw.label !== 'user' && raw.label !== 'system')
      throw new Error(`${where}.label: expected user|system`);
    if (raw.expect !== undefined && (raw.expect !== 'unknown' || !raw.expectWhy))
      throw new Error(`${where}.expect: only 'unknown', with expectWhy`);
    const text = readFileSync(join(dir, 'texts', `${id}.txt`), 'utf8');
    return { ...(raw as CorpusCase), format: raw.format ?? 'stacktrace', text, split: splitOf(id) };
  });
}
