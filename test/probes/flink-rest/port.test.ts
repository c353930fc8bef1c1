import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sysexit } from '../../../src/core/exit-codes.js';
import { DirectTransport, type FlinkRestPort, flinkRestPort } from '../../../src/probes/flink-rest/index.js';
import { type StrictServer, strictServer } from './strict-server.js';

/** Payloads captured from a real Flink 1.20.5 cluster running the streamctl test job. */
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}

const HEALTHY = 'af33191206afbf78fafe9b017a752944';
const LOOPING = '0a794e765610fcf762e4da01a00eddc7';
const VERTEX = '9c32e3838cee893dbb2fc90ccad79598';

let server: StrictServer;
let port: FlinkRestPort;

beforeEach(async () => {
  server = await strictServer();
  port = flinkRestPort(new DirectTransport(server.url));
});

afterEach(async () => {
  server.verify();
  await server.close();
});

describe('flinkRestPort over real Flink 1.20 payloads', () => {
  it('jobs(): ids and states', async () => {
    server.expect({ path: '/jobs', body: fixture('jobs') });

    expect(await port.jobs()).toEqual([
      { id: HEALTHY, state: 'RUNNING' },
      { id: LOOPING, state: 'RESTARTING' },
    ]);
  });

  it('jobsOverview(): maps the lower-case task keys to upper-case SubtaskCounts and drops "total"', async () => {
    server.expect({ path: '/jobs/overview', body: fixture('jobs-overview') });

    const jobs = await port.jobsOverview();

    expect(jobs).toEqual([
      {
        id: LOOPING,
        name: 'orders-enricher v2',
        state: 'RESTARTING',
        startTime: 1795308944172,
        durationMs: 11259,
        lastModification: 1795308955211,
        subtasks: {
          RUNNING: 0,
          CANCELING: 0,
          CANCELED: 1,
          CREATED: 0,
          SCHEDULED: 0,
          DEPLOYING: 0,
          RECONCILING: 0,
          FINISHED: 0,
          INITIALIZING: 0,
          FAILED: 1,
        },
        totalSubtasks: 2,
      },
      expect.objectContaining({
        id: HEALTHY,
        state: 'RUNNING',
        totalSubtasks: 4,
        subtasks: expect.objectContaining({ RUNNING: 4 }),
      }),
    ]);
  });

  it('job(): vertices with their tasks per state; subtasks summed over vertices (status-counts counts vertices)', async () => {
    // The fixture's status-counts is {RUNNING: 2}: two vertices of parallelism 2, i.e. four subtasks.
    server.expect({ path: `/jobs/${HEALTHY}`, body: fixture('job-healthy') });

    const job = await port.job(HEALTHY);

    expect(job).toMatchObject({
      id: HEALTHY,
      name: 'orders-enricher v1',
      state: 'RUNNING',
      subtasks: { RUNNING: 4, FAILED: 0 },
    });
    expect(job.vertices.map((v) => [v.name, v.parallelism, v.status, v.tasks.RUNNING])).toEqual([
      ['Source: orders-source', 2, 'RUNNING', 2],
      ['Enrich -> discard: Writer', 2, 'RUNNING', 2],
    ]);
  });

  it('exceptions(): the history newest first with the NPE’s user frame, plus the legacy root-exception', async () => {
    server.expect({
      path: `/jobs/${LOOPING}/exceptions?maxExceptions=3`,
      body: fixture('exceptions-user-error'),
    });

    const ex = await port.exceptions(LOOPING, 3);

    expect(ex.truncated).toBe(true);
    expect(ex.entries).toHaveLength(3);
    expect(ex.entries[0]).toMatchObject({
      exceptionName: 'java.lang.NullPointerException',
      taskName: 'Enrich -> discard: Writer (1/1) - execution #7',
      taskManagerId: 'taskmanager-1',
      location: 'localhost:33347',
      concurrent: 0,
    });
    expect(ex.entries[0]?.failureLabels).toBeUndefined(); // {} carries nothing
    expect(ex.entries[0]?.stacktrace).toContain('\tat com.acme.streamctl.testjob.Enrich.map(Enrich.java:74)');
    expect(ex.entries.map((e) => e.timestamp)).toEqual(
      [...ex.entries.map((e) => e.timestamp)].sort((a, b) => b - a),
    );
    expect(ex.rootException?.stacktrace).toMatch(/^java\.lang\.NullPointerException\n/);
  });

  it('exceptions() of a healthy job: empty history, no root exception', async () => {
    server.expect({
      path: `/jobs/${HEALTHY}/exceptions?maxExceptions=10`,
      body: fixture('exceptions-healthy'),
    });

    expect(await port.exceptions(HEALTHY)).toEqual({ entries: [], truncated: false });
  });

  it('metrics(): numbers as numbers, text as text', async () => {
    server.expect({
      path: `/jobs/${HEALTHY}/metrics?get=numRestarts%2CfullRestarts%2ClastCheckpointExternalPath%2Cuptime`,
      body: fixture('metrics-healthy'),
    });

    const m = await port.metrics(HEALTHY, [
      'numRestarts',
      'fullRestarts',
      'lastCheckpointExternalPath',
      'uptime',
    ]);

    expect(m).toMatchObject({ numRestarts: 0, fullRestarts: 0, uptime: expect.any(Number) });
    expect(m.lastCheckpointExternalPath).toMatch(/^file:.*\/chk-5$/);
  });

  it.each([
    [
      'both counters',
      [
        { id: 'numRestarts', value: '7' },
        { id: 'fullRestarts', value: '7' },
      ],
      { metric: 'numRestarts', value: 7 },
    ],
    [
      'only fullRestarts (an older runtime)',
      [{ id: 'fullRestarts', value: '4' }],
      { metric: 'fullRestarts', value: 4 },
    ],
    [
      'only numRestarts (Flink 2.x)',
      [{ id: 'numRestarts', value: '2' }],
      { metric: 'numRestarts', value: 2 },
    ],
    ['neither yet (metrics not fetched)', [], undefined],
  ])('restartCount() with %s', async (_label, body, expected) => {
    server.expect({ path: `/jobs/${LOOPING}/metrics?get=numRestarts%2CfullRestarts`, body });

    expect(await port.restartCount(LOOPING)).toEqual(expected);
  });

  it('checkpoints(): counts, the latest completed one and a restore', async () => {
    server.expect({ path: `/jobs/${LOOPING}/checkpoints`, body: fixture('checkpoints-user-error') });

    const c = await port.checkpoints(LOOPING);

    expect(c.counts).toEqual({ completed: 1, failed: 1, inProgress: 0, restored: 4, total: 2 });
    expect(c.latestCompleted).toMatchObject({
      id: 1,
      isSavepoint: false,
      triggeredAt: 1795308951493,
      completedAt: 1795308951510,
      durationMs: 17,
      sizeBytes: 2010,
    });
    expect(c.latestCompleted?.externalPath).toMatch(/\/chk-1$/);
    expect(c.restored).toMatchObject({ id: 1, restoredAt: 1795308957838, isSavepoint: false });
    expect(c.latestSavepoint).toBeUndefined();
  });

  it('backpressure(): level and per-subtask ratios', async () => {
    server.expect({
      path: `/jobs/${HEALTHY}/vertices/${VERTEX}/backpressure`,
      body: fixture('backpressure'),
    });

    expect(await port.backpressure(HEALTHY, VERTEX)).toEqual({
      status: 'ok',
      level: 'ok',
      measuredAt: 1795308958573,
      subtasks: [
        { subtask: 0, level: 'ok', ratio: 0, idleRatio: 1, busyRatio: 0 },
        { subtask: 1, level: 'ok', ratio: 0, idleRatio: 1, busyRatio: 0 },
      ],
    });
  });

  it('overview() and config(): version, TaskManagers and slots', async () => {
    server.expect(
      { path: '/overview', body: fixture('overview') },
      { path: '/config', body: fixture('config') },
    );

    expect(await port.overview()).toEqual({
      taskManagers: 1,
      slotsTotal: 4,
      slotsAvailable: 1,
      jobsRunning: 2,
      jobsFinished: 0,
      jobsCancelled: 0,
      jobsFailed: 0,
      flinkVersion: '1.20.5',
    });
    expect(await port.config()).toMatchObject({
      flinkVersion: '1.20.5',
      refreshIntervalMs: 3000,
      features: { 'web-submit': true },
    });
  });

  it('a 404 names the endpoint and Flink’s reason', async () => {
    const missing = '00000000000000000000000000000000';
    server.expect({ path: `/jobs/${missing}`, status: 404, body: fixture('job-notfound') });

    await expect(port.job(missing)).rejects.toThrow(
      `Flink REST GET jobs/${missing}: HTTP 404: Job ${missing} not found`,
    );
  });
});

