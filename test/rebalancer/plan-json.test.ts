import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/core/fs.js';
import type { ClusterSnapshot } from '../../src/domain/snapshot.js';
import {
  applyReassignment,
  formatReassignment,
  parseReassignment,
  readReassignmentFile,
  toReassignment,
  toRollback,
} from '../../src/rebalancer/plan.js';
import type { PartitionChange } from '../../src/rebalancer/planner.js';

const changes: PartitionChange[] = [
  {
    topic: 'orders',
    partition: 0,
    current: [1, 2, 3],
    target: [4, 2, 3],
    sizeBytes: 10,
    adding: [4],
    removing: [1],
  },
  {
    topic: 'orders',
    partition: 1,
    current: [2, 3, 1],
    target: [3, 2, 1],
    sizeBytes: 10,
    adding: [],
    removing: [],
  },
];

describe("Kafka's reassignment JSON", () => {
  it('lists only the changed partitions, target order kept, log_dirs "any"', () => {
    expect(toReassignment(changes)).toEqual({
      version: 1,
      partitions: [
        { topic: 'orders', partition: 0, replicas: [4, 2, 3], log_dirs: ['any', 'any', 'any'] },
        { topic: 'orders', partition: 1, replicas: [3, 2, 1], log_dirs: ['any', 'any', 'any'] },
      ],
    });
  });

  it('the rollback plan is the current assignment of the same partitions', () => {
    expect(toRollback(changes).partitions.map((p) => p.replicas)).toEqual([
      [1, 2, 3],
      [2, 3, 1],
    ]);
  });

  it('formats one partition per line and parses back', () => {
    const text = formatReassignment(toReassignment(changes));
    expect(text.split('\n')).toHaveLength(5);
    expect(parseReassignment(text, 'plan.json')).toEqual(toReassignment(changes));
    expect(formatReassignment({ version: 1, partitions: [] })).toBe('{"version":1,"partitions":[]}\n');
  });

  it('accepts entries without log_dirs and with extra fields (as Kafka writes them)', () => {
    const r = parseReassignment(
      '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1]}],"extra":1}',
      'p.json',
    );
    expect(r.partitions[0]).toMatchObject({ topic: 't', partition: 0, replicas: [1] });
  });

  it.each([
    ['{', 'p.json: (file): expected valid JSON'],
    ['{"version":2,"partitions":[]}', 'p.json: version: expected the number 1'],
    ['{"version":1}', 'p.json: partitions: expected an array of partitions'],
    [
      '{"version":1,"partitions":[{"topic":"","partition":0,"replicas":[1]}]}',
      'p.json: partitions[0].topic: expected a topic name',
    ],
    [
      '{"version":1,"partitions":[{"topic":"t","partition":-1,"replicas":[1]}]}',
      'p.json: partitions[0].partition: expected a non-negative integer',
    ],
    [
      '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[]}]}',
      'p.json: partitions[0].replicas: expected a non-empty array',
    ],
    [
      '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":["a"]}]}',
      'p.json: partitions[0].replicas[0]: expected a non-negative integer broker id',
    ],
    [
      '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,1]}]}',
      'p.json: partitions[0].replicas: expected distinct broker ids (got broker 1 twice)',
    ],
    [
      '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any"]}]}',
      'p.json: partitions[0].log_dirs: expected one entry per replica (2)',
    ],
    [
      '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1]},{"topic":"t","partition":0,"replicas":[2]}]}',
      'p.json: partitions[1]: expected each topic-partition once (got t-0 twice)',
    ],
  ])('rejects %s with a message naming file and field', (text, message) => {
    expect(() => parseReassignment(text, 'p.json')).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', exitCode: 65, message: expect.stringContaining(message) }),
    );
  });
});

describe('plan files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamctl-rebal-'));

  it('writes atomically and leaves no temp file behind', () => {
    const file = join(dir, 'plan.json');
    writeFileAtomic(file, formatReassignment(toReassignment(changes)));
    expect(readReassignmentFile(file)).toEqual(toReassignment(changes));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the previous file intact when the new one cannot be written', () => {
    // A path under a regular file can never be created (ENOTDIR).
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    const file = join(dir, 'not-a-dir', 'plan.json');
    expect(() => writeFileAtomic(file, 'x')).toThrow(
      expect.objectContaining({ code: 'CANTCREAT', message: expect.stringContaining(file) }),
    );
    expect(existsSync(file)).toBe(false);
  });

  it('names the file when it cannot be read', () => {
    expect(() => readReassignmentFile(join(dir, 'nope.json'))).toThrow(
      /nope\.json: no such reassignment plan/,
    );
  });

  it('reads a plan written by hand', () => {
    const file = join(dir, 'hand.json');
    writeFileSync(
      file,
      '{"version":1,"partitions":[{"topic":"t","partition":3,"replicas":[2,1],"log_dirs":["any","any"]}]}',
    );
    expect(readFileSync(file, 'utf8')).toContain('"t"');
    expect(readReassignmentFile(file).partitions[0]!.replicas).toEqual([2, 1]);
  });
});

describe('applying a plan to a snapshot', () => {
  const snap: ClusterSnapshot = {
    version: 1,
    cluster: 'c',
    capturedAt: '2026-11-22T00:00:00Z',
    brokers: [1, 2, 3, 4].map((id) => ({ id })),
    partitions: [
      { topic: 'orders', partition: 0, replicas: [1, 2, 3], leader: 1, sizeBytes: 10 },
      { topic: 'orders', partition: 1, replicas: [2, 3, 1], leader: 2, sizeBytes: 10 },
    ],
  };

  it('sets the target replicas and the leader to the first one, without touching the input', () => {
    const after = applyReassignment(snap, toReassignment(changes));
    expect(after.partitions.map((p) => [p.replicas, p.leader])).toEqual([
      [[4, 2, 3], 4],
      [[3, 2, 1], 3],
    ]);
    expect(snap.partitions[0]!.replicas).toEqual([1, 2, 3]);
  });

  it('the rollback plan restores the snapshot', () => {
    const back = applyReassignment(applyReassignment(snap, toReassignment(changes)), toRollback(changes));
    expect(back.partitions.map((p) => p.replicas)).toEqual(snap.partitions.map((p) => p.replicas));
  });

  it.each([
    [
      '{"version":1,"partitions":[{"topic":"nope","partition":0,"replicas":[1]}]}',
      'plan: partitions[0]: expected a partition present in the snapshot (got nope-0)',
    ],
    [
      '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[9,2,3]}]}',
      'plan: partitions[0].replicas: expected brokers present in the snapshot (got broker 9)',
    ],
  ])('refuses %s', (text, message) => {
    expect(() => applyReassignment(snap, parseReassignment(text, 'plan'))).toThrow(message);
  });
});
