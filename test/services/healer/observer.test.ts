import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { DashboardUnavailable } from '../../../src/probes/flink-rest/index.js';
import { LiveFleetObserver } from '../../../src/services/healer/observer.js';
import type { FakeCloudWatch } from '../../fakes/cloudwatch/fake.js';
import { FakeFlinkRest } from '../../fakes/flink-rest/fake.js';
import {
  configOf,
  fakePorts,
  jobView,
  MIN,
  NOW,
  NPE,
  policy,
  putRestarts,
  realCloudWatchProbe,
  restWithJob,
} from './fixtures.js';

const JOB = 'a'.repeat(32);

function observer(
  config: ReturnType<typeof configOf>,
  ports: ReturnType<typeof fakePorts>['ports'],
  rest: FakeFlinkRest = new FakeFlinkRest(),
  warnings: string[] = [],
) {
  return new LiveFleetObserver({
    config,
    policy,
    ports,
    restPort: () => rest,
    clock: new VirtualClock(NOW),
    warn: (msg) => warnings.push(msg),
  });
}

describe('LiveFleetObserver base tier: one GetMetricData per 500 applications', () => {
  const cw = mockClient(CloudWatchClient);
  beforeEach(() => {
    cw.reset();
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
        Id: q.Id,
        Timestamps: [input.StartTime as Date],
        Values: [0],
        StatusCode: 'Complete',
      })),
    }));
  });
  afterEach(() => cw.reset());

  it.each([
    [1, 1],
    [500, 1],
    [501, 2],
    [1200, 3],
  ])('%i discovered applications → %i GetMetricData call(s), no per-app call', async (apps, calls) => {
    const f = fakePorts({ cw: realCloudWatchProbe() });
    for (let i = 0; i < apps; i++)
      f.msf.add({ applicationName: `app-${i}`, runtime: i % 2 ? 'FLINK-2_2' : 'FLINK-1_20' });
    const obs = await observer(configOf({ flink: { discoverManaged: true } }), f.ports).observe(NOW);

    expect(obs).toHaveLength(apps);
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, calls);
    for (const c of cw.commandCalls(GetMetricDataCommand))
      expect(c.args[0].input.MetricDataQueries!.length).toBeLessThanOrEqual(500);
    expect(f.msf.calls.map((c) => c.method)).toEqual(['listApplications']);
  });

  it('asks Maximum per 1-minute period of fullRestarts, or numRestarts on FLINK-2_2, over the slow rule span + pending + 1 periods', async () => {
    const f = fakePorts({ cw: realCloudWatchProbe() });
    f.msf.add({ applicationName: 'old', runtime: 'FLINK-1_20' });
    f.msf.add({ applicationName: 'new', runtime: 'FLINK-2_2' });
    const o = observer(configOf({ flink: { discoverManaged: true } }), f.ports);
    await o.observe(NOW);

    const input = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    const stats = input.MetricDataQueries!.map((q) => q.MetricStat!);
    expect(stats.map((s) => [s.Metric!.MetricName, s.Stat, s.Period])).toEqual([
      ['fullRestarts', 'Maximum', 60],
      ['numRestarts', 'Maximum', 60],
    ]);
    expect(o.periods).toBe((3 - 1) * 15 + 1 + 2 + 1);
    expect((input.EndTime as Date).getTime() - (input.StartTime as Date).getTime()).toBe(
      (o.periods - 1) * MIN + 30_000,
    );
  });
});

