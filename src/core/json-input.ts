/**
 * JSON syntax errors of input files, said without echoing the source. V8's messages quote the text
 * around the error (`Unexpected token 'h', ..."assword": hunter2-SE"... is not valid JSON`): a
 * plan or snapshot with an inline credential printed part of it. The quoted text is dropped and a
 * position becomes a line and a column; what remains goes through the value redaction as well.
 */
import { badInput } from './errors.js';
import { redactString } from './redact.js';

/** The line and column (from 1) of a character offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - nl };
}

/** A JSON.parse error's message with no source text in it, located by line and column when V8 says where. */
export function jsonSyntaxMessage(e: unknown, text: string): string {
  const raw = (e as Error)?.message ?? String(e);
  let msg = raw
    // `Unexpected token 'x', "…" is not valid JSON` (and the `..."…"...` excerpt form): no excerpt.
    .replace(/^Unexpected token .*? is not valid JSON$/s, 'Unexpected token (the text is not shown)');
  const at = /^(.*?)\s*(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/s.exec(msg);
  if (at) {
    const { line, column } = lineCol(text, Number(at[2]));
    msg = `${at[1]} at line ${line}, column ${column}`;
  }
  return redactString(msg.split('\n')[0]!.slice(0, 200));
}

/** Parses an input file's JSON text; a syntax error is bad input (65) naming the file. */
export function parseJsonInput(text: string, file: string, expected = 'valid JSON'): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badInput(file, '(file)', expected, jsonSyntaxMessage(e, text));
  }
}
