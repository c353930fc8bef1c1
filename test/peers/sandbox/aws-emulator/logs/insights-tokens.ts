/**
 * The Logs Insights tokenizer: names (also `@field`, dotted, backticked), "strings", numbers,
 * /regular expressions/flags (a leading `(?i)` becomes the `i` flag, as JS lacks inline flags),
 * durations such as `5m`, and operators.
 */
import { err } from '../errors.js';

const malformed = (m: string) => err.logsMalformedQuery(m);

export type Tok =
  | { t: 'id'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 're'; v: RegExp; src: string }
  | { t: 'op'; v: string };

export function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/') {
      let j = i + 1;
      let src = '';
      while (j < q.length && q[j] !== '/') {
        if (q[j] === '\\' && j + 1 < q.length) {
          src += q[j]! + q[j + 1]!;
          j += 2;
        } else src += q[j++]!;
      }
      if (j >= q.length) throw malformed(`unterminated regular expression starting at column ${i + 1}`);
      j++;
      let flags = '';
      while (j < q.length && /[a-z]/.test(q[j]!)) flags += q[j++]!;
      out.push({ t: 're', v: makeRegex(src, flags), src });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < q.length && q[j] !== c) {
        if (q[j] === '\\' && j + 1 < q.length) {
          v += q[j + 1]!;
          j += 2;
        } else v += q[j++]!;
      }
      if (j >= q.length) throw malformed(`unterminated string starting at column ${i + 1}`);
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = q.indexOf('`', i + 1);
      if (j < 0) throw malformed(`unterminated backtick name at column ${i + 1}`);
      out.push({ t: 'id', v: q.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const two = q.slice(i, i + 2);
    if (['!=', '<=', '>=', '=~'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('|,()=<>*'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?(?![A-Za-z_@.])/.exec(q.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[@A-Za-z_][\w@.$-]*/.exec(q.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const dur = /^\d+(?:ms|s|m|h|d)\b/.exec(q.slice(i));
    if (dur) {
      out.push({ t: 'id', v: dur[0] });
      i += dur[0].length;
      continue;
    }
    throw malformed(`unexpected character '${c}' at column ${i + 1}`);
  }
  return out;
}

function makeRegex(src: string, flags: string): RegExp {
  let s = src;
  let f = flags.replace(/[^imsu]/g, '');
  // Logs Insights (Java-style) writes case-insensitivity inline; JS needs the flag.
  if (s.startsWith('(?i)')) {
    s = s.slice(4);
    if (!f.includes('i')) f += 'i';
  }
  try {
    return new RegExp(s, f);
  } catch (e) {
    throw malformed(`invalid regular expression /${src}/: ${(e as Error).message}`);
  }
}
