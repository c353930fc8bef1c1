/**
 * Shared types of the Flink failure classifier (docs/design.md §3 "Failure classification").
 *
 * Sign convention for signals: a positive weight pushes toward "user" (job code, packaging,
 * code-driven resource exhaustion, the owner's configuration), a negative weight toward "system"
 * (node/TaskManager loss, Flink runtime, checkpoint storage, external systems failing on their own).
 */

/** The classifier's answer. */
export type Verdict = 'user' | 'system' | 'unknown';

/** One stack frame: `at com.acme.Enrich.map(Enrich.java:42)`. */
export interface Frame {
  /** Fully qualified class name, module prefix (`java.base/`) removed. */
  cls: string;
  method: string;
  file?: string;
  line?: number;
}

/** One throwable of a cause chain. */
export interface Cause {
  /** Fully qualified exception class name (or the simple name when that is all the text has). */
  exception: string;
  /** The message, possibly multi-line; '' when none. */
  message: string;
  frames: Frame[];
  /** N of a trailing `... N more`, 0 when absent. */
  elided: number;
  /** How the cause was introduced in the text. `message` = recovered from a wrapper's message. */
  via: 'top' | 'caused-by' | 'suppressed' | 'message';
}

/** One exception as found in the text: the top throwable and its `Caused by:` chain, outermost first. */
export interface Trace {
  chain: Cause[];
  /** `Suppressed:` throwables, kept apart: they never become the root cause. */
  suppressed: Cause[];
  /** Index of the first line of the trace in the normalised text (for ordering). */
  startLine: number;
}

/** The parsed input: every trace found, plus the plain log lines that were not part of a trace. */
export interface ParsedText {
  traces: Trace[];
  /** Non-trace lines (log messages with prefixes stripped), for message-only signals. */
  lines: string[];
  /** True when the text looks cut off (an ErrorString at its 512-char limit, a frame without `)`, …). */
  truncated: boolean;
}

/** A weighted, explained piece of evidence. */
export interface Signal {
  /** Stable rule id, e.g. `user-frame-at-top-of-root-cause`. */
  rule: string;
  /** > 0 toward user, < 0 toward system; |weight| is roughly a log-odds contribution. */
  weight: number;
  /** What in the input fired the rule (an exception, a frame, a message excerpt, a context fact). */
  evidence: string;
}

/** A signal with the subtype it argues for (internal: the public output drops `subtype`). */
export interface RuleHit extends Signal {
  subtype: string;
  /**
   * `text` (default): evidence about the failure itself — its exceptions, messages and frames.
   * `context`: what happened around it (a deploy, a fleet-wide event). Context moves confidence
   * but never turns strong text evidence around (score.ts). `blame`: an owner change of the very
   * endpoint, credentials or configuration the failure is about — evidence of cause, so it may.
   */
  stage?: 'text' | 'context' | 'blame';
  /** For a `blame` hit: the rule of the text hit it explains (that hit then weighs nothing). */
  explains?: string;
}

/** The root cause reported with a classification. */
export interface RootCause {
  exception: string;
  message: string;
  /** The top frame of the root cause, `cls.method(File.java:N)`, or '' when the text has none. */
  frame: string;
}

/** The classification, exactly the docs/design.md §3 JSON shape. */
export interface Classification {
  verdict: Verdict;
  confidence: number;
  subtype: string;
  rootCause: RootCause;
  signals: Signal[];
}

/** A change made by the application's owner (deploy, configuration, IAM, endpoint). */
export interface RecentChange {
  /** UpdateApplication, config, iam, endpoint, deploy, … (free string; unknown kinds count as a change). */
  kind: string;
  /** When the change happened: epoch ms or an ISO-8601 string. */
  at: number | string;
  /** Whether the change operation itself succeeded; undefined = unknown (treated as succeeded). */
  succeeded?: boolean;
}

/** Optional context. The classifier never reads the clock: `now` is a parameter. */
export interface ClassifyContext {
  recentChange?: RecentChange;
  /** How many applications of the same account/region are failing right now (including this one). */
  appsFailingNow?: number;
  /** How many applications the fleet has in that account/region. */
  fleetSize?: number;
  /** The time of the failure being classified (or the evaluation time): epoch ms or ISO-8601. */
  now?: number | string;
}
