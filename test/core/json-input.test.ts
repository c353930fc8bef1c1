import { describe, expect, it } from 'vitest';
import { Sysexit } from '../../src/core/exit-codes.js';
import { jsonSyntaxMessage, parseJsonInput } from '../../src/core/json-input.js';

const SECRET = 'hunter2-json-SECRET-0a1b';
const messageOf = (text: string) => {
  try {
    JSON.parse(text);
  } catch (e) {
    return jsonSyntaxMessage(e, text);
  }
  throw new Error('parsed');
};

describe('JSON syntax errors of input files', () => {
  it.each([
    [`{"password": ${SECRET}}`, 'Unexpected token (the text is not shown)'],
    [`{"a": 1,\n "password": "${SECRET}" x}`, "Expected ',' or '}' after property value at line 2, column"],
    [`{"token": "${SECRET}`, 'Unterminated string at line 1, column'],
    ['{"a": 1}\n x', 'Unexpected non-whitespace character after JSON at line 2, column 2'],
    ['', 'Unexpected end of JSON input'],
  ])('never echo the source: %j', (text, said) => {
    const m = messageOf(text);
    expect(m).toContain(said);
    expect(m).not.toContain(SECRET.slice(0, 8));
    expect(m).not.toContain('SECRET');
  });

  it('are bad input (65) naming the file', () => {
    expect(() => parseJsonInput(`{"password": ${SECRET}}`, 'plan.json')).toThrow(
      expect.objectContaining({ exitCode: Sysexit.DATAERR, message: expect.stringContaining('plan.json') }),
    );
    expect(parseJsonInput('{"a": [1]}', 'ok.json')).toEqual({ a: [1] });
  });
});
