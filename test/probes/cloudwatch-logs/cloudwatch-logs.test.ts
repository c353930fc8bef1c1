import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import type { StreamctlError } from '../../../src/core/errors.js';
import {
  createCloudWatchLogsProbe,
  fetchFirstFailure,
  fetchTransitions,
} from '../../../src/probes/cloudwatch-logs/index.js';
import {
  exceptionOf,
  parseInsightsTimestamp,
  parseTaskDescription,
  pickFirstFailure,
  toTransitions,
} from '../../../src/probes/cloudwatch-logs/map.js';
import { firstFailureQuery, transitionQuery } from '../../../src/probes/cloudwatch-logs/queries.js';
import { FakeCloudWatchLogs } from '../../fakes/cloudwatch-logs/fake.js';
import { awsException, strictMock } from '../aws-mock.js';

const logs = mockClient(CloudWatchLogsClient);
const GROUP = '/aws/kinesis-analytics/orders-enricher';
const T0 = Date.parse('2026-11-22T00:00:00Z');

async function caught(p: Promise<unknown>): Promise<StreamctlError> {
  try {
    await p;
  } catch (e) {
    return e as StreamctlError;
  }
  throw new Error('expected a rejection');
}

function probeWith(clock = new VirtualClock(T0), o: { timeoutMs?: number } = {}) {
  return {
    clock,
    probe: createCloudWatchLogsProbe(new CloudWatchLogsClient({ region: 'us-east-1' }), {
      clock,
      pollIntervalMs: 1000,
      timeoutMs: o.timeoutMs ?? 60_000,
    }),
  };
}

const row = (fields: Record<string, string>) => [
  ...Object.entries(fields).map(([field, value]) => ({ field, value })),
  { field: '@ptr', value: 'CmAKJwoj' },
];

beforeEach(() => strictMock(logs));

describe('runInsightsQuery', () => {
  it('starts the query (epoch seconds) and polls Scheduled → Running → Complete on the injected clock', async () => {
    const { clock, probe } = probeWith();
    logs
      .on(
        StartQueryCommand,
        {
          logGroupNames: [GROUP],
          queryString: 'fields @timestamp',
          startTime: T0 / 1000,
          endTime: T0 / 1000 + 61,
          limit: 10,
        },
        true,
      )
      .resolves({ queryId: 'q-1' });
    logs
      .on(GetQueryResultsCommand, { queryId: 'q-1' }, true)
      .resolvesOnce({ status: 'Scheduled' })
      .resolvesOnce({ status: 'Running', results: [] })
      .resolves({
        status: 'Complete',
        results: [row({ '@timestamp': '2026-11-22 00:00:01.000', message: 'hello' })],
        statistics: { recordsMatched: 1, recordsScanned: 40, bytesScanned: 4000 },
      });

    const r = await probe.runInsightsQuery({
      logGroupNames: [GROUP],
      queryString: 'fields @timestamp',
      start: T0 + 400,
      end: T0 + 60_500,
      limit: 10,
    });

    expect(r).toEqual({
      records: [{ '@timestamp': '2026-11-22 00:00:01.000', message: 'hello' }],
      recordsMatched: 1,
      recordsScanned: 40,
      bytesScanned: 4000,
    });
    expect(logs).toHaveReceivedCommandTimes(GetQueryResultsCommand, 3);
    expect(clock.now() - T0).toBe(2000);
  });

  it('gives up at its deadline: stops the query and reports a temporary failure', async () => {
    const { clock, probe } = probeWith(new VirtualClock(T0), { timeoutMs: 5000 });
    logs.on(StartQueryCommand).resolves({ queryId: 'q-slow' });
    logs.on(GetQueryResultsCommand, { queryId: 'q-slow' }, true).resolves({ status: 'Running' });
    logs.on(StopQueryCommand, { queryId: 'q-slow' }, true).resolves({ success: true });

    const err = await caught(
      probe.runInsightsQuery({ logGroupNames: [GROUP], queryString: 'x', start: T0, end: T0 + 1 }),
    );

    expect([err.code, err.exitCode, err.transient]).toEqual(['TEMPFAIL', 75, true]);
    expect(logs).toHaveReceivedCommandTimes(StopQueryCommand, 1);
    expect(clock.now() - T0).toBe(5000);
  });

  it.each([
    ['Failed', 'INSIGHTS_FAILED'],
    ['Cancelled', 'INSIGHTS_FAILED'],
    ['Timeout', 'TEMPFAIL'],
    ['SomethingNew', 'INSIGHTS_FAILED'],
  ])('a query ending %s is a %s error', async (status, code) => {
    const { probe } = probeWith();
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs.on(GetQueryResultsCommand).resolves({ status: status as never });
    const err = await caught(
      probe.runInsightsQuery({ logGroupNames: [GROUP], queryString: 'x', start: T0, end: T0 + 1 }),
    );
    expect(err.code).toBe(code);
    expect(err.transient).toBe(true);
  });

  it('reads every result page of a complete query', async () => {
    const { probe } = probeWith();
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs
      .on(GetQueryResultsCommand, { queryId: 'q' }, true)
      .resolves({ status: 'Complete', results: [row({ a: '1' })], nextToken: 'p2' });
    logs
      .on(GetQueryResultsCommand, { queryId: 'q', nextToken: 'p2' }, true)
      .resolves({ status: 'Complete', results: [row({ a: '2' })] });
    const r = await probe.runInsightsQuery({
      logGroupNames: [GROUP],
      queryString: 'x',
      start: T0,
      end: T0 + 1,
    });
    expect(r.records).toEqual([{ a: '1' }, { a: '2' }]);
  });

  it.each([
    ['ResourceNotFoundException', 'NOT_FOUND', 78],
    ['MalformedQueryException', 'BAD_QUERY', 70],
    ['LimitExceededException', 'TEMPFAIL', 75],
    ['AccessDeniedException', 'NOPERM', 77],
  ])('maps StartQuery %s to %s', async (name, code, exit) => {
    const { probe } = probeWith();
    logs.on(StartQueryCommand).rejects(awsException(name, `${name}!`));
    const err = await caught(
      probe.runInsightsQuery({ logGroupNames: [GROUP], queryString: 'x', start: T0, end: T0 + 1 }),
    );
    expect([err.code, err.exitCode]).toEqual([code, exit]);
  });

  it.each([
    [[], undefined],
    [Array.from({ length: 51 }, (_, i) => `g${i}`), undefined],
    [[GROUP], 10_001],
    [[GROUP], 0],
  ])('refuses %j log groups with limit %s before calling AWS', async (groups, limit) => {
    const { probe } = probeWith();
    const err = await caught(
      probe.runInsightsQuery({
        logGroupNames: groups,
        queryString: 'x',
        start: T0,
        end: T0 + 1,
        ...(limit !== undefined ? { limit } : {}),
      }),
    );
    expect(err.code).toBe('USAGE');
    expect(logs).toHaveReceivedCommandTimes(StartQueryCommand, 0);
  });
});

