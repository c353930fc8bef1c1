import { describe, expect, it } from 'vitest';
import { applyReassignment, parseReassignment } from '../../src/domain/reassignment.js';
import { validateSnapshot } from '../../src/domain/snapshot.js';

const plan = (log_dirs: string[]) =>
  JSON.stringify({ version: 1, partitions: [{ topic: 't', partition: 0, replicas: [2, 1], log_dirs }] });
const snap = () =>
  validateSnapshot(
    {
      version: 1,
      cluster: 'c',
      brokers: [1, 2].map((id) => ({ id, logDirs: [{ path: '/a' }, { path: '/b' }] })),
      partitions: [
        { topic: 't', partition: 0, replicas: [1, 2], leader: 1, sizeBytes: 5, logDirs: ['/a', '/a'] },
      ],
    },
    'snap.json',
  );

describe('explicit log_dirs in a plan', () => {
  it.each([
    [
      ['data', 'any'],
      /plan\.json: partitions\[0\]\.log_dirs\[0\]: expected "any" or an absolute log dir path \(got "data"\)/,
    ],
    [['any'], /plan\.json: partitions\[0\]\.log_dirs: expected one entry per replica \(2\)/],
  ])('the parser refuses %j naming the file and field', (dirs, message) => {
    expect(() => parseReassignment(plan(dirs), 'plan.json')).toThrow(message);
  });

  it('refuses a path its broker does not have in the snapshot, naming the field and the broker’s dirs', () => {
    const r = parseReassignment(plan(['any', '/c']), 'plan.json');
    expect(() => applyReassignment(snap(), r, { file: 'plan.json' })).toThrow(
      /plan\.json: partitions\[0\]\.log_dirs\[1\]: expected "any" or a log dir of broker 1 \(\/a, \/b\) \(got "\/c"\)/,
    );
  });

  it('applies named dirs and keeps the others where they were', () => {
    const r = parseReassignment(plan(['any', '/b']), 'plan.json');
    expect(applyReassignment(snap(), r).partitions[0]).toMatchObject({
      replicas: [2, 1],
      logDirs: ['/a', '/b'],
    });
  });
});
