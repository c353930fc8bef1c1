import type { FirstFailure, InsightsRecord, SubtaskTransition } from './port.js';
import type { RawQueryResults } from './schema.js';

/** Pure mapping of Logs Insights rows to records and to Flink transitions / failures. */

/** GetQueryResults rows → records (`@ptr` is an opaque pointer, dropped). */
export function toRecords(results: RawQueryResults['results']): InsightsRecord[] {
  return results.map((row) => {
    const rec: InsightsRecord = {};
    for (const f of row) if (f.field && f.field !== '@ptr' && f.value !== undefined) rec[f.field] = f.value;
    return rec;
  });
}

/** Logs Insights @timestamp (`2026-11-22 00:00:00.000`, UTC) → epoch ms, or undefined. */
export function parseInsightsTimestamp(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  const t = Date.parse(/Z|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Splits Flink's task description:
 *  "Source: Kafka -> Map (2/4)#1 (a1b2…)"                  Flink 1.15+
 *  "Map (2/4)#0 (7e1c…_cbc357ccb763df2852fee8c4fc7d55f2_1_0)" Flink 1.16+ attempt id ends _subtask_attempt
 *  "Map (2/4) (a1b2…)"                                      before 1.15
 */
export function parseTaskDescription(
  text: string,
): Pick<SubtaskTransition, 'task' | 'subtaskIndex' | 'parallelism' | 'attempt'> {
  const m = /^(.*?) \((\d+)\/(\d+)\)(?:#(\d+))?(?: \(([^()]*)\))?\s*$/.exec(text.trim());
  if (!m) return { task: text.trim() };
  const out: ReturnType<typeof parseTaskDescription> = {
    task: (m[1] ?? '').trim(),
    subtaskIndex: Number(m[2]) - 1,
    parallelism: Number(m[3]),
  };
  if (m[4] !== undefined) out.attempt = Number(m[4]);
  else {
    const fromId = /_(\d+)_(\d+)$/.exec(m[5] ?? '');
    if (fromId) out.attempt = Number(fromId[2]);
  }
  return out;
}

/** Transition query rows (task/fromStatus/toStatus parsed by Insights) → typed transitions, oldest first. */
export function toTransitions(records: InsightsRecord[]): SubtaskTransition[] {
  const out: SubtaskTransition[] = [];
  for (const r of records) {
    const timestamp = parseInsightsTimestamp(r['@timestamp']);
    const task = r.task;
    const from = r.fromStatus;
    const to = r.toStatus;
    if (timestamp === undefined || !task || !from || !to) continue;
    out.push({ timestamp, ...parseTaskDescription(task), from, to });
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

const TRANSITION = /^(?<task>.+?) switched from (?<from>[A-Z_]+) to (?<to>[A-Z_]+)/;

/**
 * The exception logged with a FAILED transition. MSF logs are JSON events whose `message` is the
 * log line and whose `throwableInformation` carries the stack trace (a string, or an array of
 * lines); plain log4j text carries the trace in the lines after the first, or after
 * "with failure cause:" (Flink's Task logs "… switched from RUNNING to FAILED with failure cause:").
 */
export function exceptionOf(record: InsightsRecord): { line: string; exceptionText?: string } {
  let line = record.message ?? '';
  let throwable: string | undefined = record.throwableInformation;
  const raw = record['@message'];
  if (raw?.startsWith('{')) {
    try {
      const j = JSON.parse(raw) as { message?: unknown; throwableInformation?: unknown };
      if (typeof j.message === 'string') line = line || j.message;
      if (Array.isArray(j.throwableInformation)) throwable = j.throwableInformation.map(String).join('\n');
      else if (typeof j.throwableInformation === 'string') throwable = j.throwableInformation;
    } catch {
      /* not JSON: treated as text below */
    }
  } else if (raw && !line) line = raw;
  if (throwable?.startsWith('[')) {
    try {
      const arr = JSON.parse(throwable) as unknown;
      if (Array.isArray(arr)) throwable = arr.map(String).join('\n');
    } catch {
      /* a string that merely starts with '[' */
    }
  }
  const [first = '', ...rest] = line.split(/\r?\n/);
  if (throwable?.trim()) return { line: first, exceptionText: throwable.trim() };
  const cause = /with failure cause:\s*([\s\S]+)$/.exec(line);
  if (cause?.[1]?.trim()) return { line: first, exceptionText: cause[1].trim() };
  if (rest.join('\n').trim()) return { line: first, exceptionText: rest.join('\n').trim() };
  return { line: first };
}

/**
 * The first failure of a loop from the failure query's rows: the earliest FAILED transition of
 * attempt #0 that carries an exception; else the earliest FAILED one with an exception (runtimes
 * that print no attempt number, or a loop that began after earlier restarts).
 */
export function pickFirstFailure(records: InsightsRecord[]): FirstFailure | undefined {
  const candidates: FirstFailure[] = [];
  for (const r of records) {
    const timestamp = parseInsightsTimestamp(r['@timestamp']);
    if (timestamp === undefined) continue;
    const { line, exceptionText } = exceptionOf(r);
    const m = TRANSITION.exec(line);
    if (!exceptionText || !m?.groups || m.groups.to !== 'FAILED') continue;
    const t = parseTaskDescription(m.groups.task ?? '');
    const f: FirstFailure = { timestamp, task: t.task, exceptionText };
    if (t.attempt !== undefined) f.attempt = t.attempt;
    candidates.push(f);
  }
  candidates.sort((a, b) => a.timestamp - b.timestamp);
  return candidates.find((c) => c.attempt === 0) ?? candidates[0];
}
