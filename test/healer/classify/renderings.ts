/**
 * The same real failure as the other sources show it, for the format-robustness figures of
 * `npm run bench` and the corpus test: an MSF ErrorInfo string (the trace's first 512 characters,
 * cut mid-chain), the REST /jobs/:id/exceptions body of a loop (the failure, then a later attempt
 * masked by a restart side effect) and a CloudWatch Logs record of MSF. These are renderings of
 * corpus cases, not new cases: they never count toward the corpus size or its accuracy.
 */

/** MSF's ErrorInfo.ErrorString keeps at most 512 characters. */
export const ERROR_INFO_MAX = 512;

export function asErrorInfo(trace: string): string {
  return trace.trim().slice(0, ERROR_INFO_MAX);
}

const T0 = Date.parse('2026-01-01T00:00:00Z');

export function asExceptionsJson(trace: string): string {
  const first = trace.trim().split('\n')[0] ?? '';
  const name = /^([\w.$]+)/.exec(first)?.[1] ?? 'java.lang.Exception';
  const masked =
    'java.lang.UnsupportedOperationException: Partial recovery is not supported\n\tat org.apache.flink.runtime.checkpoint.CheckpointCoordinator.restoreLatestCheckpointedStateInternal(CheckpointCoordinator.java:1700)';
  return JSON.stringify({
    exceptionHistory: {
      entries: [
        {
          exceptionName: 'java.lang.UnsupportedOperationException',
          stacktrace: masked,
          timestamp: T0 + 120_000,
          taskName: 'Source: in (1/2)',
          failureLabels: {},
          concurrentExceptions: [],
        },
        {
          exceptionName: name,
          stacktrace: trace,
          timestamp: T0,
          taskName: 'Map (1/2)',
          failureLabels: {},
          concurrentExceptions: [],
        },
      ],
      truncated: false,
    },
  });
}

export function asCloudWatchRecord(trace: string): string {
  return JSON.stringify({
    locationInformation: 'org.apache.flink.runtime.taskmanager.Task.transitionState(Task.java:1152)',
    logger: 'org.apache.flink.runtime.taskmanager.Task',
    message: 'Map (1/2)#0 (5a1f) switched from RUNNING to FAILED with failure cause:',
    throwableInformation: trace,
    threadName: 'Map (1/2)#0',
    applicationARN: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/app',
    applicationVersionId: '3',
    messageSchemaVersion: '1',
    messageType: 'WARN',
  });
}

export const RENDERINGS = {
  'errorinfo-512': asErrorInfo,
  'exceptions-json': asExceptionsJson,
  'cloudwatch-json': asCloudWatchRecord,
} as const;
