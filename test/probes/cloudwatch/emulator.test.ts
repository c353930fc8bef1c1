import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudWatchProbe } from '../../../src/probes/cloudwatch/index.js';
import type { CloudWatchPort, MetricMathAlarm } from '../../../src/probes/cloudwatch/port.js';
import { flinkAppQuery, kafkaBrokerQuery } from '../../../src/probes/cloudwatch/queries.js';
import { startEmulatorWithClients, T0 } from '../emulator.js';

/** The CloudWatch adapter end to end: client factory → real SDK (AWS JSON 1.0) → AWS emulator. */
const MIN = 60_000;
let env: Awaited<ReturnType<typeof startEmulatorWithClients>>;
let cw: CloudWatchPort;

beforeAll(async () => {
  env = await startEmulatorWithClients();
  cw = createCloudWatchProbe(env.clients.cloudWatch());
});
afterAll(async () => {
  await env?.stop();
});

describe('CloudWatch adapter through the AWS emulator', () => {
  it('reads a restart counter per minute with the gap kept unknown', async () => {
    // Samples every 20 s in minutes 0, 1 and 3; minute 2 has none.
    const samples = [
      [0, 0],
      [20, 0],
      [40, 1],
      [60, 2],
      [80, 3],
      [100, 3],
      [180, 7],
      [200, 8],
    ].map(([s, v]) => ({ timestamp: T0 + (s as number) * 1000, value: v as number }));
    env.emu.control.putSeries(
      'AWS/KinesisAnalytics',
      'fullRestarts',
      [{ Name: 'Application', Value: 'orders-msf' }],
      samples,
    );

    const [s] = await cw.getMetricSeries(
      [flinkAppQuery('orders', 'orders-msf', 'restarts', { runtime: 'FLINK-1_20' })],
      {
        start: T0,
        end: T0 + 4 * MIN,
        periodSec: 60,
      },
    );

    expect(s?.status).toBe('complete');
    expect(s?.points).toEqual([
      { t: T0, value: 1 },
      { t: T0 + MIN, value: 3 },
      { t: T0 + 2 * MIN, value: undefined },
      { t: T0 + 3 * MIN, value: 8 },
    ]);
  });

  it('splits 600 broker queries into a 500-query call and a 100-query call, results mapped back', async () => {
    for (let b = 0; b < 600; b++)
      env.emu.control.putBrokerMetric('big', b, 'KafkaDataLogsDiskUsed', [{ timestamp: T0, value: b / 10 }]);
    const before = env.emu.control.callCounts()['cloudwatch.GetMetricData'] ?? 0;

    const series = await cw.getMetricSeries(
      Array.from({ length: 600 }, (_, b) => kafkaBrokerQuery('big', 'big', b, 'KafkaDataLogsDiskUsed')),
      { start: T0, end: T0 + MIN, periodSec: 60 },
    );

    expect((env.emu.control.callCounts()['cloudwatch.GetMetricData'] ?? 0) - before).toBe(2);
    expect(series.map((s) => s.points[0]?.value)).toEqual(Array.from({ length: 600 }, (_, b) => b / 10));
    expect(series[599]?.key).toEqual({
      target: 'big',
      metric: 'KafkaDataLogsDiskUsed',
      dimension: 'broker=599',
    });
  });

  it('installs, describes, tags and deletes a metric-math alarm', async () => {
    const alarm: MetricMathAlarm = {
      name: 'streamctl-orders-restart-loop',
      description: 'restarts per minute',
      metrics: [
        {
          id: 'r',
          metric: {
            namespace: 'AWS/KinesisAnalytics',
            metricName: 'fullRestarts',
            dimensions: [{ name: 'Application', value: 'orders-msf' }],
            periodSec: 60,
            stat: 'Maximum',
          },
          returnData: false,
        },
        { id: 'loop', expression: 'DIFF(r)', returnData: true },
      ],
      comparison: 'GreaterThanThreshold',
      threshold: 2,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: 'missing',
      tags: { 'streamctl:managed': 'true' },
    };
    await cw.putMetricAlarm(alarm);
    const [info] = await cw.describeAlarms('streamctl-orders');
    expect(info).toMatchObject({
      name: alarm.name,
      threshold: 2,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 3,
      metricCount: 2,
    });
    expect(info?.arn).toBeTruthy();
    await cw.tagResource(info?.arn as string, { 'streamctl:hash': 'abc123' });
    expect(await cw.listTagsForResource(info?.arn as string)).toEqual({
      'streamctl:managed': 'true',
      'streamctl:hash': 'abc123',
    });
    await cw.deleteAlarms([alarm.name]);
    expect(await cw.describeAlarms('streamctl-orders')).toEqual([]);
  });
});
