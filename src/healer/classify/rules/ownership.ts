/**
 * Who threw it: the system side of frame ownership (user-code.ts is the job's side).
 *
 * A programming error — NullPointerException, an index or offset out of range, an illegal state,
 * a concurrent modification — is a bug where it was thrown. At the top of the root cause in job
 * code it is the job's bug; in a connector, in Flink's runtime or in a third-party library it is a
 * bug there (system), unless
 * - job code is on the same stack below it: the job called that code and handed it the bad value;
 * - Flink rejected a null the job produced (serializers, key selection, state: data.ts).
 * A ClassCastException is not on the list: inside a converter or serializer it is the job's
 * declared type not matching the record (data.ts), not a bug.
 *
 * Then a fallback: an exception thrown inside Flink or a connector with no job frame anywhere and no
 * family rule explaining it leans system — Flink and connectors run the same code for every job, so
 * a failure with none of the job's code involved is more often theirs.
 */
import { type FrameOrigin, firstNonJdkFrame, formatFrame, frameOrigin } from '../frames.js';
import { isWrapper } from '../root-cause.js';
import type { Cause, RuleHit } from '../types.js';
import { type Evidence, matchFamily, type PatternFamily } from './evidence.js';

/** Programming errors that are a bug of the code that threw them. */
const BUG_EXCEPTION =
  /(?:^|\.)(?:NullPointerException|ArrayIndexOutOfBoundsException|StringIndexOutOfBoundsException|IndexOutOfBoundsException|BufferUnderflowException|BufferOverflowException|NegativeArraySizeException|IllegalStateException|ConcurrentModificationException|NoSuchElementException|ArithmeticException|AssertionError|IllegalMonitorStateException|OffsetOutOfRangeException)$/;
/** Messages that say "this is a bug" in so many words. */
export const BUG_WORDS =
  /This (?:should|must) (?:not|never) happen|should never happen|This is a bug|Please file (?:an issue|a bug)|bug in (?:Flink|the (?:planner|connector))|Unexpected (?:state|error in the planner)|inconsistent state|Illegal state|There should never be|This indicates a bug/i;
/** Exception types named for refusing what they were given. */
const REFUSAL_TYPE =
  /(?:Validation|Validate|Parse|Parser|Syntax|NullField|Conversion|Convert|Mapping|Mismatch|Invalid\w*|Unsupported\w*|Illegal\w*)Exception$/;
/** Libraries embedded in the Flink runtime itself. */
const FLINK_INTERNAL_LIBS =
  /^(?:com\.esotericsoftware\.|org\.rocksdb\.|akka\.|org\.apache\.pekko\.|io\.netty\.|scala\.|org\.apache\.calcite\.|org\.codehaus\.janino\.)/;
const INTERNAL =
  /(?:IllegalState|NullPointer|ConcurrentModification|IndexOutOfBounds|ArrayIndexOutOfBounds|UnsupportedOperation|IllegalArgument|NoSuchElement)Exception$|AssertionError$|FlinkRuntimeException$|FlinkException$|RocksDBException$|CheckpointException$|IOException$|EOFException$|RuntimeException$|TableException$|CodeGenException$|Exception$/;

const isJob = (o: FrameOrigin) => o === 'user' || o === 'generated';

function ownerOf(root: Cause): { top: string; origin: FrameOrigin } | undefined {
  const top = firstNonJdkFrame(root.frames);
  if (!top) return undefined;
  const origin = frameOrigin(top.cls);
  // Flink runs Kryo, RocksDB, Netty, Akka/Pekko and Calcite as part of itself.
  return {
    top: formatFrame(top),
    origin: origin === 'library' && FLINK_INTERNAL_LIBS.test(top.cls) ? 'flink' : origin,
  };
}

const WHERE: Record<string, { rule: string; subtype: string; weight: number; what: string }> = {
  connector: { rule: 'bug-in-connector-code', subtype: 'connector-bug', weight: -0.65, what: 'connector' },
  flink: { rule: 'bug-in-flink-runtime', subtype: 'flink-runtime', weight: -0.6, what: 'Flink runtime' },
  library: { rule: 'bug-in-library-code', subtype: 'library-bug', weight: -0.3, what: 'third-party library' },
};

/**
 * A programming error thrown by connector, Flink or library code with no job code on its stack.
 * `explainedAsUser`: knowledge already explains the root cause as the job's (a null the job
 * produced, a message Flink raises for a job mistake).
 */