describe('LiveFleetObserver base tier: values and unknowns', () => {
  it('maps the counter per period with gaps kept as undefined (unknown, not zero)', async () => {
    const f = fakePorts();
    f.msf.add({ applicationName: 'orders', runtime: 'FLINK-1_20', versionId: 7 });
    putRestarts(f.cw as FakeCloudWatch, 'orders', [0, 0, undefined, 3, 6, 9, undefined, undefined]);
    const config = configOf({
      flink: { applications: [{ name: 'orders', managed: { applicationName: 'orders' } }] },
    });

    const [o] = await observer(config, f.ports).observe(NOW);

    expect(o!.app).toMatchObject({
      name: 'orders',
      kind: 'managed',
      status: 'RUNNING',
      versionId: 7,
      region: 'us-east-1',
    });
    expect(o!.account).toBe('123456789012');
    expect(o!.restarts).toMatchObject({ metric: 'fullRestarts', source: 'cloudwatch', periodMs: MIN });
    // The newest 8 of the look-back; the older periods have no datapoint here (unknown).
    expect(o!.restarts!.points.slice(-8).map((p) => p.value)).toEqual([
      0,
      0,
      undefined,
      3,
      6,
      9,
      undefined,
      undefined,
    ]);
  });

  it('a failed GetMetricData leaves the counter unknown and does not fail the tick', async () => {
    const f = fakePorts();
    f.msf.add({ applicationName: 'orders' });
    (f.cw as FakeCloudWatch).getMetricSeries = async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    };
    const warnings: string[] = [];
    const [o] = await observer(
      configOf({ flink: { discoverManaged: true } }),
      f.ports,
      undefined,
      warnings,
    ).observe(NOW);
    expect(o!.restarts).toBeUndefined();
    expect(warnings).toEqual(['GetMetricData failed: restart counters unknown this tick']);
  });

  it('a suspect re-check describes only the suspects (no ListApplications, no tags)', async () => {
    const f = fakePorts();
    f.msf.add({ applicationName: 'a' });
    f.msf.add({ applicationName: 'b' });
    const o = observer(configOf({ flink: { discoverManaged: true } }), f.ports);
    await o.observe(NOW);
    f.msf.calls.length = 0;

    const obs = await o.observe(NOW + 15_000, ['b']);

    expect(obs.map((x) => x.app.name)).toEqual(['b']);
    expect(f.msf.calls).toEqual([{ method: 'describeApplication', args: ['b', { tags: false }] }]);
  });

  it('a configured application missing from ListApplications is reported, not invented', async () => {
    const f = fakePorts();
    const warnings: string[] = [];
    const config = configOf({
      flink: { applications: [{ name: 'gone', managed: { applicationName: 'gone' } }] },
    });
    expect(await observer(config, f.ports, undefined, warnings).observe(NOW)).toEqual([]);
    expect(warnings).toEqual(['configured application not found by ListApplications']);
  });

  it('self-managed jobs: numRestarts sampled per tick into a per-minute series kept in memory', async () => {
    const f = fakePorts();
    const rest = restWithJob(jobView(JOB, 'orders-enricher v2', { RUNNING: 2 }), [], { numRestarts: 4 });
    const config = configOf({
      flink: { applications: [{ name: 'sm', rest: { url: 'http://127.0.0.1:8081' } }] },
    });
    const o = observer(config, f.ports, rest);

    await o.observe(NOW - 2 * MIN);
    rest.updateJob(JOB, { metrics: { numRestarts: 9 } });
    const [obs] = await o.observe(NOW);

    expect(obs!.app).toMatchObject({ name: 'sm', kind: 'self-managed', status: 'RUNNING' });
    expect(obs!.restarts).toMatchObject({ metric: 'numRestarts', source: 'flink-rest' });
    expect(obs!.restarts!.points.slice(-3).map((p) => p.value)).toEqual([4, undefined, 9]);
  });
});

