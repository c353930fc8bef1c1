import { z } from 'zod';

/** What streamctl needs from CloudWatch responses (loose objects; unknown enum values kept). */

export const MetricDataResultSchema = z.looseObject({
  Id: z.string().min(1),
  Label: z.string().optional(),
  Timestamps: z.array(z.date()).default([]),
  Values: z.array(z.number()).default([]),
  StatusCode: z.string().optional(),
  Messages: z.array(z.looseObject({ Code: z.string().optional(), Value: z.string().optional() })).optional(),
});
export type RawMetricDataResult = z.infer<typeof MetricDataResultSchema>;

export const GetMetricDataSchema = z.looseObject({
  MetricDataResults: z.array(MetricDataResultSchema).default([]),
  NextToken: z.string().optional(),
});

export const MetricAlarmSchema = z.looseObject({
  AlarmName: z.string().min(1),
  AlarmArn: z.string().optional(),
  AlarmDescription: z.string().optional(),
  StateValue: z.string().min(1),
  StateReason: z.string().optional(),
  Threshold: z.number().optional(),
  ComparisonOperator: z.string().optional(),
  EvaluationPeriods: z.number().optional(),
  Metrics: z.array(z.unknown()).optional(),
  AlarmActions: z.array(z.string()).optional(),
});
export type RawMetricAlarm = z.infer<typeof MetricAlarmSchema>;

export const DescribeAlarmsSchema = z.looseObject({
  MetricAlarms: z.array(MetricAlarmSchema).default([]),
  NextToken: z.string().optional(),
});

export const ListTagsSchema = z.looseObject({
  Tags: z.array(z.looseObject({ Key: z.string(), Value: z.string() })).default([]),
});
