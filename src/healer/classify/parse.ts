/**
 * A tolerant parser of Java stack traces as Flink, MSF and their logs print them: `Caused by:`
 * chains, `Suppressed:` blocks, `... N more`, frames with module prefixes (`java.base/`, `app//`)
 * and jar suffixes (`~[flink-dist-1.20.0.jar:1.20.0]`), traces without any frame (an ErrorString),
 * traces cut off mid-frame, several exceptions interleaved with log lines, exceptions embedded in a
 * log message (`… switched from RUNNING to FAILED with failure cause: java.io.IOException: …`) and
 * causes hidden in a wrapper's message (`RuntimeException: java.lang.ClassNotFoundException: X`).
 * Pure: no I/O.
 */
import { type NormalLine, normalize } from './normalize.js';
import type { Cause, Frame, ParsedText, Trace } from './types.js';

const FRAME = /^\s*at\s+(?:[\w.$-]*(?:@[\w.$-]*)?\/+)*([\w$.<>~-]+)\.([\w$<>~-]+)\s*\(([^)]*)(\))?/;
/** A frame printed without its location (`at org.apache.paimon.data.BinaryString.toString`). */
const BARE_FRAME = /^\s*at\s+(?:[\w.$-]*(?:@[\w.$-]*)?\/+)*([a-z_$][\w$]*\.[\w$.<>~-]+)\.([\w$<>~-]+)\s*$/;
const ELIDED = /^\s*\.\.\.\s*(\d+)\s+(?:more|common frames omitted)/;
const CAUSED = /^\s*Caused by:\s*(.*)$/;
const SUPPRESSED = /^\s*Suppressed:\s*(.*)$/;
/** Simple names that make a class a throwable: FooException, FooError, SerializedThrowable, … */
const THROWABLE_NAME = '[A-Z][\\w$]*(?:Exception|Error|Throwable|Failure|Fault|Death|Exit)(?:\\$[\\w$]+)?';
const HEADER = new RegExp(`^\\s*(?::\\s*)?((?:[a-zA-Z_$][\\w$]*\\.)*${THROWABLE_NAME})(?:\\s*:\\s?(.*))?$`);
/** An exception named inside other text: needs a package to avoid matching prose. */
const EMBEDDED = new RegExp(`(?:^|[\\s:(\\[,"'])((?:[a-z_$][\\w$]*\\.)+${THROWABLE_NAME})(?::\\s?(.*))?$`);

/** Parses `Foo.java:42`, `Native Method`, `Unknown Source` into file and line. */
function parseLocation(loc: string): { file?: string; line?: number } {
  const m = /^([^:]+?)(?::(\d+))?$/.exec(loc.trim());
  if (!m?.[1] || /^(?:Native Method|Unknown Source)$/.test(m[1])) return {};
  return m[2] ? { file: m[1], line: Number(m[2]) } : { file: m[1] };
}

/** Parses one `at …` line; undefined when it is not a frame. */
export function parseFrame(line: string): (Frame & { cut: boolean }) | undefined {
  const m = FRAME.exec(line);
  if (!m?.[1] || !m[2]) {
    const bare = BARE_FRAME.exec(line);
    return bare?.[1] && bare[2] ? { cls: bare[1], method: bare[2], cut: false } : undefined;
  }
  return { cls: m[1], method: m[2], ...parseLocation(m[3] ?? ''), cut: m[4] === undefined };
}

/** Parses an exception header `pkg.FooException: message`; undefined when it is not one. */
export function parseHeader(text: string): { exception: string; message: string } | undefined {
  const m = HEADER.exec(text);
  if (!m?.[1]) return undefined;
  return { exception: m[1], message: (m[2] ?? '').trim() };
}

function newCause(exception: string, message: string, via: Cause['via']): Cause {
  return { exception, message, frames: [], elided: 0, via };
}

/**
 * Recovers causes hidden in messages: `RuntimeException: java.lang.ClassNotFoundException: X`
 * (toString() of a wrapped throwable), Flink's SerializedThrowable, and an ErrorString whose
 * chain was flattened into one message.
 */
function expandMessageCauses(trace: Trace): void {
  for (let guard = 0; guard < 8; guard++) {
    const last = trace.chain[trace.chain.length - 1];
    if (!last) return;
    const firstLine = last.message.split('\n')[0] ?? '';
    const inner = parseHeader(firstLine) ?? embeddedAfterSeparator(firstLine);
    if (!inner || inner.exception === last.exception) {
      if (/SerializedThrowable$/.test(last.exception) && inner) {
        last.exception = inner.exception;
        last.message = inner.message;
      }
      return;
    }
    if (/SerializedThrowable$/.test(last.exception)) {
      last.exception = inner.exception;
      last.message = inner.message;
      continue;
    }
    trace.chain.push(newCause(inner.exception, inner.message, 'message'));
  }
}

