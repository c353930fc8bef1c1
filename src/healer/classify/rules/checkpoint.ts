/**
 * Checkpoint storage trouble (system): the durable store (S3, HDFS, GCS, a full local disk)
 * throttles, errors or runs out of space while Flink writes or reads state. A checkpoint that was
 * only declined because a task failed is not storage trouble: the task failure is the cause.
 */

import type { RuleHit } from '../types.js';
import { type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

/** Text that shows we are on a checkpoint/state path. */
const CHECKPOINT_CONTEXT =
  /checkpoint|savepoint|snapshot|state ?backend|StateBackend|RocksDB|KeyedStateHandle|StreamStateHandle|FsCheckpoint|AsyncCheckpointRunnable|changelog/i;
/** Declines that are consequences of a task failure, not storage failures. */
const DECLINED_BY_TASK =
  /Task .{0,120} (?:was not running|failed|is not running)|CHECKPOINT_DECLINED_TASK_NOT_READY|CHECKPOINT_DECLINED_TASK_CLOSING|tasks not ready|task is closing|Checkpoint was declined \((?:tasks not ready|task is closing)\)|JOB_FAILOVER_REGION|Failure reason: Task local checkpoint failure/i;

export const CHECKPOINT: readonly PatternFamily[] = [
  {
    rule: 'checkpoint-storage-failed',
    subtype: 'checkpoint-storage',
    weight: -0.75,
    message:
      /SlowDown|Please reduce your request rate|Status Code: 50[0-4]|StatusCode: 50[0-4]|status code 50[0-4]|Service Unavailable|We encountered an internal error|InternalError|Could not flush and close the file system output stream|Could not open output stream for state backend|Could not materialize checkpoint|Failed to (?:upload|download|write|delete) .{0,80}(?:checkpoint|state|snapshot)|No space left on device|Could not close the state stream|DiskFull|Disk quota exceeded/i,
    requires: CHECKPOINT_CONTEXT,
  },
  {
    rule: 'checkpoints-failing',
    subtype: 'checkpoint-failure',
    weight: -0.3,
    message:
      /Exceeded checkpoint tolerable failure threshold|Checkpoint expired before completing|Checkpoint .{0,60}(?:timed out|expired)|Failure to finalize checkpoint|Periodic checkpoint scheduler is shut down/i,
    unless: DECLINED_BY_TASK,
  },
];

/** Checkpoint rules. */
export function checkpointRules(ev: Evidence): RuleHit[] {
  return matchFamilies(CHECKPOINT, ev);
}
