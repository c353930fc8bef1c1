import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StreamctlError } from '../../../src/core/errors.js';
import { createCloudWatchProbe } from '../../../src/probes/cloudwatch/index.js';
import { QUERY_ID } from '../../../src/probes/cloudwatch/map.js';
import type { AlarmMetric, MetricMathAlarm } from '../../../src/probes/cloudwatch/port.js';
import {
  flinkAppQuery,
  kafkaBrokerQuery,
  kafkaClusterQuery,
  millisBehindLatestQuery,
  restartMetricName,
} from '../../../src/probes/cloudwatch/queries.js';
import { FakeCloudWatch } from '../../fakes/cloudwatch/fake.js';
import { awsException, strictMock } from '../aws-mock.js';

const cw = mockClient(CloudWatchClient);
const probe = createCloudWatchProbe(new CloudWatchClient({ region: 'us-east-1' }));
const MIN = 60_000;
const T0 = Date.parse('2026-11-22T00:00:00Z');

async function caught(p: Promise<unknown>): Promise<StreamctlError> {
  try {
    await p;
  } catch (e) {
    return e as StreamctlError;
  }
  throw new Error('expected a rejection');
}

/** Answers every GetMetricData query with one datapoint per minute of the window, value = query index. */
function echoMetricData(input: GetMetricDataCommandInput) {
  return {
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
      Id: q.Id,
      Timestamps: [input.StartTime as Date],
      Values: [Number((q.Id as string).slice(1))],
      StatusCode: 'Complete',
    })),
  };
}

beforeEach(() => strictMock(cw));

