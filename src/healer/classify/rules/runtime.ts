/**
 * Flink runtime bugs (system), as a fallback: the root cause is a generic or internal exception
 * thrown from Flink's own runtime, with no job frame anywhere on it and no other rule explaining
 * it. Weak on purpose: an unexplained failure inside Flink is more often a runtime issue than a
 * job bug, but not by much.
 */
import { firstNonJdkFrame, formatFrame, frameOrigin } from '../frames.js';
import type { RuleHit } from '../types.js';
import type { Evidence } from './evidence.js';

const INTERNAL = /(?:IllegalState|NullPointer|ConcurrentModification|IndexOutOfBounds|ArrayIndexOutOfBounds|UnsupportedOperation|ClassCast|IllegalArgument|NoSuchElement)Exception$|AssertionError$|FlinkRuntimeException$|FlinkException$|RocksDBException$|CheckpointException$|IOException$|RuntimeException$|Exception$/;
const BUG_WORDS = /This (?:should|must) not happen|should never happen|Unexpected state|bug in Flink|inconsistent state|Illegal state/i;

/**
 * Fires only when no family rule fired (`others` is empty): it explains what nothing else did.
 */
export function runtimeFallback(ev: Evidence, others: readonly RuleHit[]): RuleHit[] {
  const root = ev.root;
  if (!root || others.length > 0) return [];
  const top = firstNonJdkFrame(root.frames);
  if (!top) return [];
  const origins = root.frames.map((f) => frameOrigin(f.cls));
  if (origins.some((o) => o === 'user' || o === 'generated' || o === 'library')) return [];
  const topOrigin = frameOrigin(top.cls);
  if (topOrigin === 'flink' && INTERNAL.test(root.exception)) {
    return [
      {
        rule: 'exception-inside-flink-runtime',
        subtype: 'flink-runtime',
        weight: BUG_WORDS.test(root.message) ? -0.6 : -0.45,
        evidence: `${root.exception} thrown at ${formatFrame(top)} with no job frame on the stack`,
      },
    ];
  }
  if (topOrigin === 'connector') {
    return [{ rule: 'exception-inside-connector', subtype: 'connector-error', weight: -0.2, evidence: `${root.exception} thrown inside connector ${formatFrame(top)} (could be its configuration or the system behind it)` }];
  }
  return [];
}
