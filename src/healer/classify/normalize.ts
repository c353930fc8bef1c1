/**
 * Turns whatever an operator pastes into plain stack-trace lines: Flink REST JSON
 * (/jobs/:id/exceptions), an MSF ErrorString (≤ 512 chars, often cut off, sometimes with escaped
 * newlines), CloudWatch Logs exports (JSON lines with `message` / `throwableInformation` fields,
 * GetLogEvents / Insights results) and log4j lines with timestamps, levels, thread and logger
 * prefixes. Pure: no I/O.
 */

/** One line of the normalised text, with whether a log prefix (timestamp/level/logger) was removed. */
export interface NormalLine {
  text: string;
  /** A log prefix was stripped: the line starts a new log record (never a message continuation). */
  record: boolean;
}

const TEXT_FIELDS = [
  'stacktrace',
  'message',
  'msg',
  'log',
  'throwableInformation',
  'throwable',
  'exception',
  'ErrorString',
  'errorString',
  'value',
] as const;

/** Collects the human text of a parsed JSON value (log event, exception entry, API payload). */
export function textsFromJson(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 6 || value === null || value === undefined) return out;
  if (typeof value === 'string') {
    out.push(value);
    return out;
  }
  if (Array.isArray(value)) {
    // CloudWatch Logs Insights rows: [{field:'@message', value:'…'}, …]
    for (const item of value) {
      if (item && typeof item === 'object' && 'field' in item && 'value' in item) {
        const field = String((item as { field: unknown }).field);
        if (/message|stacktrace|throwable/i.test(field))
          textsFromJson((item as { value: unknown }).value, out, depth + 1);
      } else textsFromJson(item, out, depth + 1);
    }
    return out;
  }
  if (typeof value !== 'object') return out;
  const obj = value as Record<string, unknown>;
  // Containers first: Flink exception history, GetLogEvents/FilterLogEvents, Insights results, ErrorInfo.
  const exh = obj.exceptionHistory as { entries?: unknown[] } | undefined;
  if (exh && Array.isArray(exh.entries)) return textsFromJson(exh.entries, out, depth + 1);
  for (const key of [
    'events',
    'results',
    'entries',
    'ErrorInfo',
    'OperationFailureDetails',
    'ApplicationOperationInfoDetails',
  ]) {
    if (key in obj) return textsFromJson(obj[key], out, depth + 1);
  }
  if (typeof obj['root-exception'] === 'string') {
    out.push(obj['root-exception'] as string);
    return out;
  }
  let found = false;
  for (const key of TEXT_FIELDS) {
    const v = obj[key];
    if (typeof v === 'string' && v.trim() !== '') {
      out.push(v);
      found = true;
      // A log record's message and its throwable are both wanted; an exception entry's
      // `stacktrace` already contains its message.
      if (key === 'stacktrace') break;
    } else if (Array.isArray(v)) {
      out.push(v.map(String).join('\n'));
      found = true;
    }
  }
  if (!found && typeof obj['@message'] === 'string') out.push(obj['@message'] as string);
  return out;
}

/** Tries JSON.parse; undefined when the text is not JSON. */
function tryJson(text: string): unknown {
  const t = text.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

// 2024-01-01 12:00:00,123 | 2024-01-01T12:00:00.123Z | [2024-01-01 12:00:00] | 12:00:00.123 | 2021-02-22 15:51:29
const TIMESTAMP =
  /^\[?\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,9})?(?:\s?(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT))?)?\]?\s*|^\[?\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?\]?\s+/;
const LEVEL =
  /^(?:\[\s*(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|SEVERE|FATAL)\s*\]\s*|(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|SEVERE|FATAL)(?:\s+|$))/;
const THREAD = /^\[[^\]]{0,200}\]\s*/;
// org.apache.flink.runtime.taskmanager.Task [] - | ExecutionGraph        - | c.a.Foo:123 -
const LOGGER = /^[\w$.]+(?:\(\d+\))?(?::\d+)?\s*(?:\[[^\]]{0,200}\]\s*)?-\s+/;
// docker-compose `flink_1  | ` prefixes
const COMPOSE = /^[\w.-]+\s+\|\s?/;

