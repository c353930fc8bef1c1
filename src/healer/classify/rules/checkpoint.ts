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
    rule: 'checkpoint-storage-unreachable',
    subtype: 'checkpoint-storage',
    weight: -0.65,
    message:
      /Timeout waiting for connection from pool|Unable to execute HTTP request|SocketTimeoutException|Read timed out|connect timed out|Connection reset|Connection refused|Premature end of Content-Length|Your socket connection to the server was not read from or written to|RequestTimeout|Request timeout|The connection was closed|AmazonS3Exception: .{0,80}(?:50\d|Slow|Timeout|Internal)|S3Exception: .{0,80}(?:50\d|Slow|Timeout|Internal)|OSSException|com\.aliyun\.oss|GoogleJsonResponseException: 5\d\d|StorageException: .{0,80}(?:5\d\d|timeout|unavailable)/i,
    requires: CHECKPOINT_CONTEXT,
  },
  {
    rule: 'distributed-filesystem-failing',
    subtype: 'checkpoint-storage',
    weight: -0.7,
    exception:
      /(?:^|\.)(?:BlockMissingException|ChecksumException|SafeModeException|StandbyException|RetriableException|NotReplicatedYetException)$/,
    message:
      /IO error: .{0,160}(?:s3a?|oss|hdfs|gs|abfss?):\/\/|could only be (?:written|replicated) to 0 of the \d+ minReplication nodes|Failed to replace a bad datanode|All datanodes .{0,120} are bad|Could not obtain block|Name node is in safe mode|Operation category (?:READ|WRITE) is not supported in state standby|Filesystem closed|DataStreamer Exception|No live nodes contain|Could not get block locations|Unable to close file because the last block .{0,160} does not have enough number of replicas/i,
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