/** `Failed to do X: org.foo.BarException: msg` → the embedded exception, when one follows a colon. */
function embeddedAfterSeparator(text: string): { exception: string; message: string } | undefined {
  const m = EMBEDDED.exec(text);
  if (!m?.[1]) return undefined;
  return { exception: m[1], message: (m[2] ?? '').trim() };
}

/** Parses text into traces and plain log lines. */
export function parseText(input: string): ParsedText {
  const lines = normalize(input);
  const traces: Trace[] = [];
  const plain: string[] = [];
  let truncated = false;
  let trace: Trace | undefined;
  let cause: Cause | undefined;
  let inSuppressed = false;

  const startTrace = (c: Cause, at: number): void => {
    trace = { chain: [c], suppressed: [], startLine: at };
    traces.push(trace);
    cause = c;
    inSuppressed = false;
  };
  const endTrace = (): void => {
    trace = undefined;
    cause = undefined;
    inSuppressed = false;
  };

  lines.forEach((nl: NormalLine, i: number) => {
    const line = nl.text;
    if (line.trim() === '') return;
    const frame = parseFrame(line);
    if (frame) {
      if (frame.cut && i === lines.length - 1) truncated = true;
      const { cut: _cut, ...f } = frame;
      if (!cause) startTrace(newCause('', '', 'top'), i); // an excerpt that starts mid-trace
      cause?.frames.push(f);
      return;
    }
    const elided = ELIDED.exec(line);
    if (elided) {
      if (cause) cause.elided = Number(elided[1]);
      return;
    }
    // A bare ellipsis inside a trace is where the poster cut frames out, not the end of the trace.
    if (cause && /^\s*(?:\.{3,}|…)\s*$/.test(line)) return;
    const caused = CAUSED.exec(line);
    if (caused) {
      const h = parseHeader(caused[1] ?? '') ?? {
        exception: (caused[1] ?? '').split(':')[0]?.trim() ?? '',
        message: (caused[1] ?? '').split(':').slice(1).join(':').trim(),
      };
      const c = newCause(h.exception, h.message, 'caused-by');
      // Java indents a suppressed throwable's own causes; an unindented `Caused by:` is back on the main chain.
      if (trace && inSuppressed && /^\s/.test(line)) {
        cause = c;
        return;
      }
      if (!trace) startTrace(c, i);
      else {
        trace.chain.push(c);
        cause = c;
        inSuppressed = false;
      }
      return;
    }
    const sup = SUPPRESSED.exec(line);
    if (sup) {
      const h = parseHeader(sup[1] ?? '');
      const c = newCause(h?.exception ?? sup[1] ?? '', h?.message ?? '', 'suppressed');
      if (trace) {
        trace.suppressed.push(c);
        cause = c;
        inSuppressed = true;
      }
      return;
    }
    const header = parseHeader(line);
    if (header) {
      // A header right after another header without frames continues that chain (a log message
      // followed by its throwable, or Flink's `root-exception` without frames); after frames it is
      // a new, separate exception.
      if (trace && cause && cause.frames.length === 0 && !nl.record && !inSuppressed) {
        const c = newCause(header.exception, header.message, 'caused-by');
        trace.chain.push(c);
        cause = c;
      } else startTrace(newCause(header.exception, header.message, 'top'), i);
      return;
    }
    const embedded = embeddedAfterSeparator(line);
    if (embedded && (nl.record || !cause || cause.frames.length > 0)) {
      plain.push(line);
      startTrace(newCause(embedded.exception, embedded.message, 'top'), i);
      return;
    }
    // Plain text: a multi-line message continues while its throwable has no frames yet.
    if (cause && cause.frames.length === 0 && !nl.record) {
      cause.message = cause.message ? `${cause.message}\n${line.trim()}` : line.trim();
      return;
    }
    plain.push(line);
    endTrace();
  });

  for (const t of traces) expandMessageCauses(t);
  const trimmed = input.trim();
  // MSF ErrorInfo.ErrorString is at most 512 characters: a text of exactly that size was cut.
  if (trimmed.length >= 500 && trimmed.length <= 512 && !/\n\s*\.\.\.\s*\d+\s+more\s*$/.test(trimmed))
    truncated = true;
  if (/(?:\.\.\.|…)$/.test(trimmed)) truncated = true;
  return { traces, lines: plain, truncated };
}
