/**
 * The Flink failure classifier: user code / user configuration vs system (docs/design.md §3).
 * `classifyFailure(text, context?)` for one failure text; `classifyLoop(entries, context?)` for a
 * restart loop (classifies the loop's first failure). Pure: no I/O, no clock (`now` in context).
 */
export { classifyFailure, type ExplainedClassification, explainFailure } from './classify.js';
export type { ExplainedCause, Explanation, OwnedFrame } from './explain.js';
export {
  classifyLoop,
  DEFAULT_HEALTHY_GAP_MS,
  type FailureEntry,
  type LoopClassification,
  type LoopOptions,
} from './first-failure.js';
export { type FrameOrigin, frameOrigin } from './frames.js';
export { classifyInput, historyEntries, type InputClassification } from './input.js';
export { parseText } from './parse.js';
export type { Classification, ClassifyContext, RecentChange, RootCause, Signal, Verdict } from './types.js';
