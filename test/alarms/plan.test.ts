import { describe, expect, it } from 'vitest';
import { planAlarms } from '../../src/alarms/plan.js';
import { toPutMetricAlarmInput, validateAlarm } from '../../src/probes/cloudwatch/map.js';
import { restartMetricName as restartMetricFor } from '../../src/probes/cloudwatch/queries.js';

describe('restartMetricFor', () => {
  it.each([
    ['FLINK-1_15', 'fullRestarts'],
    ['FLINK-1_20', 'fullRestarts'],
    ['FLINK-2_0', 'fullRestarts'],
    ['FLINK-2_2', 'numRestarts'],
    ['FLINK-3_0', 'numRestarts'],
    [undefined, 'fullRestarts'],
  ])('%s uses %s', (runtime, metric) => expect(restartMetricFor(runtime)).toBe(metric));
});

describe('planAlarms', () => {
  const plan = planAlarms(
    [
      { name: 'enricher', applicationName: 'orders-enricher', runtime: 'FLINK-1_20' },
      { name: 'new', applicationName: 'new-app', runtime: 'FLINK-2_2' },
    ],
    [
      { name: 'orders', mskClusterName: 'orders', brokerType: 'standard', brokerIds: [1, 2, 3] },
      { name: 'fast', mskClusterName: 'fast', brokerType: 'express', brokerIds: [1, 2, 3] },
    ],
    { snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:pages' },
  );
  const requests = plan.map(toPutMetricAlarmInput);
  const byName = new Map(requests.map((a) => [a.AlarmName, a]));

  it('guards the restart-loop DIFF against counter resets and alarms on 3 of 5 minutes', () => {
    const a = byName.get('streamctl-flink-enricher-restart-loop')!;
    expect(a.Metrics).toEqual([
      {
        Id: 'restarts',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/KinesisAnalytics',
            MetricName: 'fullRestarts',
            Dimensions: [{ Name: 'Application', Value: 'orders-enricher' }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
        ReturnData: false,
      },
      {
        Id: 'restartsPerMinute',
        Expression: 'IF(DIFF(restarts) > 0, DIFF(restarts), 0)',
        Label: 'fullRestarts per minute',
        ReturnData: true,
      },
    ]);
    expect(a).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
    });
    expect(a.AlarmActions).toEqual(['arn:aws:sns:us-east-1:123456789012:pages']);
  });

  it('uses numRestarts on Flink 2.2', () => {
    const a = byName.get('streamctl-flink-new-restart-loop')!;
    expect(a.Metrics?.[0]?.MetricStat?.Metric?.MetricName).toBe('numRestarts');
  });

  it('adds 60% and 80% disk alarms per Standard broker only', () => {
    const disk = requests.filter(
      (a) => a.Metrics?.[0]?.MetricStat?.Metric?.MetricName === 'KafkaDataLogsDiskUsed',
    );
    expect(disk.map((a) => [a.AlarmName, a.Threshold])).toEqual([
      ['streamctl-kafka-orders-disk-warning-broker-1', 60],
      ['streamctl-kafka-orders-disk-critical-broker-1', 80],
      ['streamctl-kafka-orders-disk-warning-broker-2', 60],
      ['streamctl-kafka-orders-disk-critical-broker-2', 80],
      ['streamctl-kafka-orders-disk-warning-broker-3', 60],
      ['streamctl-kafka-orders-disk-critical-broker-3', 80],
    ]);
  });

  it('covers URP, offline partitions and the active controller count for every cluster', () => {
    for (const c of ['orders', 'fast']) {
      for (const n of [
        'under-replicated',
        'offline-partitions',
        'no-active-controller',
        'multiple-active-controllers',
      ]) {
        expect(byName.has(`streamctl-kafka-${c}-${n}`)).toBe(true);
      }
    }
    expect(byName.get('streamctl-kafka-orders-offline-partitions')!.Metrics![0]!.Expression).toBe(
      `SELECT MAX(OfflinePartitionsCount) FROM SCHEMA("AWS/Kafka", "Broker ID", "Cluster Name") WHERE "Cluster Name" = 'orders'`,
    );
  });

  it('tags every alarm as managed and stays within CloudWatch limits', () => {
    for (const a of plan) {
      expect(a.tags).toMatchObject({ 'streamctl:managed': 'true' });
      expect(() => validateAlarm(a)).not.toThrow();
    }
  });

  it('produces alarms CloudWatch accepts: ≤ 20 metrics, exactly one ReturnData', () => {
    for (const a of requests) {
      expect(a.Metrics!.length).toBeLessThanOrEqual(20);
      expect(a.Metrics!.filter((m) => m.ReturnData)).toHaveLength(1);
    }
  });
});
