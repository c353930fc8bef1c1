import { GetMetricDataCommand, type MetricDataQuery, ValidationException } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMetricData, MAX_QUERIES } from '../../peers/sandbox/aws-emulator/cloudwatch/get-metric-data.js';
import { MetricStore } from '../../peers/sandbox/aws-emulator/cloudwatch/store.js';
import { AwsError } from '../../peers/sandbox/aws-emulator/errors.js';
import { startFakeEmulator, T0 } from './helpers.js';

const NS = 'AWS/KinesisAnalytics';
const dims = [{ Name: 'Application', Value: 'orders' }];
const MIN = 60_000;

/** A restart counter sampled every 20 s: 0,0,0 | 1,2,3 | (gap) | 0,1,1 (reset by a new job). */
function restartStore(): MetricStore {
  const s = new MetricStore();
  const samples = [
    [0, 0],
    [20, 0],
    [40, 0],
    [60, 1],
    [80, 2],
    [100, 3],
    [180, 0],
    [200, 1],
    [220, 1],
  ].map(([sec, v]) => ({ t: T0 + sec! * 1000, v: v! }));
  s.put(NS, 'fullRestarts', dims, samples);
  return s;
}

const stat = (id: string, metricName = 'fullRestarts', extra: Partial<MetricDataQuery> = {}) => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: NS, MetricName: metricName, Dimensions: dims },
    Period: 60,
    Stat: 'Maximum',
  },
  ...extra,
});
const range = { StartTime: T0 / 1000, EndTime: (T0 + 10 * MIN) / 1000 };

describe('GetMetricData (pure)', () => {
  it('aggregates raw samples into per-period Maximum datapoints, newest first by default', () => {
    const r = getMetricData(restartStore(), { ...range, MetricDataQueries: [stat('r')] });
    expect(r.MetricDataResults[0]).toMatchObject({
      Id: 'r',
      Label: 'fullRestarts',
      Timestamps: [(T0 + 3 * MIN) / 1000, (T0 + MIN) / 1000, T0 / 1000],
      Values: [1, 3, 0],
      StatusCode: 'Complete',
    });
  });

  it('computes DIFF over existing datapoints: a counter reset is a negative step, a gap is skipped', () => {
    const r = getMetricData(restartStore(), {
      ...range,
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        stat('r', 'fullRestarts', { ReturnData: false }),
        { Id: 'd', Expression: 'DIFF(r)' },
      ],
    });
    expect(r.MetricDataResults).toHaveLength(1);
    expect(r.MetricDataResults[0]).toMatchObject({
      Id: 'd',
      Timestamps: [(T0 + MIN) / 1000, (T0 + 3 * MIN) / 1000],
      Values: [3, -2],
    });
  });

  it('computes RATE per second', () => {
    const r = getMetricData(restartStore(), {
      ...range,
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        stat('r', 'fullRestarts', { ReturnData: false }),
        { Id: 'x', Expression: 'RATE(r)' },
      ],
    });
    expect(r.MetricDataResults[0]!.Values[0]).toBeCloseTo(3 / 60);
  });

  it.each([
    [MAX_QUERIES - 1, true],
    [MAX_QUERIES, true],
    [MAX_QUERIES + 1, false],
  ])('accepts %i queries: %s', (n, ok) => {
    const queries = Array.from({ length: n }, (_, i) => stat(`q${i}`));
    const run = () => getMetricData(restartStore(), { ...range, MetricDataQueries: queries });
    if (ok) expect(run().MetricDataResults).toHaveLength(n);
    else expect(run).toThrow(/must not have a size greater than 500/);
  });

  it.each([
    [
      'an Id that starts with an upper-case letter',
      { MetricDataQueries: [stat('Bad')] },
      /Id must start with a lowercase letter/,
    ],
    ['duplicated ids', { MetricDataQueries: [stat('a'), stat('a')] }, /duplicated/],
    [
      'a query with neither MetricStat nor Expression',
      { MetricDataQueries: [{ Id: 'a' }] },
      /exactly one of MetricStat and Expression/,
    ],
    [
      'an expression the emulator does not support',
      { MetricDataQueries: [stat('a'), { Id: 'b', Expression: 'ANOMALY_DETECTION_BAND(a)' }] },
      /not supported by the emulator/,
    ],
    [
      'a reference to an unknown id',
      { MetricDataQueries: [{ Id: 'b', Expression: 'DIFF(zz)' }] },
      /unknown id zz/,
    ],
    [
      'a Period that is not a multiple of 60',
      { MetricDataQueries: [{ ...stat('a'), MetricStat: { ...stat('a').MetricStat, Period: 90 } }] },
      /Period/,
    ],
  ])('rejects %s with a ValidationError', (_what, body, message) => {
    let caught: unknown;
    try {
      getMetricData(restartStore(), { ...range, ...body });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AwsError);
    expect((caught as AwsError).queryCode).toBe('ValidationError');
    expect((caught as AwsError).message).toMatch(message);
  });

  it('pages datapoints by MaxDatapoints with NextToken, PartialData on a cut series', () => {
    const store = restartStore();
    const body = {
      ...range,
      ScanBy: 'TimestampAscending',
      MaxDatapoints: 2,
      MetricDataQueries: [stat('a'), stat('b')],
    };
    const pages = [getMetricData(store, body)];
    while (pages[pages.length - 1]!.NextToken)
      pages.push(getMetricData(store, { ...body, NextToken: pages[pages.length - 1]!.NextToken }));
    expect(
      pages.map((p) => p.MetricDataResults.map((r) => `${r.Id}:${r.Values.join(',')}:${r.StatusCode}`)),
    ).toEqual([['a:0,3:PartialData'], ['a:1:Complete', 'b:0:PartialData'], ['b:3,1:Complete']]);
  });
});

describe('GetMetricData through the SDK', () => {
  let ctx: Awaited<ReturnType<typeof startFakeEmulator>>;
  beforeAll(async () => {
    ctx = await startFakeEmulator();
  });
  afterAll(async () => {
    await ctx.emu.stop();
  });

  it('raises the SDK ValidationException beyond 500 queries', async () => {
    const queries = Array.from({ length: 501 }, (_, i) => stat(`q${i}`));
    const call = ctx.clients.cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0),
        EndTime: new Date(T0 + MIN),
        MetricDataQueries: queries,
      }),
    );
    await expect(call).rejects.toBeInstanceOf(ValidationException);
  });

  it('serves injected series (e.g. AWS/Kafka per broker) and counts one call per request', async () => {
    ctx.emu.control.resetCallCounts();
    ctx.emu.control.putBrokerMetric('prod', 1, 'KafkaDataLogsDiskUsed', [
      { timestamp: T0 + 5_000, value: 61.5 },
    ]);
    const r = await ctx.clients.cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0),
        EndTime: new Date(T0 + MIN),
        MetricDataQueries: [
          {
            Id: 'disk',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Kafka',
                MetricName: 'KafkaDataLogsDiskUsed',
                Dimensions: [
                  { Name: 'Cluster Name', Value: 'prod' },
                  { Name: 'Broker ID', Value: '1' },
                ],
              },
              Period: 60,
              Stat: 'Maximum',
            },
          },
        ],
      }),
    );
    expect(r.MetricDataResults![0]).toMatchObject({ Id: 'disk', Values: [61.5], Timestamps: [new Date(T0)] });
    expect(ctx.emu.control.callCounts()).toEqual({ 'cloudwatch.GetMetricData': 1 });
  });
});