describe('getMetricSeries', () => {
  const restarts = flinkAppQuery('orders', 'orders-msf', 'restarts', { runtime: 'FLINK-1_20' });
  const cpu = flinkAppQuery('orders', 'orders-msf', 'cpuUtilization');

  it('sends the exact GetMetricData shape, aligned start, ScanBy TimestampAscending', async () => {
    const input = {
      MetricDataQueries: [
        {
          Id: 'q0',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/KinesisAnalytics',
              MetricName: 'fullRestarts',
              Dimensions: [{ Name: 'Application', Value: 'orders-msf' }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
          ReturnData: true,
        },
        {
          Id: 'q1',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/KinesisAnalytics',
              MetricName: 'cpuUtilization',
              Dimensions: [{ Name: 'Application', Value: 'orders-msf' }],
            },
            Period: 60,
            Stat: 'Average',
          },
          ReturnData: true,
        },
      ],
      StartTime: new Date(T0),
      EndTime: new Date(T0 + 5 * MIN),
      ScanBy: 'TimestampAscending' as const,
    };
    cw.on(GetMetricDataCommand, input, true).resolves({
      MetricDataResults: [
        // Minutes 0, 1 and 4 reported; 2 and 3 missing.
        {
          Id: 'q0',
          Timestamps: [0, 1, 4].map((m) => new Date(T0 + m * MIN)),
          Values: [3, 3, 9],
          StatusCode: 'Complete',
        },
        { Id: 'q1', Timestamps: [], Values: [], StatusCode: 'Complete' },
      ],
    });

    // Start 17 s into the first minute: aligned down to T0.
    const [r, c] = await probe.getMetricSeries([restarts, cpu], {
      start: T0 + 17_000,
      end: T0 + 5 * MIN,
      periodSec: 60,
    });

    expect(r?.key).toEqual({ target: 'orders', metric: 'fullRestarts' });
    expect(r?.points).toEqual([
      { t: T0, value: 3 },
      { t: T0 + MIN, value: 3 },
      { t: T0 + 2 * MIN, value: undefined },
      { t: T0 + 3 * MIN, value: undefined },
      { t: T0 + 4 * MIN, value: 9 },
    ]);
    expect(r?.status).toBe('complete');
    expect(c?.points.every((p) => p.value === undefined)).toBe(true);
    expect(c?.points).toHaveLength(5);
  });

  it('follows NextToken and merges the pages of one query', async () => {
    const base = (token?: string) => ({ ...(token ? { NextToken: token } : {}) });
    cw.on(GetMetricDataCommand, base(), false)
      .resolvesOnce({
        MetricDataResults: [{ Id: 'q0', Timestamps: [new Date(T0)], Values: [1], StatusCode: 'PartialData' }],
        NextToken: 'page2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'q0', Timestamps: [new Date(T0 + MIN)], Values: [2], StatusCode: 'Complete' },
        ],
      });

    const [r] = await probe.getMetricSeries([restarts], { start: T0, end: T0 + 2 * MIN, periodSec: 60 });

    expect(r?.points.map((p) => p.value)).toEqual([1, 2]);
    expect(r?.status).toBe('complete');
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
    expect(cw).toHaveReceivedNthCommandWith(GetMetricDataCommand, 2, { NextToken: 'page2' });
  });

  it.each([
    [500, [500]],
    [501, [500, 1]],
    [1001, [500, 500, 1]],
  ])('splits %i queries into calls of %j, each result mapped back to its key', async (n, sizes) => {
    cw.on(GetMetricDataCommand).callsFake(echoMetricData);
    const queries = Array.from({ length: n }, (_, i) =>
      kafkaBrokerQuery('c1', 'cluster-1', i, 'KafkaDataLogsDiskUsed'),
    );

    const series = await probe.getMetricSeries(queries, { start: T0, end: T0 + MIN, periodSec: 60 });

    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.MetricDataQueries?.length)).toEqual(sizes);
    expect(series).toHaveLength(n);
    series.forEach((s, i) => {
      expect(s.key).toEqual({ target: 'c1', metric: 'KafkaDataLogsDiskUsed', dimension: `broker=${i}` });
      expect(s.id).toMatch(QUERY_ID);
      expect(s.points).toEqual([{ t: T0, value: i }]);
    });
  });

  it('reports Forbidden and unanswered queries instead of treating them as healthy', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: 'q0',
          Timestamps: [],
          Values: [],
          StatusCode: 'Forbidden',
          Messages: [{ Code: 'Forbidden', Value: 'no access' }],
        },
      ],
    });
    const [a, b] = await probe.getMetricSeries([restarts, cpu], { start: T0, end: T0 + MIN, periodSec: 60 });
    expect([a?.status, b?.status]).toEqual(['forbidden', 'error']);
    expect(a?.messages).toEqual(['Forbidden no access']);
    expect(b?.points).toEqual([{ t: T0, value: undefined }]);
  });

  it.each([0, 45, 90])('refuses a period of %i s without calling CloudWatch', async (periodSec) => {
    const err = await caught(probe.getMetricSeries([restarts], { start: T0, end: T0 + MIN, periodSec }));
    expect(err.code).toBe('USAGE');
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 0);
  });

  it('rejects a malformed response naming the API and the field', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'q0', Timestamps: [new Date(T0)], Values: ['7' as unknown as number] }],
    });
    const err = await caught(probe.getMetricSeries([restarts], { start: T0, end: T0 + MIN, periodSec: 60 }));
    expect(err.message).toBe(
      'cloudwatch GetMetricData response: MetricDataResults.0.Values.0: expected a number (got string)',
    );
  });

  it('maps throttling to a temporary failure', async () => {
    cw.on(GetMetricDataCommand).rejects(awsException('Throttling', 'Rate exceeded'));
    const err = await caught(probe.getMetricSeries([restarts], { start: T0, end: T0 + MIN, periodSec: 60 }));
    expect([err.code, err.exitCode, err.transient]).toEqual(['TEMPFAIL', 75, true]);
  });
});