describe('bad payloads name the endpoint and the field, and never echo values', () => {
  const job = fixture('job-healthy') as Record<string, unknown> & {
    vertices: Array<Record<string, unknown>>;
  };

  it.each([
    ['a missing state', { ...job, state: undefined }, 'state: expected a string (got undefined)'],
    [
      'tasks that are not a record',
      { ...job, vertices: [{ ...job.vertices[0], tasks: 'RUNNING' }] },
      'vertices.0.tasks: expected a record (got string)',
    ],
    [
      'a non-numeric status count',
      { ...job, 'status-counts': { RUNNING: 'two' } },
      'status-counts.RUNNING: expected a number (got string)',
    ],
  ])('/jobs/:id with %s', async (_label, body, field) => {
    server.expect({ path: `/jobs/${HEALTHY}`, body });

    const e = await port.job(HEALTHY).catch((err: unknown) => err);

    expect(e).toMatchObject({ code: 'BAD_INPUT', exitCode: Sysexit.DATAERR });
    expect((e as Error).message).toBe(`Flink REST GET /jobs/:id response: ${field}`);
  });

  it('an HTML page where JSON was expected', async () => {
    server.expect({ path: '/overview', body: '<html>login</html>' });

    await expect(port.overview()).rejects.toThrow(
      'Flink REST GET /overview response: (root): expected an object (got string)',
    );
  });
});

describe('ids go into the path, so only Flink ids are accepted', () => {
  it.each(['../jobmanager/config', 'abc', `${HEALTHY}/../../x`, ''])(
    'refuses job id %j without calling Flink (exit 64)',
    async (id) => {
      const e = await port.job(id).catch((err: unknown) => err);

      expect(e).toMatchObject({ code: 'USAGE', exitCode: Sysexit.USAGE });
    },
  );
});
