import { describe, expect, it } from 'vitest';
import { planSelfManaged, previousJars } from '../../../src/services/flink/self-managed-lifecycle.js';

const jar = (id: string, uploaded: number) => ({ id, name: `${id}.jar`, uploaded });

describe('self-managed rollback and force-stop plans', () => {
  it('picks the jar before the one the running job was started from', () => {
    const jars = [jar('v1', 100), jar('v2', 200), jar('v3-not-deployed', 400)];
    expect(previousJars(jars, 300)).toEqual({ current: jar('v2', 200), previous: jar('v1', 100) });
    expect(previousJars([jar('only', 100)], 300)).toEqual({ current: jar('only', 100) });
  });

  it('rolls back by cancelling the job and running the previous jar from the last savepoint', () => {
    const p = planSelfManaged('sessions', 'rollback', {
      jobId: 'a'.repeat(32),
      jobName: 'sessions v2',
      previousJar: jar('v1', 100),
      restorePath: 'file:/sp/savepoint-1',
      restoreKind: 'savepoint',
      restoreAt: 1_000,
    });
    expect(p).toMatchObject({
      allowed: true,
      selfManaged: { jobId: 'a'.repeat(32), jarId: 'v1', savepointPath: 'file:/sp/savepoint-1' },
    });
    expect(p.explanation.join(' ')).toMatch(/restored from the last savepoint file:\/sp\/savepoint-1/);
  });

  it.each([
    [{ previousJar: jar('v1', 1), restorePath: 'p' }, 'no Flink job is running'],
    [{ jobId: 'x', restorePath: 'p' }, 'no previous jar'],
    [{ jobId: 'x', previousJar: jar('v1', 1) }, 'would lose all state'],
  ])('refuses a rollback without %o (%s)', (facts, why) => {
    const p = planSelfManaged('sessions', 'rollback', facts);
    expect(p.allowed).toBe(false);
    expect(p.refusals.join(' ')).toContain(why);
  });

  it('force-stop cancels without a savepoint and says how to restart', () => {
    const p = planSelfManaged('sessions', 'force-stop', {
      jobId: 'x',
      currentJar: jar('v2', 2),
      restorePath: 'file:/cp/chk-9',
      restoreKind: 'checkpoint',
    });
    expect(p.allowed).toBe(true);
    expect(p.explanation[0]).toMatch(/WITHOUT a savepoint/);
    expect(p.explanation[1]).toMatch(/savepointPath file:\/cp\/chk-9/);
  });
});
