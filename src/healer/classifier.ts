/**
 * The classifier as the healer uses it: a pure function of the loop's first failure text and its
 * context (a recent change, how many applications of the account/region loop now).
 * The implementation lives in ./classify/ (DESIGN.md §3); this file only fixes the port so the
 * healer, the simulator and tests can inject one.
 */
import type { Classification, ClassifyContext } from './classify/types.js';

export type { Classification, ClassifyContext } from './classify/types.js';

/** `(text, context) => Classification`, pure. */
export type FailureClassifier = (text: string, context: ClassifyContext) => Classification;

/** The effective verdict: below the policy's confidence floor, a verdict is treated as unknown. */
export function effectiveVerdict(c: Classification | undefined, minConfidence: number): 'user' | 'system' | 'unknown' {
  if (!c) return 'unknown';
  if (c.verdict !== 'unknown' && c.confidence < minConfidence) return 'unknown';
  return c.verdict;
}

/**
 * A user-side fault in the application's environment rather than its code: permissions (IAM) or an
 * endpoint the owner changed. When no UpdateApplication preceded the loop, the change happened
 * outside the application lifecycle and a rollback cannot fix it (page with the diagnosis).
 */
export function isEnvironmentFault(c: Classification): boolean {
  const text = `${c.subtype} ${c.rootCause.exception}`;
  return /iam|permission|access-?denied|not-?authori[sz]ed|credential|endpoint|unknown-?host|dns|unresolved-?address|UnknownHostException|AccessDenied/i.test(text);
}
