import { describe, expect, it } from 'vitest';
import { validateSnapshot } from '../../src/domain/snapshot.js';
import type { Json } from '../helpers/json.js';

const good = () => ({
  version: 1,
  cluster: 'c',
  capturedAt: '2026-11-22T00:00:00Z',
  brokers: [{ id: 1 }, { id: 2, rack: 'a' }],
  partitions: [{ topic: 't', partition: 0, replicas: [1, 2], leader: 1, sizeBytes: 10 }],
});

describe('validateSnapshot', () => {
  it('accepts the format of docs/design.md §3 with extra fields', () => {
    const s = { ...good(), extra: true };
    expect(validateSnapshot(s, 'f.json').brokers).toHaveLength(2);
  });

  it.each([
    [(s: Json) => (s.version = 2), 'f.json: version: expected the number 1 (got 2)'],
    [
      (s: Json) => (s.partitions[0].replicas = [1, 9]),
      'f.json: partitions[0].replicas[1]: expected the id of a broker listed in brokers (got 9)',
    ],
    [
      (s: Json) => (s.partitions[0].replicas = [1, 1]),
      'f.json: partitions[0].replicas: expected distinct broker ids (got [1,1])',
    ],
    [
      (s: Json) => (s.partitions[0].sizeBytes = -1),
      'f.json: partitions[0].sizeBytes: expected a non-negative number of bytes up to 9007199254740991 (got -1)',
    ],
    [
      (s: Json) => s.brokers.push({ id: 1 }),
      'f.json: brokers[2].id: expected a unique broker id (got duplicate 1)',
    ],
  ])('names the field of bad input %#', (mutate, message) => {
    const s = good();
    mutate(s);
    expect(() => validateSnapshot(s, 'f.json')).toThrow(message);
  });
});
