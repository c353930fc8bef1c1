import { MalformedQueryException, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../../peers/sandbox/aws-emulator/errors.js';
import { parseQuery } from '../../peers/sandbox/aws-emulator/logs/insights-parse.js';
import { type InsightsEvent, runInsights } from '../../peers/sandbox/aws-emulator/logs/insights-run.js';
import { runQuery, startFakeEmulator, T0 } from './helpers.js';

/** docs/design.md §2: the transition query AWS recommends for continuous watching. */
const TRANSITIONS =
  'fields @timestamp, message | parse message /^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)\\./ | filter ispresent(toStatus) | sort @timestamp asc';

const msf = (t: number, message: string, messageType = 'INFO'): InsightsEvent => ({
  timestampMs: T0 + t * 1000,
  message: JSON.stringify({
    message,
    messageType,
    logger: 'org.apache.flink.runtime.taskmanager.Task',
    applicationVersionId: '2',
  }),
  logStream: 'kinesis-analytics-log-stream',
  logGroup: '/aws/kinesis-analytics/orders',
  ptr: `p${t}`,
});

const events = [
  msf(1, 'Enrich -> Sink: discard (1/1)#0 (a_b_0_0) switched from DEPLOYING to INITIALIZING.'),
  msf(2, 'Enrich -> Sink: discard (1/1)#0 (a_b_0_0) switched from INITIALIZING to RUNNING.'),
  msf(3, 'Checkpoint 4 of job 00000000000000000000000000000001 expired before completing.', 'WARN'),
  msf(
    4,
    'Enrich -> Sink: discard (1/1)#0 (a_b_0_0) switched from RUNNING to FAILED with failure cause: java.lang.NullPointerException',
    'WARN',
  ),
  msf(5, 'Enrich -> Sink: discard (1/1)#1 (a_b_0_1) switched from CANCELING to CANCELED.'),
];

const run = (q: string) => runInsights(parseQuery(q), events);

describe('Logs Insights subset', () => {
  it('parses the transition query: named groups become fields, non-matching rows are filtered by ispresent', () => {
    const r = run(TRANSITIONS);
    expect(r.rows.map((x) => [x.task, x.fromStatus, x.toStatus])).toEqual([
      ['Enrich -> Sink: discard (1/1)#0 (a_b_0_0)', 'DEPLOYING', 'INITIALIZING'],
      ['Enrich -> Sink: discard (1/1)#0 (a_b_0_0)', 'INITIALIZING', 'RUNNING'],
      ['Enrich -> Sink: discard (1/1)#1 (a_b_0_1)', 'CANCELING', 'CANCELED'],
    ]);
    expect(r.fields).toEqual(['@timestamp', 'message', 'task', 'fromStatus', 'toStatus', '@ptr']);
    expect(r.rows[0]!['@timestamp']).toBe('2026-11-22 00:00:01.000');
  });

  it.each([
    ['filter @message like /NullPointer/', 1],
    ['filter message like "switched from"', 4],
    ['filter messageType = "WARN"', 2],
    ['filter messageType != "WARN" and message like /RUNNING/', 1],
    ['filter not (message like /switched/) or messageType = "INFO"', 4],
    ['filter message =~ /(?i)checkpoint/', 1],
  ])('%s matches %i events', (q, n) => {
    expect(run(q).rows).toHaveLength(n);
  });

  it('sorts, limits and projects', () => {
    const r = run('fields @timestamp, messageType as level | sort @timestamp desc | limit 2');
    expect(r.rows).toEqual([
      { '@timestamp': '2026-11-22 00:00:05.000', level: 'INFO', '@ptr': 'p5' },
      { '@timestamp': '2026-11-22 00:00:04.000', level: 'WARN', '@ptr': 'p4' },
    ]);
  });

  it('counts by a parsed field with stats', () => {
    const r = run(
      'parse message /to (?<toStatus>[A-Z]+)/ | filter ispresent(toStatus) | stats count(*) as n by toStatus | sort n desc',
    );
    expect(r.fields).toEqual(['toStatus', 'n']);
    expect(r.rows).toContainEqual({ toStatus: 'FAILED', n: 1 });
    expect(r.rows).toHaveLength(4);
  });

  it.each([
    ['an unknown command', 'fields @message | unmask @message', /unmask/],
    ['an unterminated regex', 'filter @message like /abc', /unterminated/],
    ['parse without named groups', 'parse @message /(\\d+)/', /named groups/],
    ['an unsupported function', 'fields concat(a, b)', /not supported/],
    ['an empty query', '   ', /empty/],
  ])('rejects %s as a MalformedQueryException', (_what, q, message) => {
    let caught: unknown;
    try {
      parseQuery(q);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AwsError);
    expect(caught).toMatchObject({ type: 'MalformedQueryException' });
    expect((caught as Error).message).toMatch(message);
  });
});

describe('Logs Insights through the SDK', () => {
  let ctx: Awaited<ReturnType<typeof startFakeEmulator>>;
  beforeAll(async () => {
    ctx = await startFakeEmulator();
    ctx.emu.control.putLogEvents('/test/injected', [
      { timestamp: T0 + 1000, message: 'Source (1/1) switched from CREATED to SCHEDULED.' },
      { timestamp: T0 + 2000, message: 'Source (1/1) switched from SCHEDULED to DEPLOYING.' },
      { timestamp: T0 + 120_000, message: 'outside the range' },
    ]);
  });
  afterAll(async () => {
    await ctx.emu.stop();
  });

  it('goes Scheduled/Running before Complete and returns rows within the time range', async () => {
    const r = await runQuery(
      ctx.clients.logs,
      '/test/injected',
      'parse @message /^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)\\./ | sort @timestamp asc',
      T0 / 1000,
      T0 / 1000 + 60,
    );
    expect(r.status).toBe('Complete');
    expect(r.statuses[0]).toMatch(/Scheduled|Running/);
    expect(r.rows.map((x) => x.toStatus)).toEqual(['SCHEDULED', 'DEPLOYING']);
    expect(r.statistics?.recordsScanned).toBe(2);
  });

  it('raises MalformedQueryException at StartQuery', async () => {
    const call = ctx.clients.logs.send(
      new StartQueryCommand({
        logGroupName: '/test/injected',
        queryString: 'bogus',
        startTime: 0,
        endTime: 1,
      }),
    );
    await expect(call).rejects.toBeInstanceOf(MalformedQueryException);
  });
});
