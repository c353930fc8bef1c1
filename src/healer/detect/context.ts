import type { HealerPolicy } from '../policy.js';

/** What a detector may use besides the observation: the policy, the tick time, and facts the healer state remembers. */
export interface DetectContext {
  policy: HealerPolicy;
  now: number;
  /** First tick at which the current status was observed (kept in the healer state). */
  statusSince?: number;
  /** Restarts in periods that ended before this (a healer action settled then) belong to the episode already handled. */
  countRestartsFrom?: number;
}
