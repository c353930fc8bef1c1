import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../src/domain/flink.js';
import { DashboardUnavailable, evaluateSubtasks } from '../../../src/probes/flink-rest/index.js';
import { FakeFlinkRest } from '../../fakes/flink-rest/fake.js';
import { flinkRestContract } from './contract.js';

const JOB = 'af33191206afbf78fafe9b017a752944';
const SOURCE = '45b0254a46cabbc3efeea5d2e170ea5b';
const ENRICH = '9c32e3838cee893dbb2fc90ccad79598';

function healthyView(): JobView {
  return {
    id: JOB,
    name: 'orders-enricher v1',
    state: 'RUNNING',
    startTime: 1795308943932,
    subtasks: { RUNNING: 2 },
    vertices: [
      { id: SOURCE, name: 'Source: orders-source', parallelism: 1, status: 'RUNNING', tasks: { RUNNING: 1 } },
      {
        id: ENRICH,
        name: 'Enrich -> discard: Writer',
        parallelism: 1,
        status: 'RUNNING',
        tasks: { RUNNING: 1 },
      },
    ],
  };
}

function fakeWithHealthyJob(): FakeFlinkRest {
  return new FakeFlinkRest().setJob({ view: healthyView(), metrics: { numRestarts: 0, fullRestarts: 0 } });
}

flinkRestContract('fake', async () => ({ port: fakeWithHealthyJob(), runningJobId: JOB }));

describe('FakeFlinkRest', () => {
  it('plays a restart loop: the view and the counter change as the test says', async () => {
    const fake = fakeWithHealthyJob();

    fake.updateJob(JOB, {
      view: { ...healthyView(), state: 'RESTARTING', subtasks: { CANCELED: 1, FAILED: 1 } },
      metrics: { numRestarts: 5 },
      exceptions: [
        {
          exceptionName: 'java.lang.NullPointerException',
          stacktrace: 'java.lang.NullPointerException\n\tat com.acme.Enrich.map(Enrich.java:42)',
          timestamp: 2,
        },
      ],
    });

    expect(evaluateSubtasks(await fake.job(JOB)).kind).toBe('failed');
    expect(await fake.restartCount(JOB)).toEqual({ metric: 'numRestarts', value: 5 });
    expect((await fake.exceptions(JOB, 1)).entries[0]?.exceptionName).toBe('java.lang.NullPointerException');
  });

  it('fails every call with the error given (an MSF application that is UPDATING), and records the calls', async () => {
    const fake = fakeWithHealthyJob().failWith(new DashboardUnavailable('UPDATING'));

    await expect(fake.job(JOB)).rejects.toThrow('dashboard unavailable: application is UPDATING');
    fake.failWith(undefined);
    await fake.jobs();

    expect(fake.calls).toEqual([`job ${JOB}`, 'jobs']);
  });

  it('returns copies: a caller cannot change the fake’s state by mutating a result', async () => {
    const fake = fakeWithHealthyJob();
    const view = await fake.job(JOB);

    view.state = 'FAILED';

    expect((await fake.job(JOB)).state).toBe('RUNNING');
  });
});
