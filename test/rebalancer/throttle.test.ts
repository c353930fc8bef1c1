import { describe, expect, it } from 'vitest';
import {
  type BrokerTraffic,
  batchDurationMs,
  formatRate,
  parseRate,
  planDurationMs,
  throttleWarnings,
} from '../../src/rebalancer/throttle.js';

describe('parseRate', () => {
  it.each([
    ['50MB/s', 50e6],
    ['90MiB/s', 90 * 1024 ** 2],
    ['1GB/s', 1e9],
    ['1.5GB/s', 1.5e9],
    ['2GiB/s', 2 * 1024 ** 3],
    ['500kB/s', 500e3],
    ['500KB/s', 500e3],
    ['100000', 100000],
    ['100000B/s', 100000],
    ['50MBps', 50e6],
    ['50 MB/s', 50e6],
    ['50MB', 50e6],
  ])('%s → %d bytes/s', (text, expected) => {
    expect(parseRate(text)).toBe(expected);
  });

  it.each([
    ['50Mb/s', 'is in bits'],
    ['fast', 'is not a rate'],
    ['', 'is not a rate'],
    ['-5MB/s', 'is not a rate'],
    ['0MB/s', 'must be more than 0'],
    ['5PB/s', 'is not a rate'],
  ])('%s is a usage error (%s)', (text, message) => {
    expect(() => parseRate(text)).toThrow(
      expect.objectContaining({ code: 'USAGE', exitCode: 64, message: expect.stringContaining(message) }),
    );
  });

  it('names the flag', () => {
    expect(() => parseRate('x', '--produce-rate')).toThrow(/--produce-rate/);
  });

  it.each([
    [50e6, '50 MB/s'],
    [1.5e9, '1.5 GB/s'],
    [999, '999 B/s'],
  ])('formats %d as %s', (v, text) => expect(formatRate(v)).toBe(text));
});

describe('duration at a throttle', () => {
  it('a batch lasts as long as its busiest broker, in either direction', () => {
    expect(batchDurationMs({ inbound: { 1: 100e6, 2: 20e6 }, outbound: { 3: 50e6 } }, 10e6)).toBe(10_000);
    expect(batchDurationMs({ inbound: { 1: 10e6 }, outbound: { 3: 50e6 } }, 10e6)).toBe(5_000);
  });

  it('batches run one after the other', () => {
    const batches: BrokerTraffic[] = [
      { inbound: { 1: 100e6 }, outbound: { 2: 100e6 } },
      { inbound: { 2: 30e6 }, outbound: { 1: 30e6 } },
    ];
    expect(planDurationMs(batches, 10e6)).toBe(13_000);
  });
});

describe('throttle warnings', () => {
  it.each([
    { throttle: 10e6, produce: 20e6, warning: 'never catch up' },
    { throttle: 20e6, produce: 20e6, warning: 'never catch up' },
    { throttle: 23e6, produce: 20e6, warning: 'slowly' },
    { throttle: 24e6, produce: 20e6, warning: undefined },
    { throttle: 50e6, produce: undefined, warning: undefined },
    { throttle: undefined, produce: 20e6, warning: undefined },
  ])('throttle $throttle vs produce $produce', ({ throttle, produce, warning }) => {
    const w = throttleWarnings(throttle, produce);
    if (warning === undefined) expect(w).toEqual([]);
    else expect(w).toEqual([expect.stringContaining(warning)]);
  });
});