// Real Flink 1.20 log lines as MSF writes them (JSON events) and as log4j text.
const ATTEMPT_ID = (sub: number, attempt: number) =>
  `5a0f2c7d1c9e4b0d8f3b2a1c0d9e8f7a_cbc357ccb763df2852fee8c4fc7d55f2_${sub}_${attempt}`;
const failedLine = (sub: number, attempt: number) =>
  `Source: orders -> Enrich (${sub + 1}/4)#${attempt} (${ATTEMPT_ID(sub, attempt)}) switched from RUNNING to FAILED on 10.0.1.23:41999-1c2d3e @ ip-10-0-1-23.ec2.internal (dataPort=43210).`;
const NPE =
  'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null\n\tat com.acme.Enrich.map(Enrich.java:42)\n\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)';
const MASKED =
  'org.apache.flink.util.FlinkRuntimeException: Failed to restore state\n\tat org.apache.flink.streaming.runtime.tasks.StreamTask.restoreInternal(StreamTask.java:733)';
const msfEvent = (message: string, throwable?: string | string[]) =>
  JSON.stringify({
    locationInformation:
      'org.apache.flink.runtime.executiongraph.Execution.transitionState(Execution.java:1550)',
    logger: 'org.apache.flink.runtime.executiongraph.Execution',
    message,
    threadName: 'flink-pekko.actor.default-dispatcher-17',
    applicationARN: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/orders-enricher',
    applicationVersionId: '7',
    messageSchemaVersion: '1',
    messageType: 'WARN',
    ...(throwable !== undefined ? { throwableInformation: throwable } : {}),
  });

