/**
 * Reads Flink's log4j files (pattern `%d{yyyy-MM-dd HH:mm:ss,SSS} %-5level %-60c %x - %m%n`) into
 * events, incrementally: each file is re-read only from where the last read stopped. Lines that do
 * not start with a timestamp (stack traces) belong to the event before them.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { JobLogEvent } from '../flink-backend.js';

const LINE =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})[,.](\d{3})\s+(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\s+(\S+)\s+(?:\[([^\]]*)\]\s+)?-\s?(.*)$/;

/** One parsed event plus the job id from the log's MDC/NDC brackets, when the pattern prints one. */
export interface ParsedLogEvent extends JobLogEvent {
  contextJobId?: string;
}

/** Parses complete log text into events (local-time timestamps, as log4j's %d writes them). */
export function parseFlinkLog(text: string): ParsedLogEvent[] {
  const out: ParsedLogEvent[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m) {
      const t = new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!).getTime();
      const ctx = m[10] ? /[0-9a-f]{32}/.exec(m[10])?.[0] : undefined;
      out.push({
        timestampMs: t,
        level: m[8]!,
        logger: m[9]!,
        message: m[11]!,
        ...(ctx ? { contextJobId: ctx } : {}),
      });
    } else if (line.length > 0 && out.length > 0) {
      const last = out[out.length - 1]!;
      last.throwable = last.throwable ? `${last.throwable}\n${line}` : line;
    }
  }
  return out;
}

/** Follows a set of log files, keeping every event parsed so far. */
export class FlinkLogFollower {
  private readonly files = new Map<string, { offset: number; pending: string; events: ParsedLogEvent[] }>();

  /** Reads what was appended to each file since the last call; returns all events, oldest first. */
  read(paths: readonly string[]): ParsedLogEvent[] {
    const all: ParsedLogEvent[] = [];
    for (const p of paths) {
      if (!existsSync(p)) continue;
      let f = this.files.get(p);
      if (!f) {
        f = { offset: 0, pending: '', events: [] };
        this.files.set(p, f);
      }
      const size = statSync(p).size;
      if (size < f.offset) Object.assign(f, { offset: 0, pending: '', events: [] }); // rotated or truncated
      if (size > f.offset) {
        const fd = openSync(p, 'r');
        try {
          const buf = Buffer.alloc(size - f.offset);
          readSync(fd, buf, 0, buf.length, f.offset);
          f.offset = size;
          const text = f.pending + buf.toString('utf8');
          // Keep the text after the last timestamped line pending: its stack trace may still be growing.
          const lastStart = lastEventStart(text);
          const complete = lastStart > 0 ? text.slice(0, lastStart) : '';
          f.pending = lastStart > 0 ? text.slice(lastStart) : text;
          f.events.push(...parseFlinkLog(complete));
        } finally {
          closeSync(fd);
        }
      }
      all.push(...f.events, ...parseFlinkLog(f.pending));
    }
    return all.sort((a, b) => a.timestampMs - b.timestampMs);
  }
}

function lastEventStart(text: string): number {
  const re = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}[,.]\d{3}\s/gm;
  let last = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m.index;
  return last;
}
