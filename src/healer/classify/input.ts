/**
 * One entry point for whatever the operator hands over: a single failure text (stack trace, MSF
 * ErrorString, CloudWatch log lines) or Flink's /jobs/:id/exceptions JSON, whose several entries
 * are a restart loop — then the loop's first failure is the one classified. Pure.
 */
import { classifyFailure, explainFailure } from './classify.js';
import type { Explanation } from './explain.js';
import { classifyLoop, type FailureEntry } from './first-failure.js';
import type { Classification, ClassifyContext } from './types.js';

/** The classification plus, for an exception history, which entry was classified. */
export interface InputClassification {
  classification: Classification;
  firstFailure?: { index: number; timestamp: number; loopSize: number; entries: number };
  /** With `explain`: how the classification was reached. */
  explanation?: Explanation;
}

/** Extracts exceptionHistory-like entries (objects with a stacktrace and a timestamp), if the text is such JSON. */
export function historyEntries(text: string): FailureEntry[] | undefined {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(t);
  } catch {
    return undefined;
  }
  const obj = doc as { exceptionHistory?: { entries?: unknown } } | unknown[];
  const list = Array.isArray(obj)
    ? obj
    : Array.isArray(obj?.exceptionHistory?.entries)
      ? (obj.exceptionHistory?.entries as unknown[])
      : undefined;
  if (!list || list.length === 0) return undefined;
  const entries: FailureEntry[] = [];
  for (const e of list) {
    const r = e as Record<string, unknown>;
    const ts = r.timestamp;
    const st = r.stacktrace ?? r.text ?? r.message;
    if ((typeof ts !== 'number' && typeof ts !== 'string') || typeof st !== 'string') return undefined;
    entries.push({
      timestamp: ts,
      stacktrace: st,
      ...(typeof r.exceptionName === 'string' ? { exceptionName: r.exceptionName } : {}),
    });
  }
  return entries;
}

/** Classifies a text; an exception history is treated as a loop (first failure classified). */
export function classifyInput(
  text: string,
  context: ClassifyContext = {},
  opts: { explain?: boolean } = {},
): InputClassification {
  const entries = historyEntries(text);
  if (entries && entries.length > 1) {
    const loop = classifyLoop(entries, context);
    if (loop) {
      const first = entries[loop.index];
      const explanation =
        opts.explain && first
          ? explainFailure(first.stacktrace ?? first.text ?? '', {
              ...context,
              ...(Number.isNaN(loop.timestamp) ? {} : { now: loop.timestamp }),
            }).explanation
          : undefined;
      return {
        classification: loop.classification,
        ...(explanation ? { explanation } : {}),
        firstFailure: {
          index: loop.index,
          timestamp: loop.timestamp,
          loopSize: loop.loopSize,
          entries: entries.length,
        },
      };
    }
  }
  if (opts.explain) return explainFailure(text, context);
  return { classification: classifyFailure(text, context) };
}
