/**
 * State incompatible with the new code (user): a restore from a snapshot/savepoint taken by an
 * earlier version fails because the operator graph, a serializer or a state type changed.
 */

import { frameOrigin } from '../frames.js';
import type { RuleHit } from '../types.js';
import { aboutFrameworkType, type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

export const STATE: readonly PatternFamily[] = [
  {
    rule: 'state-incompatible-with-new-code',
    subtype: 'state-incompatible',
    weight: 0.9,
    exception: /(?:^|\.)(?:StateMigrationException|InvalidClassException)$/,
    message:
      /serializer.{0,80}(?:incompatible|not compatible|cannot be incompatible|must not be incompatible)|incompatible.{0,40}serializer|Cannot map (?:checkpoint|savepoint) state for operator|not (?:available|found) in the new program|allowNonRestoredState|local class incompatible|Failed to rollback to (?:checkpoint|savepoint)|StateMigrationException|State migration is not supported|was not registered with|The new (?:key|namespace|state) serializer|Duplicate (?:operator|uid)|Cannot restore (?:keyed )?state.{0,80}(?:different|changed)|Incompatible (?:types|schema)|max(?:imum)? ?parallelism.{0,60}(?:changed|not match|does not match)|The maximum parallelism \(\d+\) that was used/i,
  },
  {
    rule: 'state-restore-failed',
    subtype: 'state-incompatible',
    weight: 0.35,
    message:
      /Error while getting state|Could not restore (?:keyed|operator) state backend|Failed to restore(?! connection)|Exception while creating StreamOperatorStateContext|Caught unexpected exception while restoring|Could not restore|restore.{0,40}(?:savepoint|checkpoint).{0,40}failed/i,
    // A restore that failed because the storage failed is not the code's fault.
    unless:
      /SlowDown|Status Code: 5\d\d|Connection (?:reset|refused)|Read timed out|Service Unavailable|No space left on device|FileNotFoundException|NoSuchKey/i,
  },
];

/**
 * A restore is under way. A class whose serialized form differs outside a restore is two versions
 * of one jar meeting (the client's and the cluster's): packaging, not a state change.
 */
const RESTORING = /restor|savepoint|checkpoint|state ?backend|StateContext|snapshot/i;

/** State rules. */
export function stateRules(ev: Evidence): RuleHit[] {
  return matchFamilies(STATE, ev).map((h) =>
    h.rule === 'state-incompatible-with-new-code' && RESTORING.test(ev.allText)
      ? aboutFrameworkType(h, /([\w$.]+); local class incompatible/.exec(ev.allText)?.[1], frameOrigin, {
          rule: 'framework-type-changed-serialized-form',
          subtype: 'connector-bug',
          weight: -0.55,
          what: 'its serialized form changed between releases, so state written by the old one does not read',
        })
      : h,
  );
}