/** Strips one log record's prefix; reports whether there was one. */
export function stripLogPrefix(line: string): NormalLine {
  let s = line.replace(/\r$/, '');
  let record = false;
  if (COMPOSE.test(s) && !/^\s*at\s/.test(s)) s = s.replace(COMPOSE, '');
  const ts = TIMESTAMP.exec(s);
  if (ts) {
    s = s.slice(ts[0].length);
    record = true;
  }
  // A CloudWatch console copy: `<timestamp> {"message": …}`
  if (record && s.trim().startsWith('{')) return { text: s, record };
  if (THREAD.test(s) && LEVEL.test(s.replace(THREAD, ''))) s = s.replace(THREAD, '');
  const lv = LEVEL.exec(s);
  if (lv) {
    s = s.slice(lv[0].length);
    record = true;
  }
  if (record) {
    s = s.replace(THREAD, '');
    const lg = LOGGER.exec(s);
    if (lg) s = s.slice(lg[0].length);
    else {
      const lv2 = LEVEL.exec(s); // `[thread] LEVEL logger - msg` orders
      if (lv2) {
        s = s.slice(lv2[0].length);
        const lg2 = LOGGER.exec(s);
        if (lg2) s = s.slice(lg2[0].length);
      }
    }
  }
  return { text: s, record };
}

const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  '#39': "'",
  '#x27': "'",
};

/**
 * Undoes what copying a trace through a web page or a mail client does to it: HTML entities
 * (`&nbsp;&nbsp;at`), quote prefixes of a reply (`> at org.apache…`) on most lines, and frames
 * wrapped after their `at`.
 */
export function unwrapCopy(text: string): string {
  let t = text.replace(/&(nbsp|lt|gt|amp|quot|apos|#39|#x27);/g, (_m, e: string) => ENTITIES[e] ?? _m);
  const lines = t.split('\n');
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  if (nonEmpty.length > 0 && nonEmpty.filter((l) => /^\s*>/.test(l)).length / nonEmpty.length >= 0.6)
    t = lines.map((l) => l.replace(/^\s*(?:>\s?)+/, '')).join('\n');
  // `at` alone on its line, the frame on the next (a mail client wrapped it).
  return t.replace(/^(\s*at)[ \t]*\n\s*(?=[\w$.]+\.[\w$<>]+\()/gm, '$1 ');
}

/**
 * Normalises any supported input into lines. JSON documents and JSON log lines are unwrapped to
 * their text fields; escaped newlines of double-encoded strings are restored.
 */
export function normalize(input: string): NormalLine[] {
  // Copies from Chinese pages carry a full-width colon after the exception class.
  let text = unwrapCopy(input.replace(/^\uFEFF/, '').replace(/([\w$])：\s*/g, '$1: '));
  const whole = tryJson(text);
  if (whole !== undefined) text = textsFromJson(whole).join('\n');
  // A double-encoded string: no real newlines but literal "\n\tat".
  if (!/\n/.test(text.trim()) && /\\n(?:\\t|\s)*at\s/.test(text) && !/\{\s*"/.test(text)) {
    text = text.replace(/\\r/g, '').replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\"/g, '"');
  } else if ((text.match(/\\n\\tat\b/g) ?? []).length >= 2) {
    // A trace escaped inside a logged JSON body (a REST response's "stack-trace"), maybe wrapped.
    text = unwrapCopy(text.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\"/g, '"'));
  }
  const out: NormalLine[] = [];
  const composeNames = new Set<string>();
  for (const raw of text.split('\n')) {
    // docker-compose wraps long lines as `name_1\n | continuation`: drop the bare name, keep the rest.
    const cm = /^([\w.-]+)\s+\|/.exec(raw);
    if (cm?.[1]) composeNames.add(cm[1]);
    if (composeNames.has(raw.trim())) continue;
    const unpiped = composeNames.size > 0 ? raw.replace(/^\s*\|\s?/, '') : raw;
    const first = stripLogPrefix(unpiped);
    const json = tryJson(first.text);
    if (json !== undefined && typeof json === 'object') {
      for (const t of textsFromJson(json)) {
        for (const inner of t.split('\n')) {
          const n = stripLogPrefix(inner);
          out.push({ text: n.text, record: n.record });
        }
        // Each JSON log record is its own record: mark its first line.
        const firstIdx = out.length - t.split('\n').length;
        const rec = out[firstIdx];
        if (rec) rec.record = true;
      }
      continue;
    }
    out.push(first);
  }
  return out;
}
