import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEmulator } from './helpers.js';

describe('CloudWatch alarms', () => {
  let ctx: Awaited<ReturnType<typeof startFakeEmulator>>;
  beforeAll(async () => {
    ctx = await startFakeEmulator();
  });
  afterAll(async () => {
    await ctx.emu.stop();
  });

  const mathAlarm = (name: string, returning: number, queries = 2) => ({
    AlarmName: name,
    EvaluationPeriods: 5,
    DatapointsToAlarm: 5,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold' as const,
    Tags: [{ Key: 'owner', Value: 'streamctl' }],
    Metrics: Array.from({ length: queries }, (_, i) =>
      i === 0
        ? {
            Id: 'r',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/KinesisAnalytics',
                MetricName: 'fullRestarts',
                Dimensions: [{ Name: 'Application', Value: 'orders' }],
              },
              Period: 60,
              Stat: 'Maximum',
            },
            ReturnData: returning > 1,
          }
        : { Id: `e${i}`, Expression: 'DIFF(r)', ReturnData: i <= returning },
    ),
  });

  it('stores a metric-math alarm with its tags and describes it by prefix', async () => {
    await ctx.clients.cw.send(new PutMetricAlarmCommand(mathAlarm('streamctl-orders-restarts', 1)));
    const { MetricAlarms } = await ctx.clients.cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'streamctl-' }),
    );
    expect(MetricAlarms).toHaveLength(1);
    expect(MetricAlarms![0]).toMatchObject({
      AlarmName: 'streamctl-orders-restarts',
      StateValue: 'INSUFFICIENT_DATA',
      EvaluationPeriods: 5,
    });
    expect(MetricAlarms![0]!.Metrics).toHaveLength(2);
    const tags = await ctx.clients.cw.send(
      new ListTagsForResourceCommand({ ResourceARN: MetricAlarms![0]!.AlarmArn }),
    );
    expect(tags.Tags).toEqual([{ Key: 'owner', Value: 'streamctl' }]);
  });

  it.each([
    ['two queries returning data', mathAlarm('bad1', 2)],
    ['more than 20 queries', mathAlarm('bad2', 1, 21)],
  ])('rejects %s with ValidationException', async (_what, alarm) => {
    await expect(ctx.clients.cw.send(new PutMetricAlarmCommand(alarm))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });

  it('deletes alarms, and an unknown name is ResourceNotFound', async () => {
    await ctx.clients.cw.send(new PutMetricAlarmCommand(mathAlarm('to-delete', 1)));
    await ctx.clients.cw.send(new DeleteAlarmsCommand({ AlarmNames: ['to-delete'] }));
    expect(
      (await ctx.clients.cw.send(new DescribeAlarmsCommand({ AlarmNames: ['to-delete'] }))).MetricAlarms,
    ).toEqual([]);
    await expect(
      ctx.clients.cw.send(new DeleteAlarmsCommand({ AlarmNames: ['never-existed'] })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