export function bugInFrameworkCode(ev: Evidence, explainedAsUser: boolean): RuleHit[] {
  const root = ev.root;
  if (!root || !BUG_EXCEPTION.test(root.exception) || explainedAsUser) return [];
  const owner = ownerOf(root);
  const where = owner && WHERE[owner.origin];
  if (!owner || !where) return [];
  // SQL's generated code below Flink's own function is still Flink's: built-in functions and
  // operators must handle every value a query passes (NULL included); job-written frames are not.
  const jobFrames = root.frames.filter((f) => isJob(frameOrigin(f.cls)));
  const onlyGenerated = jobFrames.every((f) => frameOrigin(f.cls) === 'generated');
  if (jobFrames.length > 0 && !(owner.origin === 'flink' && onlyGenerated)) return [];
  const bugWords = BUG_WORDS.test(root.message);
  return [
    {
      rule: where.rule,
      subtype: where.subtype,
      weight: bugWords ? Math.min(where.weight, -0.7) : where.weight,
      evidence: `${root.exception.split('.').pop()} thrown in ${where.what} code at ${owner.top}, no job frame on its stack${bugWords ? ' — its message calls it a bug' : ''}`,
    },
  ];
}

const CONVERTING = /Convert|Serializ|Writer|Formatter|Setter|RowData|Row\b|Field|Codec|Encoder|Mapper|Schema/;

/**
 * Where framework code fails for reasons its owner can name without a bug:
 * - a ClassCastException inside a converter or serializer: the record's type is not the type the
 *   job declared (a sink column, a format's schema) — the job's (sink-record-conversion);
 * - a TimeoutException inside a connector (waiting on its service) or inside Flink (an RPC or
 *   coordinator) — the service or the runtime;
 * - Flink's SQL code generation failing ("Table program cannot be compiled. This is a bug") or a
 *   connector object that is not serializable — the planner's or the connector's.
 */
export function frameworkFailureModes(ev: Evidence, rootExplained = false): RuleHit[] {
  const root = ev.root;
  if (!root) return [];
  const owner = ownerOf(root);
  const jobOnStack = root.frames.some((f) => isJob(frameOrigin(f.cls)));
  const out: RuleHit[] = [];
  if (owner && !jobOnStack && /(?:^|\.)ClassCastException$/.test(root.exception)) {
    const conv = root.frames.slice(0, 8).find((f) => CONVERTING.test(f.cls) || CONVERTING.test(f.method));
    // Flink's internal row types (StringData, TimestampData, …) are produced by code — a connector
    // or a format — never declared by the owner: a cast to one of them is that code's bug.
    if (conv && /org\.apache\.flink\.table\.data\./.test(root.message))
      out.push({
        rule: 'internal-row-type-mismatch',
        subtype: 'connector-bug',
        weight: -0.5,
        evidence: `${root.message.split('\n')[0]} in ${conv.cls}.${conv.method}: framework code produced the wrong internal type`,
      });
    else if (conv && (owner.origin === 'connector' || owner.origin === 'flink'))
      out.push({
        rule: 'type-mismatch-in-conversion',
        subtype: 'sink-record-conversion',
        weight: 0.55,
        evidence: `${root.message.split('\n')[0] || root.exception} in ${conv.cls}.${conv.method}: the record's type is not the type the job declared`,
      });
  }
  if (
    !rootExplained &&
    owner &&
    !jobOnStack &&
    /(?:^|\.)TimeoutException$/.test(root.exception) &&
    !/kafka/i.test(root.exception)
  ) {
    if (owner.origin === 'connector' || owner.origin === 'library')
      out.push({
        rule: 'timeout-inside-connector',
        subtype: 'external-system-unavailable',
        weight: -0.5,
        evidence: `${root.exception} at ${owner.top}: the connector waited on its service`,
      });
    else if (owner.origin === 'flink')
      out.push({
        rule: 'timeout-inside-flink',
        subtype: 'flink-rpc',
        weight: -0.55,
        evidence: `${root.exception} at ${owner.top}: a Flink-internal call timed out`,
      });
  }
  const cast = frameworkCast(root, jobOnStack);
  if (cast) out.push(cast);
  const all = ev.chain.map((c) => `${c.exception}: ${c.message}`).join('\n');
  const codegen =
    (/(?:InvalidProgramException|CodeGenException)/.test(all) &&
      /Table program cannot be compiled|This is a bug/.test(all)) ||
    /org\.codehaus\.(?:commons\.compiler|janino)\.\w*CompileException/.test(all);
  if (codegen)
    out.push({
      rule: 'sql-code-generation-failed',
      subtype: 'flink-runtime',
      weight: -0.6,
      evidence: 'Flink could not compile the code it generated for the SQL program, and says it is a bug',
    });
  const ser = /([\w.$]+)@[0-9a-f]+ is not serializable/.exec(all);
  const serOrigin = ser ? frameOrigin(ser[1] as string) : undefined;
  if (ser && (serOrigin === 'connector' || serOrigin === 'flink'))
    out.push({
      rule: 'framework-object-not-serializable',
      subtype: 'connector-bug',
      weight: -0.55,
      evidence: `${ser[1]} (${serOrigin} code) is not serializable`,
    });
  return out;
}

