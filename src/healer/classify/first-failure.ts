/**
 * The first failure of a restart loop. After the first failure every restart fails again, often
 * with a different, masking exception (a cancelled task, a state restore that cannot find what the
 * crashed attempt left, a TaskManager that died from the first error). So: order the failures by
 * time, find the last healthy period (a gap longer than `healthyGapMs` without failures), and
 * classify the earliest failure after it — the loop's attempt #0.
 */
import { classifyFailure } from './classify.js';
import { toMs } from './rules/context.js';
import type { Classification, ClassifyContext } from './types.js';

/** One failure: an exceptionHistory entry ({exceptionName, stacktrace, timestamp}) or a log record. */
export interface FailureEntry {
  timestamp: number | string;
  stacktrace?: string;
  text?: string;
  exceptionName?: string;
  taskName?: string;
}

/** Options of loop analysis. */
export interface LoopOptions {
  /** A gap between failures longer than this is a healthy period that separates loops (default 10 min). */
  healthyGapMs?: number;
}

/** The loop's first failure and its classification. */
export interface LoopClassification {
  /** Index (in the given array) of the entry classified. */
  index: number;
  /** Its time, epoch ms (NaN when the entry had no parsable timestamp). */
  timestamp: number;
  /** How many failures belong to the current loop. */
  loopSize: number;
  classification: Classification;
}

export const DEFAULT_HEALTHY_GAP_MS = 10 * 60_000;

function entryText(e: FailureEntry): string {
  return e.stacktrace ?? e.text ?? e.exceptionName ?? '';
}

/**
 * Picks and classifies the first failure of the latest loop. `context.now` defaults to that
 * failure's time, so "a change shortly before the failure" is measured against the first failure.
 * Returns undefined for an empty list.
 */
export function classifyLoop(
  entries: readonly FailureEntry[],
  context: ClassifyContext = {},
  opts: LoopOptions = {},
): LoopClassification | undefined {
  if (entries.length === 0) return undefined;
  const gap = opts.healthyGapMs ?? DEFAULT_HEALTHY_GAP_MS;
  const timed = entries.map((e, index) => ({ e, index, t: toMs(e.timestamp) ?? Number.NaN }));
  const known = timed.filter((x) => !Number.isNaN(x.t)).sort((a, b) => a.t - b.t || a.index - b.index);
  let loop = known;
  for (let i = known.length - 1; i > 0; i--) {
    if ((known[i] as { t: number }).t - (known[i - 1] as { t: number }).t > gap) {
      loop = known.slice(i);
      break;
    }
  }
  // Without timestamps, entries are taken as newest first (Flink's exceptionHistory order).
  const first = loop[0] ?? timed[timed.length - 1];
  if (!first) return undefined;
  const loopSize = known.length > 0 ? loop.length : timed.length;
  const ctx: ClassifyContext = {
    ...context,
    now: context.now ?? (Number.isNaN(first.t) ? undefined : first.t),
  };
  return {
    index: first.index,
    timestamp: first.t,
    loopSize,
    classification: classifyFailure(entryText(first.e), ctx),
  };
}
