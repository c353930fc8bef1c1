import type * as CloudWatchSdk from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { usageError } from '../../core/errors.js';
import { awsError, parseResponse } from '../aws-response.js';
import { lazySdk } from '../lazy-sdk.js';
import { allPages } from '../paginate.js';
import {
  alignPoints,
  chunk,
  isValidPeriod,
  MAX_DELETE_ALARMS,
  MAX_QUERIES_PER_CALL,
  periodSlots,
  queryId,
  seriesStatus,
  toAlarmInfo,
  toMetricDataQuery,
  toPutMetricAlarmInput,
  validateAlarm,
} from './map.js';
import type { CloudWatchPort, MetricQuery, MetricSeries, MetricWindow } from './port.js';
import {
  DescribeAlarmsSchema,
  GetMetricDataSchema,
  ListTagsSchema,
  type RawMetricDataResult,
} from './schema.js';

// The SDK package loads at the first call, not when a command imports this file (lazy-sdk.ts).
const cloudWatch = lazySdk<typeof CloudWatchSdk>('@aws-sdk/client-cloudwatch');

const SVC = 'cloudwatch';

/** The CloudWatch adapter for one region. */
export function createCloudWatchProbe(client: CloudWatchClient): CloudWatchPort {
  return {
    getMetricSeries: (queries, window) => getMetricSeries(client, queries, window),

    async putMetricAlarm(alarm) {
      validateAlarm(alarm);
      await call('PutMetricAlarm', () =>
        client.send(new cloudWatch.PutMetricAlarmCommand(toPutMetricAlarmInput(alarm))),
      );
    },

    async describeAlarms(namePrefix) {
      const rows = await allPages(`${SVC} DescribeAlarms`, async (NextToken) => {
        const base = { AlarmNamePrefix: namePrefix, AlarmTypes: ['MetricAlarm' as const], MaxRecords: 100 };
        const out = await call('DescribeAlarms', () =>
          client.send(new cloudWatch.DescribeAlarmsCommand(NextToken ? { ...base, NextToken } : base)),
        );
        const r = parseResponse(DescribeAlarmsSchema, out, `${SVC} DescribeAlarms`);
        return { items: r.MetricAlarms, nextToken: r.NextToken };
      });
      return rows.map(toAlarmInfo);
    },

    async deleteAlarms(names) {
      for (const AlarmNames of chunk(names, MAX_DELETE_ALARMS)) {
        await call('DeleteAlarms', () => client.send(new cloudWatch.DeleteAlarmsCommand({ AlarmNames })));
      }
    },

    async tagResource(arn, tags) {
      await call('TagResource', () =>
        client.send(
          new cloudWatch.TagResourceCommand({
            ResourceARN: arn,
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
    },

    async listTagsForResource(arn) {
      const out = await call('ListTagsForResource', () =>
        client.send(new cloudWatch.ListTagsForResourceCommand({ ResourceARN: arn })),
      );
      return Object.fromEntries(
        parseResponse(ListTagsSchema, out, `${SVC} ListTagsForResource`).Tags.map((t) => [t.Key, t.Value]),
      );
    },
  };
}

/** Runs one API call; an SDK error becomes a StreamctlError naming the API. */
async function call<T>(api: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw awsError(err, `${SVC} ${api}`);
  }
}

/**
 * GetMetricData for any number of queries (batched by the per-call limit, every page read), each
 * series aligned on the window's periods: a period without a datapoint is unknown, not zero.
 */
async function getMetricSeries(
  client: CloudWatchClient,
  queries: MetricQuery[],
  window: MetricWindow,
): Promise<MetricSeries[]> {
  if (!isValidPeriod(window.periodSec))
    throw usageError(`periodSec must be 1, 5, 10, 30 or a multiple of 60 (got ${window.periodSec})`);
  if (!(window.end > window.start)) throw usageError('the metric window must end after it starts');
  const slots = periodSlots(window);
  const ids = queries.map((_, i) => queryId(i));
  const pages = await metricResults(client, queries, ids, window, slots.start);
  return queries.map((q, i): MetricSeries => {
    const id = ids[i] as string;
    const parts = pages.get(id) ?? [];
    const series: MetricSeries = {
      key: q.key,
      id,
      points: alignPoints(
        slots,
        window.periodSec,
        parts.flatMap((p) => p.Timestamps),
        parts.flatMap((p) => p.Values),
      ),
      // A query CloudWatch never answered is not "complete": its points are all unknown.
      status: parts.length === 0 ? 'error' : seriesStatus(parts.map((p) => p.StatusCode)),
    };
    const messages = parts.flatMap((p) =>
      (p.Messages ?? []).map((m) => `${m.Code ?? ''} ${m.Value ?? ''}`.trim()),
    );
    if (messages.length) series.messages = messages;
    return series;
  });
}

/** Every page of every batch of GetMetricData, the results grouped by query id. */
async function metricResults(
  client: CloudWatchClient,
  queries: MetricQuery[],
  ids: string[],
  window: MetricWindow,
  start: number,
): Promise<Map<string, RawMetricDataResult[]>> {
  const pages = new Map<string, RawMetricDataResult[]>();
  for (const batch of chunk(
    queries.map((q, i) => toMetricDataQuery(q, ids[i] as string, window.periodSec)),
    MAX_QUERIES_PER_CALL,
  )) {
    const base = {
      MetricDataQueries: batch,
      StartTime: new Date(start),
      EndTime: new Date(window.end),
      ScanBy: 'TimestampAscending' as const,
    };
    await allPages(`${SVC} GetMetricData`, async (NextToken) => {
      const out = await call('GetMetricData', () =>
        client.send(new cloudWatch.GetMetricDataCommand(NextToken ? { ...base, NextToken } : base)),
      );
      const r = parseResponse(GetMetricDataSchema, out, `${SVC} GetMetricData`);
      for (const res of r.MetricDataResults) {
        const list = pages.get(res.Id) ?? [];
        list.push(res);
        pages.set(res.Id, list);
      }
      return { items: [], nextToken: r.NextToken };
    });
  }
  return pages;
}
