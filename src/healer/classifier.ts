/**
 * The classifier as the healer uses it: a pure function of the loop's failures and their context
 * (a recent change, how many applications of the account/region loop now). The implementation
 * lives in ./classify/ (docs/design.md §3; `classifyLoop` picks the loop's first failure, since later
 * attempts mask the root cause); this file fixes the port so the healer, the simulator and tests
 * can inject one.
 */
import { classifyLoop } from './classify/index.js';
import type { Classification, ClassifyContext } from './classify/types.js';
import type { FailureText } from './observation.js';

export type { Classification, ClassifyContext } from './classify/types.js';

/** `(failures oldest first, context) => Classification` (undefined without any failure), pure. */
export type FailureClassifier = (
  failures: readonly FailureText[],
  context: ClassifyContext,
) => Classification | undefined;

/** The production classifier: ./classify's classifyLoop on the loop's failures. */
export const defaultClassifier: FailureClassifier = (failures, context) =>
  classifyLoop(
    failures.map((f) => ({ timestamp: f.at, text: f.text })),
    context,
  )?.classification;

/** The effective verdict: below the policy's confidence floor, a verdict is treated as unknown. */
export function effectiveVerdict(
  c: Classification | undefined,
  minConfidence: number,
): 'user' | 'system' | 'unknown' {
  if (!c) return 'unknown';
  if (c.verdict !== 'unknown' && c.confidence < minConfidence) return 'unknown';
  return c.verdict;
}

/**
 * A user-side fault in the application's environment rather than its code: permissions (IAM,
 * SASL) or an endpoint the owner changed (classify subtypes bad-config-auth, bad-config-endpoint).
 * When no UpdateApplication preceded the loop, the change happened outside the application
 * lifecycle and a rollback cannot fix it (page with the diagnosis).
 */
export function isEnvironmentFault(c: Classification): boolean {
  return (
    /^(bad-config-auth|bad-config-endpoint)$/.test(c.subtype) ||
    /AccessDenied|NotAuthorized|UnknownHostException|AuthenticationException|AuthorizationException/i.test(
      c.rootCause.exception,
    )
  );
}
