/**
 * Job code on the failing stack (user). The strongest single clue the text offers: the root
 * cause was thrown by, or passed through, a class that is neither the JDK, Flink, a connector nor
 * a known library. A programming error (NPE, ClassCastException, index out of bounds, …) thrown
 * from job code is the classic "bug in the new version".
 */
import { firstNonJdkFrame, formatFrame, frameOrigin } from '../frames.js';
import { isWrapper } from '../root-cause.js';
import type { Cause, Frame, RuleHit } from '../types.js';
import type { Evidence } from './evidence.js';

/** Programming errors and the subtype each gives when thrown from job code. */
const PROGRAMMING_ERRORS: ReadonlyArray<[RegExp, string]> = [
  [/NullPointerException$/, 'npe-in-user-function'],
  [/ClassCastException$/, 'class-cast-in-user-function'],
  [
    /(?:ArrayIndexOutOfBounds|StringIndexOutOfBounds|IndexOutOfBounds)Exception$/,
    'index-out-of-bounds-in-user-function',
  ],
  [/(?:NumberFormat|DateTimeParse|Parse)Exception$/, 'bad-input-data'],
  [
    /(?:IllegalArgument|IllegalState|UnsupportedOperation|NoSuchElement|ConcurrentModification|Arithmetic|Assertion)(?:Exception|Error)$/,
    'user-code-error',
  ],
  [
    /(?:MatchError|NotImplementedError|UninitializedPropertyAccessException|KotlinNullPointerException)$/,
    'user-code-error',
  ],
];

/** Exceptions that say an external dependency failed: job code calling it is not the culprit. */
const INFRA_EXCEPTION =
  /(?:IOException|SocketException|SocketTimeoutException|ConnectException|TimeoutException|UnknownHostException|SdkClientException|SdkException|AmazonServiceException|AwsServiceException|KafkaException|S3Exception|ServiceUnavailable|Throttling|ProvisionedThroughputExceeded)$/;

function programmingSubtype(exception: string): string | undefined {
  return PROGRAMMING_ERRORS.find(([re]) => re.test(exception))?.[1];
}

/** User frames of a cause; `skipMain` drops `main` (a wrapper's client frames calling execute() are not the failure). */
function userFrames(c: Cause, skipMain = false): Frame[] {
  return c.frames.filter((f) => {
    const o = frameOrigin(f.cls);
    return (o === 'user' || o === 'generated') && !(skipMain && f.method === 'main');
  });
}

/** Frame-based user-code rules. */
export function userCodeRules(ev: Evidence): RuleHit[] {
  const out: RuleHit[] = [];
  const root = ev.root;
  // A relayed job failure ("Job execution failed" with the client's main() frames) is not job code.
  if (!root || isWrapper(root)) return out;
  const infra = INFRA_EXCEPTION.test(root.exception);
  const prog = programmingSubtype(root.exception);

  const top = firstNonJdkFrame(root.frames);
  const topOrigin = top ? frameOrigin(top.cls) : undefined;
  const users = userFrames(root);

  // An exception type outside the JDK, Flink and known libraries: the job's own (com.acme.ValidationException)
  // — or an unknown vendor library's. Job frames on its stack settle it; without them it is a lean.
  if (root.exception.includes('.') && frameOrigin(root.exception) === 'user') {
    out.push({
      rule: 'exception-class-from-job-code',
      subtype: 'user-code-error',
      weight: users.length > 0 ? 0.6 : 0.3,
      evidence: `root cause is of type ${root.exception}, not a JDK, Flink or known-library type${users.length > 0 ? '' : ' (no job frame confirms it)'}`,
    });
  }
  if (top && (topOrigin === 'user' || topOrigin === 'generated')) {
    const generated = topOrigin === 'generated';
    out.push({
      rule: generated ? 'generated-sql-code-at-top-of-root-cause' : 'user-frame-at-top-of-root-cause',
      subtype: prog ?? 'user-code-error',
      weight: infra ? 0.2 : generated ? 0.5 : 0.6,
      evidence: `${root.exception} thrown at ${formatFrame(top)}${infra ? ' (an I/O error surfacing through job code)' : ''}`,
    });
    if (prog) {
      out.push({
        rule: 'programming-error-in-user-code',
        subtype: prog,
        weight: 0.35,
        evidence: `${root.exception.split('.').pop()} is a programming error, thrown from job code`,
      });
    }
  } else if (users.length > 0) {
    const u = users[0] as Frame;
    out.push({
      rule: 'user-frame-in-root-cause-stack',
      subtype: prog ?? 'user-code-error',
      weight: infra ? 0.1 : 0.35,
      evidence: `${root.exception} raised in ${formatFrame(top)} called from job code ${formatFrame(u)}`,
    });
  } else if (root.frames.length === 0) {
    // No frames on the root (an ErrorString, a truncated trace): look at the other causes.
    for (let i = ev.chain.length - 1; i >= 0; i--) {
      const c = ev.chain[i] as Cause;
      const uf = userFrames(c, true)[0];
      if (uf) {
        out.push({
          rule: 'user-frame-in-cause-chain',
          subtype: prog ?? 'user-code-error',
          weight: infra ? 0.1 : 0.25,
          evidence: `job code ${formatFrame(uf)} on the stack of ${c.exception}`,
        });
        break;
      }
    }
  }
  return out;
}
