import { beforeAll, describe, expect, it } from 'vitest';
import { Sysexit } from '../../../src/core/exit-codes.js';
import {
  evaluateSubtasks,
  FlinkRestError,
  type FlinkRestPort,
} from '../../../src/probes/flink-rest/index.js';

/** What a contract run needs: a port and the id of a healthy job whose subtasks all run. */
export interface ContractContext {
  port: FlinkRestPort;
  runningJobId: string;
}

/**
 * The FlinkRestPort contract (docs/design.md §6): run against the fake (fake.test.ts) and against a real
 * Flink 1.20 cluster (real-flink.test.ts), so the fake cannot drift from what Flink does.
 */
export function flinkRestContract(name: string, setup: () => Promise<ContractContext>): void {
  describe(`FlinkRestPort contract: ${name}`, () => {
    let ctx: ContractContext;

    beforeAll(async () => {
      ctx = await setup();
    });

    it('jobs(), jobsOverview() and job() agree on the running job', async () => {
      const listed = (await ctx.port.jobs()).find((j) => j.id === ctx.runningJobId);
      const summary = (await ctx.port.jobsOverview()).find((j) => j.id === ctx.runningJobId);
      const job = await ctx.port.job(ctx.runningJobId);

      expect(listed?.state).toBe('RUNNING');
      expect(summary).toMatchObject({ state: 'RUNNING', name: job.name });
      expect(summary?.subtasks.RUNNING).toBe(job.subtasks.RUNNING);
    });

    it('job() subtask counts are the sum over its vertices, and all of them run', async () => {
      const job = await ctx.port.job(ctx.runningJobId);
      const running = job.vertices.reduce((n, v) => n + (v.tasks.RUNNING ?? 0), 0);
      const parallelism = job.vertices.reduce((n, v) => n + v.parallelism, 0);

      expect(job.subtasks.RUNNING).toBe(running);
      expect(running).toBe(parallelism);
      expect(evaluateSubtasks(job).kind).toBe('all-running');
    });

    it('an unknown job is a not-found FlinkRestError (exit 65)', async () => {
      const e = await ctx.port.job('0123456789abcdef0123456789abcdef').catch((err: unknown) => err);

      expect(e).toBeInstanceOf(FlinkRestError);
      expect(e).toMatchObject({ failure: 'not-found', exitCode: Sysexit.DATAERR, httpStatus: 404 });
    });

    it('a malformed id is refused before any call (exit 64)', async () => {
      await expect(ctx.port.exceptions('../../jobmanager/config')).rejects.toMatchObject({
        code: 'USAGE',
        exitCode: Sysexit.USAGE,
      });
    });

    it('a healthy job has no exception history and a restart count of 0 (or none yet)', async () => {
      const ex = await ctx.port.exceptions(ctx.runningJobId);
      const restarts = await ctx.port.restartCount(ctx.runningJobId);

      expect(ex.entries).toEqual([]);
      expect(restarts === undefined || restarts.value === 0).toBe(true);
    });

    it('checkpoint counts add up: total = completed + failed + in progress', async () => {
      const { counts } = await ctx.port.checkpoints(ctx.runningJobId);

      expect(counts.total).toBe(counts.completed + counts.failed + counts.inProgress);
    });

    it('overview() and config() report the same Flink 1.20 version', async () => {
      const overview = await ctx.port.overview();
      const config = await ctx.port.config();

      expect(overview.flinkVersion).toMatch(/^1\.20\.\d+$/);
      expect(config.flinkVersion).toBe(overview.flinkVersion);
      expect(overview.taskManagers).toBeGreaterThanOrEqual(1);
      expect(overview.jobsRunning).toBeGreaterThanOrEqual(1);
    });
  });
}
