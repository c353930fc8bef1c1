/**
 * Flink runtime bugs (system), as a fallback: the root cause is a generic or internal exception
 * thrown from Flink's own runtime, with no job frame anywhere on it and no other rule explaining
 * it. Weak on purpose: an unexplained failure inside Flink is more often a runtime issue than a
 * job bug, but not by much.
 */
import { firstNonJdkFrame, formatFrame, frameOrigin } from '../frames.js';
import type { RuleHit } from '../types.js';
import type { Evidence } from './evidence.js';

const INTERNAL =
  /(?:IllegalState|NullPointer|ConcurrentModification|IndexOutOfBounds|ArrayIndexOutOfBounds|UnsupportedOperation|ClassCast|IllegalArgument|NoSuchElement)Exception$|AssertionError$|FlinkRuntimeException$|FlinkException$|RocksDBException$|CheckpointException$|IOException$|RuntimeException$|Exception$/;
/** Libraries embedded in the Flink runtime itself. */
const FLINK_INTERNAL_LIBS =
  /^(?:com\.esotericsoftware\.|org\.rocksdb\.|akka\.|org\.apache\.pekko\.|io\.netty\.|scala\.)/;
const BUG_WORDS =
  /This (?:should|must) not happen|should never happen|Unexpected state|bug in Flink|inconsistent state|Illegal state/i;

/**
 * Fires only when no family rule fired (`others` is empty): it explains what nothing else did.
 */
export function runtimeFallback(ev: Evidence, others: readonly RuleHit[]): RuleHit[] {
  const root = ev.root;
  if (!root || others.length > 0) return [];
  const top = firstNonJdkFrame(root.frames);
  if (!top) return [];
  // No job code anywhere in the trace; libraries count as Flink's own only when Flink embeds them
  // (Kryo, RocksDB, Netty, Akka/Pekko, Scala) and a Flink frame is on the stack.
  const allFrames = ev.chain.flatMap((c) => c.frames);
  if (allFrames.some((f) => ['user', 'generated'].includes(frameOrigin(f.cls)))) return [];
  const foreign = root.frames.filter(
    (f) => frameOrigin(f.cls) === 'library' && !FLINK_INTERNAL_LIBS.test(f.cls),
  );
  if (foreign.length > 0) return [];
  const hasFlink = allFrames.some((f) => frameOrigin(f.cls) === 'flink');
  const topOrigin = frameOrigin(top.cls);
  if (
    (topOrigin === 'flink' || (FLINK_INTERNAL_LIBS.test(top.cls) && hasFlink)) &&
    INTERNAL.test(root.exception)
  ) {
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
    return [
      {
        rule: 'exception-inside-connector',
        subtype: 'connector-error',
        weight: -0.2,
        evidence: `${root.exception} thrown inside connector ${formatFrame(top)} (could be its configuration or the system behind it)`,
      },
    ];
  }
  return [];
}