/**
 * A ClassCastException between two different types that both belong to Flink, a connector or a
 * library (`MySqlCatalog cannot be cast to AbstractJdbcCatalog`) is the framework wiring its own
 * objects wrong: the owner declared neither type. The same name on both sides is two class loaders
 * (packaging.ts); a converter casting a record is the record's type (above).
 */
function frameworkCast(root: Cause, jobOnStack: boolean): RuleHit | undefined {
  if (jobOnStack || !/(?:^|\.)ClassCastException$/.test(root.exception)) return undefined;
  const m = /(?:class )?([\w$.]+) cannot be cast to (?:class )?([\w$.]+)/.exec(root.message);
  if (!m?.[1] || !m[2] || m[1].split('.').pop() === m[2].split('.').pop()) return undefined;
  const owners = [m[1], m[2]].map((c) => frameOrigin(c));
  if (!owners.every((o) => o === 'flink' || o === 'connector' || o === 'library')) return undefined;
  if (/^java\./.test(m[1]) || /^java\./.test(m[2])) return undefined;
  return {
    rule: 'framework-cast-of-its-own-types',
    subtype: 'connector-bug',
    weight: -0.45,
    evidence: `${m[1]} cannot be cast to ${m[2]}: both are framework types, wired together by framework code`,
  };
}

/**
 * Without frames (an ErrorString, a one-line log), the exception's own class still says whose it
 * is: a connector's or Flink's exception type (StreamLoadFailException, a CDC connector's error)
 * with nothing else known leans system, at the verdict threshold.
 */
function frameworkExceptionType(root: Cause, frames: number): RuleHit[] {
  // A wrapper ("Recovery is suppressed by …") says nothing of the cause it wraps.
  if (frames > 0 || !root.exception.includes('.') || isWrapper(root)) return [];
  const origin = frameOrigin(root.exception);
  if (origin !== 'connector' && origin !== 'flink') return [];
  // A type named for refusing its input (SqlValidationException, ParseException, NullFieldException)
  // says the input was wrong, not that the framework failed: the wording decides (vocabulary.ts).
  if (REFUSAL_TYPE.test(root.exception)) return [];
  return [
    {
      rule: 'framework-exception-type',
      subtype: origin === 'connector' ? 'connector-error' : 'flink-runtime',
      weight: -0.35,
      evidence: `${root.exception} is a ${origin === 'connector' ? 'connector' : 'Flink'} exception type; the text has no frames and nothing else explains it`,
    },
  ];
}

/**
 * Flink or a connector saying, in a log line or a message without frames, that what happened is a
 * bug ("There should never be more than one thread…", "This is a bug"). A non-deterministic key
 * is the known look-alike: old Flink called it a bug, it is the job's key (data.ts).
 */
export const SAYS_BUG: PatternFamily = {
  rule: 'framework-says-it-is-a-bug',
  subtype: 'flink-runtime',
  weight: -0.6,
  message: BUG_WORDS,
  unless: /Key ?group|KeyGroupRange|hashCode/i,
};

/** Fires only when no other rule fired (`others` is empty): it explains what nothing else did. */
export function runtimeFallback(ev: Evidence, others: readonly RuleHit[]): RuleHit[] {
  const root = ev.root;
  if (others.some((h) => h.weight !== 0)) return [];
  // No usable frames: the words of the text are all there is.
  if (!root || root.frames.length === 0) {
    const said = matchFamily(SAYS_BUG, ev);
    if (said) return [said];
  }
  if (!root) return [];
  const owner = ownerOf(root);
  const allFrames = ev.chain.flatMap((c) => c.frames);
  if (!owner) return frameworkExceptionType(root, allFrames.length);
  if (allFrames.some((f) => isJob(frameOrigin(f.cls)))) return [];
  if (!INTERNAL.test(root.exception)) return [];
  const bugWords = BUG_WORDS.test(root.message);
  if (owner.origin === 'flink')
    return [
      {
        rule: 'exception-inside-flink-runtime',
        subtype: 'flink-runtime',
        weight: bugWords ? -0.7 : -0.45,
        evidence: `${root.exception} thrown at ${owner.top} with no job frame anywhere and nothing else explaining it`,
      },
    ];
  if (owner.origin === 'connector')
    return [
      {
        rule: 'exception-inside-connector',
        subtype: 'connector-error',
        weight: bugWords ? -0.7 : -0.4,
        evidence: `${root.exception} thrown inside connector ${owner.top} with no job frame anywhere and nothing else explaining it`,
      },
    ];
  // A library (AWS SDK, Netty, a client) failing under connector or Flink code, with no job frame.
  if (
    owner.origin === 'library' &&
    allFrames.some((f) => ['connector', 'flink'].includes(frameOrigin(f.cls)))
  )
    return [
      {
        rule: 'exception-inside-library-under-framework',
        subtype: 'connector-error',
        weight: -0.35,
        evidence: `${root.exception} thrown in library code ${owner.top}, called by connector or Flink code, with no job frame anywhere`,
      },
    ];
  return [];
}
