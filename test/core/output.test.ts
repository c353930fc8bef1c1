import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, renderTable } from '../../src/core/output.js';

describe('renderTable', () => {
  it('aligns columns and stays plain when piped', () => {
    const out = renderTable(
      [
        { id: 1, name: 'a', n: 5 },
        { id: 22, name: 'bbb', n: 1234 },
      ],
      [
        { header: 'ID', get: (r) => r.id, align: 'right' },
        { header: 'NAME', get: (r) => r.name },
        { header: 'N', get: (r) => r.n, align: 'right' },
      ],
      { isTTY: false, write: () => true },
    );
    expect(out).toBe(['ID  NAME     N', ' 1  a        5', '22  bbb   1234', ''].join('\n'));
  });
});

describe('formatters', () => {
  it.each([
    [0, '0 B'],
    [1536, '1.5 KiB'],
    [5 * 1024 ** 4, '5.0 TiB'],
  ])('formatBytes(%i) = %s', (n, s) => expect(formatBytes(n)).toBe(s));
  it.each([
    [45_000, '45s'],
    [125_000, '2m 5s'],
    [3_600_000, '1h'],
    [30 * 86_400_000, '30d'],
  ])('formatDuration(%i) = %s', (n, s) => expect(formatDuration(n)).toBe(s));
});
