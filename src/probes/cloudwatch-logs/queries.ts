/**
 * The Logs Insights queries streamctl runs on MSF application logs.
 *
 * MSF writes JSON log events; Logs Insights discovers their members, so the log line is the
 * `message` field (docs/design.md §2), not `@message` (that is the whole JSON envelope).
 *
 * AWS's published transition query ends its regex with `\.`; that matches "… to RUNNING." but
 * not the failure lines, which continue: "… switched from RUNNING to FAILED on <taskmanager>." and
 * "… switched from RUNNING to FAILED with failure cause:". The queries here drop the `\.` so
 * failures are seen too.
 */

/** Subtask state transitions, newest first (the adapter returns them oldest first). */
export function transitionQuery(limit = 1000): string {
  return [
    'fields @timestamp, message',
    '| filter message like / switched from [A-Z]+ to [A-Z]+/',
    '| parse message /^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)/',
    '| sort @timestamp desc',
    `| limit ${limit}`,
  ].join('\n');
}

/**
 * FAILED transitions with their exceptions, oldest first: the first failure of a restart loop is
 * among the earliest rows (later attempts fail on the masked, secondary cause).
 */
export function firstFailureQuery(limit = 100): string {
  return [
    'fields @timestamp, @message, message, throwableInformation',
    '| filter message like / switched from [A-Z]+ to FAILED/',
    '| sort @timestamp asc',
    `| limit ${limit}`,
  ].join('\n');
}
