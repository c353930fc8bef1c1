import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/clock.js';
import { badInput, fromUnknown, StreamctlError } from '../../src/core/errors.js';
import { exitCodeFor, worst } from '../../src/core/severity.js';

describe('errors', () => {
  it('badInput names file, field and expectation with exit 65', () => {
    const e = badInput('plan.json', 'partitions[3].replicas', 'distinct broker ids', '[1,1]');
    expect(e.message).toBe('plan.json: partitions[3].replicas: expected distinct broker ids (got [1,1])');
    expect(e.exitCode).toBe(65);
  });

  it.each([
    [{ name: 'AccessDeniedException', message: 'no' }, 77],
    [{ name: 'ThrottlingException', message: 'slow down' }, 75],
    [{ name: 'KafkaJSConnectionError', message: 'Connection error: connect ECONNREFUSED 127.0.0.1:1' }, 69],
    [{ name: 'Error', message: 'boom', $metadata: { httpStatusCode: 403 } }, 77],
    [new TypeError('x is undefined'), 70],
  ])('maps %o to exit %i', (err, code) => {
    expect(fromUnknown(err, 'ctx').exitCode).toBe(code);
  });

  it('keeps a StreamctlError as is', () => {
    const e = new StreamctlError('X', 'y', { exitCode: 69 });
    expect(fromUnknown(e, 'ctx')).toBe(e);
  });
});

describe('severity', () => {
  it.each([
    [['OK', 'WARNING'], 'WARNING', 1],
    [['WARNING', 'UNKNOWN'], 'UNKNOWN', 3],
    [['UNKNOWN', 'CRITICAL'], 'CRITICAL', 2],
    [[], 'OK', 0],
  ] as const)('worst of %o is %s (exit %i)', (list, w, code) => {
    expect(worst(...list)).toBe(w);
    expect(exitCodeFor(worst(...list))).toBe(code);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['15', 15_000],
  ])('%s → %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it('rejects garbage', () => expect(parseDuration('ten minutes')).toBeUndefined());
});