describe('LiveFleetObserver enriched tier', () => {
  const config = configOf({
    flink: { applications: [{ name: 'orders', managed: { applicationName: 'orders-msf' } }] },
  });

  function world() {
    const f = fakePorts();
    f.msf.add(
      {
        applicationName: 'orders-msf',
        versionId: 3,
        snapshotsEnabled: true,
        tags: { 'streamctl:healing': 'off' },
      },
      {
        snapshots: [
          { name: 's1', status: 'READY', createTime: new Date(NOW - 30 * MIN).toISOString() },
          { name: 's2', status: 'FAILED', createTime: new Date(NOW - 20 * MIN).toISOString() },
        ],
        operations: [
          {
            operationId: 'op-upd',
            operation: 'UpdateApplication',
            status: 'SUCCESSFUL',
            startTime: new Date(NOW - 9 * MIN).toISOString(),
            endTime: new Date(NOW - 8 * MIN).toISOString(),
            versionFrom: 2,
            versionTo: 3,
          },
        ],
      },
    );
    putRestarts(f.cw as FakeCloudWatch, 'orders-msf', [0, 0, 0, 0, 3, 6, 9, undefined]);
    return f;
  }

  it('adds tags, operations with details, READY snapshots and the loop failures from Flink REST', async () => {
    const f = world();
    const rest = restWithJob(jobView(JOB, 'orders-enricher v2', { RUNNING: 1, FAILED: 1 }), [
      {
        exceptionName: 'java.lang.NullPointerException',
        stacktrace: `${NPE} (late)`,
        timestamp: NOW - 1 * MIN,
      },
      { exceptionName: 'java.lang.NullPointerException', stacktrace: NPE, timestamp: NOW - 3 * MIN },
    ]);
    const o = observer(config, f.ports, rest);
    const base = await o.observe(NOW);

    const [e] = await o.enrich(base, NOW, { subtasksFor: new Set() });

    expect(e!.app).toMatchObject({
      name: 'orders',
      tags: { 'streamctl:healing': 'off' },
      snapshotsEnabled: true,
    });
    expect(e!.app).not.toHaveProperty('environmentProperties');
    expect(e!.operations![0]).toMatchObject({ operation: 'UpdateApplication', versionTo: 3 });
    expect(e!.snapshots).toMatchObject({ count: 1, latest: { name: 's1' } });
    expect(e!.failures!.map((x) => [x.source, x.at])).toEqual([
      ['exceptions', NOW - 3 * MIN],
      ['exceptions', NOW - 1 * MIN],
    ]);
    expect(e!.subtasks).toBeUndefined();
    expect(rest.calls.some((c) => c.startsWith('job '))).toBe(false);
  });

  it('failure texts are read once per minute while the loop goes on, not at every re-check', async () => {
    const f = world();
    const rest = restWithJob(jobView(JOB, 'orders-enricher v2', { RUNNING: 1 }), [
      { exceptionName: 'java.lang.NullPointerException', stacktrace: NPE, timestamp: NOW - 3 * MIN },
    ]);
    const o = observer(config, f.ports, rest);
    const reads = () => rest.calls.filter((c) => c.startsWith('exceptions')).length;
    for (const t of [NOW, NOW + 15_000, NOW + 59_999])
      await o.enrich(await o.observe(NOW), t, { subtasksFor: new Set() });
    expect(reads()).toBe(1);
    await o.enrich(await o.observe(NOW), NOW + 60_000, { subtasksFor: new Set() });
    expect(reads()).toBe(2);
  });

  it('polls subtasks through REST only for the apps the tick names', async () => {
    const f = world();
    const rest = restWithJob(jobView(JOB, 'orders-enricher v1', { RUNNING: 2 }));
    const o = observer(config, f.ports, rest);
    const [e] = await o.enrich(await o.observe(NOW), NOW, { subtasksFor: new Set(['orders']) });
    expect(e!.subtasks).toMatchObject({
      available: true,
      observedAt: NOW,
      job: { subtasks: { RUNNING: 2 } },
    });
  });

  it('dashboard unavailable: subtasks say so, and the first failure comes from CloudWatch Logs Insights', async () => {
    const f = world();
    f.msf.apps.get('orders-msf')!.detail.logTargets = [{ logGroupName: '/aws/kinesis-analytics/orders-msf' }];
    f.logs.answer(() => true, {
      records: [
        {
          '@timestamp': '2026-11-22 00:05:00.000',
          '@message': JSON.stringify({
            message: 'Enrich (1/1)#0 (abc) switched from RUNNING to FAILED with failure cause:',
            throwableInformation: NPE,
          }),
        },
      ],
    });
    const rest = new FakeFlinkRest().failWith(new DashboardUnavailable('UPDATING'));
    const o = observer(config, f.ports, rest);

    const [e] = await o.enrich(await o.observe(NOW), NOW, { subtasksFor: new Set(['orders']) });

    expect(e!.subtasks).toMatchObject({ available: false, reason: 'dashboard-unavailable' });
    expect(e!.failures).toEqual([{ at: Date.UTC(2026, 10, 22, 0, 5), text: NPE, source: 'logs' }]);
  });

  it('no restarts in the window: no failure texts are fetched (no REST polling of a quiet job)', async () => {
    const f = world();
    const quiet = fakePorts();
    quiet.msf.apps.set('orders-msf', f.msf.apps.get('orders-msf')!);
    putRestarts(quiet.cw as FakeCloudWatch, 'orders-msf', [9, 9, 9, 9, 9, 9, 9, 9]);
    const rest = restWithJob(jobView(JOB, 'x', { RUNNING: 1 }));
    const o = observer(config, quiet.ports, rest);
    const [e] = await o.enrich(await o.observe(NOW), NOW, { subtasksFor: new Set() });
    expect(e!.failures).toBeUndefined();
    expect(rest.calls).toEqual([]);
  });

  it('an enrichment failure keeps the base observation (unknown fields stay undefined)', async () => {
    const f = world();
    const warnings: string[] = [];
    const o = observer(config, f.ports, undefined, warnings);
    const base = await o.observe(NOW);
    f.msf.failNext('describeApplication', new Error('AccessDeniedException'));
    const [e] = await o.enrich(base, NOW, { subtasksFor: new Set() });
    expect(e).toEqual(base[0]);
    expect(warnings).toEqual(['enrichment failed: this app keeps its base observation']);
  });
});