describe('query builders', () => {
  it.each([
    ['FLINK-1_15', 'fullRestarts'],
    ['FLINK-1_20', 'fullRestarts'],
    ['FLINK-2_1', 'fullRestarts'],
    ['FLINK-2_2', 'numRestarts'],
    ['FLINK-3_0', 'numRestarts'],
    [undefined, 'fullRestarts'],
    ['SQL-1_0', 'fullRestarts'],
  ])('restart counter of %s is %s', (runtime, name) => {
    expect(restartMetricName(runtime)).toBe(name);
    expect(flinkAppQuery('a', 'a', 'restarts', runtime ? { runtime } : {}).metricName).toBe(name);
  });

  it('uses Maximum for counters and the documented dimensions', () => {
    expect(flinkAppQuery('a', 'msf-a', 'numberOfFailedCheckpoints')).toEqual({
      key: { target: 'a', metric: 'numberOfFailedCheckpoints' },
      namespace: 'AWS/KinesisAnalytics',
      metricName: 'numberOfFailedCheckpoints',
      dimensions: [{ name: 'Application', value: 'msf-a' }],
      stat: 'Maximum',
    });
    expect(millisBehindLatestQuery('a', 'msf-a', 'orders').dimensions).toEqual([
      { name: 'Application', value: 'msf-a' },
      { name: 'Id', value: 'orders' },
      { name: 'Flow', value: 'IN' },
    ]);
    expect(kafkaBrokerQuery('k', 'msk-1', 3, 'UnderReplicatedPartitions').dimensions).toEqual([
      { name: 'Cluster Name', value: 'msk-1' },
      { name: 'Broker ID', value: '3' },
    ]);
    expect(kafkaClusterQuery('k', 'msk-1', 'GlobalPartitionCount').stat).toBe('Maximum');
    expect(kafkaClusterQuery('k', 'msk-1', 'ActiveControllerCount').stat).toBe('Sum');
  });
});

