/**
 * Picks the root cause of a trace and the primary trace of a text. The root cause is the deepest
 * meaningful cause: generic wrappers (ExecutionException, CompletionException, Flink's
 * `JobException: Recovery is suppressed by …`, InvocationTargetException, …) are skipped, and so are
 * consequences that hide the cause (an InterruptedException at the bottom of a timeout).
 */
import type { Cause, ParsedText, Trace } from './types.js';

/** Exceptions that only wrap another one. */
const WRAPPER =
  /(?:^|\.)(?:ExecutionException|CompletionException|InvocationTargetException|UndeclaredThrowableException|UncheckedIOException|JobExecutionException|JobException|ProgramInvocationException|ExceptionInChainedOperatorException|WrappingRuntimeException|AsynchronousException|SerializedThrowable|UserCodeException|Py4JJavaError|RestHandlerException|JobInitializationException|JobSubmissionException)$/;
const WRAPPER_MESSAGE =
  /^(?:Recovery is suppressed by|Job execution failed|Could not forward element to next operator|The main method caused an error|Failed to execute job|Job failed|Could not execute application|Error while running|Exception occurred while|Caught exception while processing timer|One or more fetchers have encountered exception|SplitFetcher thread \d+ received unexpected exception|Source reader failed|Exception while creating StreamOperatorStateContext|Could not run the jar|Could not start the JobMaster|Could not instantiate JobManager|Failed to submit job)/i;
/** Bottom-of-chain exceptions that are consequences, not causes. */
const CONSEQUENCE =
  /(?:^|\.)(?:InterruptedException|CancellationException|ClosedByInterruptException|CancelTaskException|TaskNotRunningException)$/;

/** True when the cause only wraps a deeper one. */
export function isWrapper(c: Cause): boolean {
  return c.exception === '' || WRAPPER.test(c.exception) || WRAPPER_MESSAGE.test(c.message);
}

/** Index of the root cause in the chain (deepest meaningful cause). */
export function rootCauseIndex(trace: Trace): number {
  const chain = trace.chain;
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i] as Cause;
    if (c.exception === '') continue;
    if (i > 0 && CONSEQUENCE.test(c.exception)) continue;
    // A wrapper at the bottom (nothing deeper was printed) is still the best we have, unless a
    // shallower, non-wrapper cause exists.
    if (isWrapper(c) && chain.slice(0, i).some((p) => p.exception !== '' && !isWrapper(p))) continue;
    return i;
  }
  return Math.max(0, chain.length - 1);
}

/** True when a trace is only the echo of another failure (cancellation, interruption). */
function isSecondary(trace: Trace): boolean {
  const root = trace.chain[rootCauseIndex(trace)];
  if (!root) return true;
  if (CONSEQUENCE.test(root.exception)) return true;
  return /Task was cancell?ed|is being cancell?ed|Cancell?ing the task|Job was cancell?ed|Buffer pool (?:is|has (?:already )?been) destroyed|Checkpoint was cancell?ed because a barrier/i.test(
    root.message,
  );
}

/**
 * The trace to classify when a text holds several: the first one (in text order) that is not a
 * mere consequence — later exceptions in a failing job are usually cancellations it triggered.
 */
export function primaryTrace(parsed: ParsedText): Trace | undefined {
  return (
    parsed.traces.find((t) => !isSecondary(t) && t.chain.some((c) => c.exception !== '')) ?? parsed.traces[0]
  );
}

/**
 * The frames that tell who threw a root cause printed without its own: the same exception printed
 * with frames elsewhere in the text (a log that repeats the cause), or — for a cause recovered from
 * a wrapper's message (`KryoException: java.lang.NullPointerException`) — the wrapper's frames,
 * where it surfaced. A root cause with frames is returned as it is.
 */
export function withSurfacingFrames(root: Cause, chain: readonly Cause[], parsed: ParsedText): Cause {
  if (root.frames.length > 0) return root;
  const same = parsed.traces
    .flatMap((t) => t.chain)
    .find(
      (c) =>
        c !== root && c.exception === root.exception && c.frames.length > 0 && c.message === root.message,
    );
  if (same) return { ...root, frames: same.frames };
  if (root.via !== 'message') return root;
  const at = chain.indexOf(root);
  for (let i = at - 1; i >= 0; i--) {
    const carrier = chain[i] as Cause;
    if (carrier.frames.length > 0) return { ...root, frames: carrier.frames };
  }
  return root;
}
