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
  const r = new LineReader();
  for (let i = 0; i < lines.length; i++) r.read(lines[i]!, i, i === lines.length - 1);
  for (const t of r.traces) expandMessageCauses(t);
  return { traces: r.traces, lines: r.plain, truncated: r.truncated || endsCut(input.trim()) };
}

/** Whether a text ends where it was cut: an ErrorString at its 512-character limit, or an ellipsis. */
function endsCut(trimmed: string): boolean {
  // MSF ErrorInfo.ErrorString is at most 512 characters: a text of exactly that size was cut.
  if (trimmed.length >= 500 && trimmed.length <= 512 && !/\n\s*\.\.\.\s*\d+\s+more\s*$/.test(trimmed))
    return true;
  return /(?:\.\.\.|…)$/.test(trimmed);
}

/** The parser's state line by line: the traces so far, and the cause the next line attaches to. */
class LineReader {
  readonly traces: Trace[] = [];
  readonly plain: string[] = [];
  truncated = false;
  private trace: Trace | undefined;
  private cause: Cause | undefined;
  private inSuppressed = false;

  /** One normalised line: a frame, an elision, a `Caused by:`, a `Suppressed:`, a header, or text. */
  read(nl: NormalLine, i: number, last: boolean): void {
    const line = nl.text;
    if (line.trim() === '') return;
    const frame = parseFrame(line);
    if (frame) {
      this.frame(frame, i, last);
      return;
    }
    const elided = ELIDED.exec(line);
    if (elided) {
      if (this.cause) this.cause.elided = Number(elided[1]);
      return;
    }
    // A bare ellipsis inside a trace is where the poster cut frames out, not the end of the trace.
    if (this.cause && /^\s*(?:\.{3,}|…)\s*$/.test(line)) return;
    const caused = CAUSED.exec(line);
    if (caused) {
      this.causedBy(caused[1] ?? '', /^\s/.test(line), i);
      return;
    }
    const sup = SUPPRESSED.exec(line);
    if (sup) {
      this.suppressed(sup[1] ?? '');
      return;
    }
    const header = parseHeader(line);
    if (header) {
      this.header(header, nl.record, i);
      return;
    }
    const embedded = embeddedAfterSeparator(line);
    if (embedded && (nl.record || !this.cause || this.cause.frames.length > 0)) {
      this.plain.push(line);
      this.start(newCause(embedded.exception, embedded.message, 'top'), i);
      return;
    }
    this.text(line, nl.record);
  }

  private start(c: Cause, at: number): void {
    this.trace = { chain: [c], suppressed: [], startLine: at };
    this.traces.push(this.trace);
    this.cause = c;
    this.inSuppressed = false;
  }

  private frame(frame: Frame & { cut: boolean }, i: number, last: boolean): void {
    if (frame.cut && last) this.truncated = true;
    const { cut: _cut, ...f } = frame;
    if (!this.cause) this.start(newCause('', '', 'top'), i); // an excerpt that starts mid-trace
    this.cause?.frames.push(f);
  }

  private causedBy(rest: string, indented: boolean, i: number): void {
    const h = parseHeader(rest) ?? {
      exception: rest.split(':')[0]?.trim() ?? '',
      message: rest.split(':').slice(1).join(':').trim(),
    };
    const c = newCause(h.exception, h.message, 'caused-by');
    // Java indents a suppressed throwable's own causes; an unindented `Caused by:` is back on the main chain.
    if (this.trace && this.inSuppressed && indented) {
      this.cause = c;
      return;
    }
    if (!this.trace) {
      this.start(c, i);
      return;
    }
    this.trace.chain.push(c);
    this.cause = c;
    this.inSuppressed = false;
  }

  private suppressed(rest: string): void {
    const h = parseHeader(rest);
    if (!this.trace) return;
    const c = newCause(h?.exception ?? rest, h?.message ?? '', 'suppressed');
    this.trace.suppressed.push(c);
    this.cause = c;
    this.inSuppressed = true;
  }

  /**
   * A header right after another header without frames continues that chain (a log message
   * followed by its throwable, or Flink's `root-exception` without frames); after frames it is a
   * new, separate exception.
   */
  private header(h: { exception: string; message: string }, record: boolean | undefined, i: number): void {
    const cause = this.cause;
    if (this.trace && cause && cause.frames.length === 0 && !record && !this.inSuppressed) {
      const c = newCause(h.exception, h.message, 'caused-by');
      this.trace.chain.push(c);
      this.cause = c;
    } else this.start(newCause(h.exception, h.message, 'top'), i);
  }

  /** Plain text: a multi-line message continues while its throwable has no frames yet. */
  private text(line: string, record: boolean | undefined): void {
    const cause = this.cause;
    if (cause && cause.frames.length === 0 && !record) {
      cause.message = cause.message ? `${cause.message}\n${line.trim()}` : line.trim();
      return;
    }
    this.plain.push(line);
    this.trace = undefined;
    this.cause = undefined;
    this.inSuppressed = false;
  }
}
