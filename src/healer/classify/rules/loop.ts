/**
 * Loop side effects: exceptions that only a restarting job produces (a source that cannot
 * partially recover, splits handed back during failover). They say nothing about why the loop
 * started, so they carry no weight; they are reported so the operator looks for attempt #0
 * (first-failure.ts does that with an exception history).
 */

import type { RuleHit } from '../types.js';
import { type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

export const LOOP: readonly PatternFamily[] = [
  {
    rule: 'restart-loop-side-effect',
    subtype: 'loop-side-effect',
    weight: 0,
    message:
      /Partial recovery is not supported|addSplitsBack|Recovering subtask .{0,80} Triggering job failover/i,
  },
];

/** Loop side-effect rules (weight 0: explanation only). */
export function loopRules(ev: Evidence): RuleHit[] {
  return matchFamilies(LOOP, ev);
}