describe('LiveFleetObserver enriched tier, self-managed Flink', () => {
  it('job submissions stand in for operations; the previous jar and the savepoint the job restored from are found', async () => {
    const f = fakePorts();
    const OLD = 'e'.repeat(32);
    const rest = new FakeFlinkRest()
      .setJob({
        view: { ...jobView(OLD, 'orders-enricher', { CANCELED: 2 }, 'CANCELED'), startTime: NOW - 30 * MIN },
      })
      .setJob({
        view: {
          ...jobView(JOB, 'orders-enricher', { RUNNING: 1, FAILED: 1 }, 'RESTARTING'),
          startTime: NOW - 5 * MIN,
        },
        metrics: { numRestarts: 7 },
        exceptions: [
          { exceptionName: 'java.lang.NullPointerException', stacktrace: NPE, timestamp: NOW - 4 * MIN },
        ],
        checkpoints: {
          counts: { completed: 0, failed: 0, inProgress: 0, restored: 1, total: 0 },
          restored: {
            id: 3,
            restoredAt: NOW - 5 * MIN,
            isSavepoint: true,
            externalPath: 'file:/sp/savepoint-1',
          },
        },
      });
    const config = configOf({
      flink: {
        applications: [{ name: 'sm', rest: { url: 'http://127.0.0.1:8081', jobName: 'orders-enricher' } }],
      },
    });
    const o = new LiveFleetObserver({
      config,
      policy,
      ports: f.ports,
      restPort: () => rest,
      admin: () => ({
        jars: async () =>
          [
            { id: 'newest.jar', name: 'x', uploaded: NOW - 6 * MIN },
            { id: 'previous.jar', name: 'x', uploaded: NOW - 40 * MIN },
            { id: 'after.jar', name: 'x', uploaded: NOW - 1 * MIN },
          ].sort((a, b) => b.uploaded - a.uploaded),
        cancel: async () => {},
        runJar: async () => JOB,
      }),
      clock: new VirtualClock(NOW),
    });
    await o.observe(NOW - 2 * MIN);
    rest.updateJob(JOB, { metrics: { numRestarts: 19 } });
    const [e] = await o.enrich(await o.observe(NOW), NOW, { subtasksFor: new Set(['sm']) });

    expect(e!.operations!.map((op) => [op.operation, op.operationId])).toEqual([
      ['SubmitJob', OLD],
      ['SubmitJob', JOB],
      ['UpdateApplication', `deploy-${JOB}`],
    ]);
    expect(e!.selfManaged).toEqual({
      jobId: JOB,
      previousJarId: 'previous.jar',
      lastSavepointPath: 'file:/sp/savepoint-1',
    });
    expect(e!.failures).toEqual([{ at: NOW - 4 * MIN, text: NPE, source: 'exceptions' }]);
    expect(e!.subtasks).toMatchObject({ available: true, job: { id: JOB } });
  });
});