describe('Flink log parsing', () => {
  it.each([
    [
      'Source: orders -> Enrich (2/4)#1 (abc)',
      { task: 'Source: orders -> Enrich', subtaskIndex: 1, parallelism: 4, attempt: 1 },
    ],
    [`Enrich (3/4) (${ATTEMPT_ID(2, 5)})`, { task: 'Enrich', subtaskIndex: 2, parallelism: 4, attempt: 5 }],
    ['Sink: out (1/1) (0e8a3d1b)', { task: 'Sink: out', subtaskIndex: 0, parallelism: 1 }],
    ['Job orders (1234)', { task: 'Job orders (1234)' }],
  ])('parses the task description %s', (text, expected) => {
    expect(parseTaskDescription(text)).toEqual(expected);
  });

  it('maps transition rows to typed transitions, oldest first', () => {
    const rows = [
      {
        '@timestamp': '2026-11-22 00:00:05.000',
        task: `Enrich (1/2)#0 (${ATTEMPT_ID(0, 0)})`,
        fromStatus: 'DEPLOYING',
        toStatus: 'INITIALIZING',
      },
      {
        '@timestamp': '2026-11-22 00:00:01.500',
        task: 'Enrich (2/2)#0 (x)',
        fromStatus: 'RUNNING',
        toStatus: 'FAILED',
      },
      { '@timestamp': 'garbage', task: 'Enrich (2/2)#0 (x)', fromStatus: 'RUNNING', toStatus: 'FAILED' },
    ];
    expect(toTransitions(rows)).toEqual([
      {
        timestamp: T0 + 1500,
        task: 'Enrich',
        subtaskIndex: 1,
        parallelism: 2,
        attempt: 0,
        from: 'RUNNING',
        to: 'FAILED',
      },
      {
        timestamp: T0 + 5000,
        task: 'Enrich',
        subtaskIndex: 0,
        parallelism: 2,
        attempt: 0,
        from: 'DEPLOYING',
        to: 'INITIALIZING',
      },
    ]);
  });

  it.each([
    [
      'MSF JSON with a throwable string',
      { '@message': msfEvent(failedLine(0, 0), NPE), message: failedLine(0, 0) },
      NPE,
    ],
    ['MSF JSON with a throwable array', { '@message': msfEvent(failedLine(0, 0), NPE.split('\n')) }, NPE],
    [
      'an Insights-flattened array',
      { message: failedLine(0, 0), throwableInformation: JSON.stringify(NPE.split('\n')) },
      NPE,
    ],
    [
      'log4j text "with failure cause:"',
      { '@message': `Enrich (1/4)#0 (x) switched from RUNNING to FAILED with failure cause:\n${NPE}` },
      NPE,
    ],
    ['log4j text with the trace on the next lines', { '@message': `${failedLine(0, 0)}\n${NPE}` }, NPE],
    ['a line without an exception', { message: failedLine(0, 0) }, undefined],
  ])('extracts the exception from %s', (_n, record, text) => {
    expect(exceptionOf(record).exceptionText).toBe(text);
  });

  it('picks attempt #0 of the loop, not the masked later attempts', () => {
    const rows = [
      { '@timestamp': '2026-11-22 00:01:00.000', '@message': msfEvent(failedLine(1, 1), MASKED) },
      { '@timestamp': '2026-11-22 00:00:10.000', '@message': msfEvent(failedLine(1, 0), NPE) },
      { '@timestamp': '2026-11-22 00:00:09.000', '@message': msfEvent(failedLine(2, 0)) },
    ];
    expect(pickFirstFailure(rows)).toEqual({
      timestamp: T0 + 10_000,
      task: 'Source: orders -> Enrich',
      attempt: 0,
      exceptionText: NPE,
    });
  });

  it('falls back to the earliest failure when no attempt #0 is logged', () => {
    const rows = [
      { '@timestamp': '2026-11-22 00:02:00.000', '@message': msfEvent(failedLine(0, 4), MASKED) },
      { '@timestamp': '2026-11-22 00:01:00.000', '@message': msfEvent(failedLine(0, 3), NPE) },
    ];
    expect(pickFirstFailure(rows)?.exceptionText).toBe(NPE);
    expect(pickFirstFailure([])).toBeUndefined();
  });

  it('parses Insights timestamps as UTC', () => {
    expect(parseInsightsTimestamp('2026-11-22 00:00:00.250')).toBe(T0 + 250);
    expect(parseInsightsTimestamp(undefined)).toBeUndefined();
  });
});

describe('named queries over the port', () => {
  it('runs the transition query on the MSF `message` field and returns typed transitions', async () => {
    const fake = new FakeCloudWatchLogs().answer((q) => q.queryString === transitionQuery(1000), {
      records: [
        {
          '@timestamp': '2026-11-22 00:00:01.000',
          task: 'Enrich (1/1)#0 (x)',
          fromStatus: 'INITIALIZING',
          toStatus: 'RUNNING',
        },
      ],
    });
    const t = await fetchTransitions(fake, { logGroupNames: [GROUP], start: T0, end: T0 + 60_000 });
    expect(t).toEqual([
      {
        timestamp: T0 + 1000,
        task: 'Enrich',
        subtaskIndex: 0,
        parallelism: 1,
        attempt: 0,
        from: 'INITIALIZING',
        to: 'RUNNING',
      },
    ]);
    expect(fake.queries[0]?.queryString).toContain(
      'parse message /^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)/',
    );
    expect(fake.queries[0]?.limit).toBe(1000);
  });

  it('runs the first-failure query oldest first', async () => {
    const fake = new FakeCloudWatchLogs().answer((q) => q.queryString === firstFailureQuery(100), {
      records: [{ '@timestamp': '2026-11-22 00:00:10.000', '@message': msfEvent(failedLine(1, 0), NPE) }],
    });
    expect(
      (await fetchFirstFailure(fake, { logGroupNames: [GROUP], start: T0, end: T0 + 60_000 }))?.exceptionText,
    ).toBe(NPE);
    expect(firstFailureQuery()).toContain('sort @timestamp asc');
  });
});
