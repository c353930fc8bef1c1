import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCloudWatchLogsProbe,
  fetchFirstFailure,
  fetchTransitions,
} from '../../../src/probes/cloudwatch-logs/index.js';
import type { CloudWatchLogsPort } from '../../../src/probes/cloudwatch-logs/port.js';
import { startEmulatorWithClients, T0 } from '../emulator.js';

/**
 * The Logs Insights adapter and its two named queries end to end: client factory → real SDK
 * (AWS JSON 1.1) → the emulator's Insights engine, over MSF-style JSON log events of a restart
 * loop (attempt #0 fails on the root cause, attempt #1 on a masking secondary error).
 */
const GROUP = '/aws/kinesis-analytics/orders-enricher';
let env: Awaited<ReturnType<typeof startEmulatorWithClients>>;
let logs: CloudWatchLogsPort;

const NPE =
  'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null\n\tat com.acme.Enrich.map(Enrich.java:42)';
const MASKED =
  'org.apache.flink.util.FlinkRuntimeException: Failed to restore state\n\tat org.apache.flink.streaming.runtime.tasks.StreamTask.restoreInternal(StreamTask.java:733)';
const event = (sec: number, message: string, throwable?: string) => ({
  timestamp: T0 + sec * 1000,
  message: JSON.stringify({
    logger: 'org.apache.flink.runtime.executiongraph.Execution',
    message,
    messageType: throwable ? 'WARN' : 'INFO',
    applicationARN: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/orders-enricher',
    ...(throwable ? { throwableInformation: throwable } : {}),
  }),
});
const task = (sub: number, attempt: number) =>
  `Enrich (${sub + 1}/2)#${attempt} (5a0f2c7d_cbc357cc_${sub}_${attempt})`;

beforeAll(async () => {
  env = await startEmulatorWithClients();
  logs = createCloudWatchLogsProbe(env.clients.logs(), { pollIntervalMs: 5, timeoutMs: 30_000 });
  env.emu.control.putLogEvents(GROUP, [
    event(1, `${task(0, 0)} switched from DEPLOYING to INITIALIZING.`),
    event(2, `${task(0, 0)} switched from INITIALIZING to RUNNING.`),
    event(3, 'Checkpoint 1 of job 0000 completed.'),
    event(
      10,
      `${task(1, 0)} switched from RUNNING to FAILED on 10.0.1.23:41999-1c2d3e @ ip-10-0-1-23 (dataPort=43210).`,
      NPE,
    ),
    event(11, `${task(0, 0)} switched from RUNNING to CANCELING.`),
    event(
      20,
      `${task(1, 1)} switched from RUNNING to FAILED on 10.0.1.23:41999-1c2d3e @ ip-10-0-1-23 (dataPort=43210).`,
      MASKED,
    ),
  ]);
});
afterAll(async () => {
  await env?.stop();
});

describe('CloudWatch Logs adapter through the AWS emulator', () => {
  it('returns the subtask transitions of the window, oldest first', async () => {
    const t = await fetchTransitions(logs, { logGroupNames: [GROUP], start: T0, end: T0 + 60_000 });
    expect(t.map((x) => [x.timestamp - T0, x.task, x.subtaskIndex, x.attempt, x.from, x.to])).toEqual([
      [1000, 'Enrich', 0, 0, 'DEPLOYING', 'INITIALIZING'],
      [2000, 'Enrich', 0, 0, 'INITIALIZING', 'RUNNING'],
      [10_000, 'Enrich', 1, 0, 'RUNNING', 'FAILED'],
      [11_000, 'Enrich', 0, 0, 'RUNNING', 'CANCELING'],
      [20_000, 'Enrich', 1, 1, 'RUNNING', 'FAILED'],
    ]);
  });

  it("finds the loop's first failure (attempt #0) and its root-cause exception", async () => {
    const f = await fetchFirstFailure(logs, { logGroupNames: [GROUP], start: T0, end: T0 + 60_000 });
    expect(f).toEqual({ timestamp: T0 + 10_000, task: 'Enrich', attempt: 0, exceptionText: NPE });
  });

  it('maps a missing log group to a clear not-found error', async () => {
    await expect(
      fetchTransitions(logs, { logGroupNames: ['/aws/kinesis-analytics/nope'], start: T0, end: T0 + 1000 }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      exitCode: 78,
    });
  });
});