describe('alarms', () => {
  const m = (id: string, returnData = false): AlarmMetric => ({
    id,
    metric: {
      namespace: 'AWS/KinesisAnalytics',
      metricName: 'fullRestarts',
      dimensions: [{ name: 'Application', value: 'a' }],
      periodSec: 60,
      stat: 'Maximum',
    },
    returnData,
  });
  const alarm = (metrics: AlarmMetric[]): MetricMathAlarm => ({
    name: 'streamctl-a-restarts',
    description: 'restart loop',
    metrics,
    comparison: 'GreaterThanThreshold',
    threshold: 2,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: 'missing',
    alarmActions: ['arn:aws:sns:us-east-1:123456789012:pages'],
    tags: { 'streamctl:managed': 'true' },
  });

  it('puts a metric-math alarm with the exact input', async () => {
    const a = alarm([
      m('restarts'),
      { id: 'loop', expression: 'DIFF(restarts)', label: 'restarts per minute', returnData: true },
    ]);
    const input = {
      AlarmName: 'streamctl-a-restarts',
      AlarmDescription: 'restart loop',
      ActionsEnabled: true,
      Metrics: [
        {
          Id: 'restarts',
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/KinesisAnalytics',
              MetricName: 'fullRestarts',
              Dimensions: [{ Name: 'Application', Value: 'a' }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        },
        { Id: 'loop', ReturnData: true, Expression: 'DIFF(restarts)', Label: 'restarts per minute' },
      ],
      ComparisonOperator: 'GreaterThanThreshold' as const,
      Threshold: 2,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'missing',
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pages'],
      Tags: [{ Key: 'streamctl:managed', Value: 'true' }],
    };
    cw.on(PutMetricAlarmCommand, input, true).resolves({});
    await probe.putMetricAlarm(a);
    expect(cw).toHaveReceivedCommandTimes(PutMetricAlarmCommand, 1);
  });

  it.each<[string, AlarmMetric[], string | undefined]>([
    [
      '20 metrics',
      [
        ...Array.from({ length: 19 }, (_, i) => m(`m${i}`)),
        { id: 'e', expression: 'MAX(METRICS())', returnData: true },
      ],
      undefined,
    ],
    [
      '21 metrics',
      [
        ...Array.from({ length: 20 }, (_, i) => m(`m${i}`)),
        { id: 'e', expression: 'MAX(METRICS())', returnData: true },
      ],
      'metrics: expected 1 to 20 entries (got 21)',
    ],
    ['no ReturnData', [m('a')], 'metrics[].returnData: expected exactly one true (got 0)'],
    [
      'two ReturnData',
      [m('a', true), m('b', true)],
      'metrics[].returnData: expected exactly one true (got 2)',
    ],
    ['a bad id', [m('Bad-Id', true)], 'metrics[0].id: expected an id matching'],
    ['a repeated id', [m('a'), m('a', true)], 'metrics[1].id: expected a unique id'],
  ])('validates before sending: %s', async (_name, metrics, problem) => {
    cw.on(PutMetricAlarmCommand).resolves({});
    const p = probe.putMetricAlarm(alarm(metrics));
    if (problem === undefined) {
      await p;
      expect(cw).toHaveReceivedCommandTimes(PutMetricAlarmCommand, 1);
    } else {
      const err = await caught(p);
      expect(err.code).toBe('INVALID_ALARM');
      expect(err.message).toContain(problem);
      expect(cw).toHaveReceivedCommandTimes(PutMetricAlarmCommand, 0);
    }
  });

  it('describes alarms by prefix across pages, keeping unknown states', async () => {
    const base = { AlarmNamePrefix: 'streamctl-', AlarmTypes: ['MetricAlarm' as const], MaxRecords: 100 };
    cw.on(DescribeAlarmsCommand, base, true).resolves({
      MetricAlarms: [{ AlarmName: 'streamctl-a', StateValue: 'OK', AlarmArn: 'arn:a' }],
      NextToken: 'n',
    });
    cw.on(DescribeAlarmsCommand, { ...base, NextToken: 'n' }, true).resolves({
      MetricAlarms: [
        {
          AlarmName: 'streamctl-b',
          StateValue: 'MUTED' as never,
          Metrics: [{ Id: 'x' }, { Id: 'y' }],
          Threshold: 2,
        },
      ],
    });
    expect(await probe.describeAlarms('streamctl-')).toEqual([
      { name: 'streamctl-a', arn: 'arn:a', state: 'OK', metricCount: 0, alarmActions: [] },
      { name: 'streamctl-b', state: 'MUTED', metricCount: 2, alarmActions: [], threshold: 2 },
    ]);
  });

  it.each([
    [100, [100]],
    [101, [100, 1]],
    [250, [100, 100, 50]],
  ])('deletes %i alarms in calls of %j', async (n, sizes) => {
    cw.on(DeleteAlarmsCommand).resolves({});
    const names = Array.from({ length: n }, (_, i) => `streamctl-${i}`);
    await probe.deleteAlarms(names);
    const calls = cw.commandCalls(DeleteAlarmsCommand).map((c) => c.args[0].input.AlarmNames ?? []);
    expect(calls.map((c) => c.length)).toEqual(sizes);
    expect(calls.flat()).toEqual(names);
  });

  it('tags an alarm and lists its tags', async () => {
    cw.on(
      TagResourceCommand,
      { ResourceARN: 'arn:a', Tags: [{ Key: 'streamctl:hash', Value: 'abc' }] },
      true,
    ).resolves({});
    cw.on(ListTagsForResourceCommand, { ResourceARN: 'arn:a' }, true).resolves({
      Tags: [{ Key: 'streamctl:hash', Value: 'abc' }],
    });
    await probe.tagResource('arn:a', { 'streamctl:hash': 'abc' });
    expect(await probe.listTagsForResource('arn:a')).toEqual({ 'streamctl:hash': 'abc' });
  });
});

describe('FakeCloudWatch', () => {
  it('aligns stored datapoints like the adapter, gaps kept unknown', async () => {
    const fake = new FakeCloudWatch();
    const q = flinkAppQuery('a', 'a', 'restarts', { runtime: 'FLINK-2_2' });
    fake.put(q, [
      { t: T0, value: 1 },
      { t: T0 + 2 * MIN, value: 4 },
    ]);
    const [s] = await fake.getMetricSeries([q], { start: T0, end: T0 + 3 * MIN, periodSec: 60 });
    expect(s?.points.map((p) => p.value)).toEqual([1, undefined, 4]);
    expect(s?.key.metric).toBe('numRestarts');
  });
});
