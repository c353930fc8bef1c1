/**
 * The cluster failing under the job (system): TaskManagers lost, heartbeats timing out, slots that
 * never come, JobManager leadership lost, the data plane between TaskManagers breaking, RPC
 * timeouts, the JVM crashing or the container being killed from outside.
 */

import type { RuleHit } from '../types.js';
import { type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

export const CLUSTER: readonly PatternFamily[] = [
  {
    rule: 'taskmanager-lost',
    subtype: 'taskmanager-lost',
    weight: -0.85,
    message:
      /Heartbeat of TaskManager with id .{1,120} timed out|TaskManager with id .{1,120} is no longer reachable|The TaskExecutor is shutting down|TaskExecutor .{1,80} (?:has been|is) (?:shut down|shutting down)|Container released on a \*?lost\*? node|Lost connection to (?:the )?TaskManager|The assigned slot .{1,120} was removed|Slot .{1,120} (?:has been|was) (?:removed|released)|TaskManager .{1,120} (?:disconnected|was lost|terminated|exited)|Disconnect(?:ing)? TaskManager|Connection unexpectedly closed by remote task manager|Heartbeat of JobManager with id .{1,120} timed out|JobManager .{1,120} is no longer reachable|Worker .{1,120} (?:terminated|was lost)|Pod .{1,120} (?:terminated|deleted|evicted)|Closing TaskExecutor connection .{1,200} because: (?:The heartbeat|Heartbeat|.{0,40}no longer reachable)/i,
    exception: /(?:^|\.)(?:TaskManagerLostException|RemoteTaskManagerLostException)$/,
  },
  {
    rule: 'jobmaster-or-leadership-lost',
    subtype: 'flink-ha',
    weight: -0.8,
    message:
      /lost (?:the )?leadership|Job was suspended|Operation cannot be fulfilled on configmaps|the object has been modified; please apply your changes to the latest version|ResourceManager leader changed|no longer (?:the )?leader|leader(?:ship)? (?:has been )?revoked|ZooKeeper.{0,60}(?:connection|session).{0,40}(?:lost|expired|suspended)|ConnectionLoss|Session expired/i,
    exception:
      /(?:^|\.)(?:FencingTokenException|JobMasterException|LeaderElectionException|KeeperException(?:\$\w+)?)$/,
  },
  {
    rule: 'no-slots-or-resources',
    subtype: 'resource-shortage',
    weight: -0.75,
    exception:
      /(?:^|\.)(?:NoResourceAvailableException|SlotAllocationException|UnfulfillableSlotRequestException)$/,
    message:
      /Could not acquire the minimum required resources|exceeded quota|resources? (?:is |are )?not available|insufficient resources|资源不足|Could not allocate (?:the required slot|all requires slots)|No pooled slot available|Slot request bulk is not fulfillable|Could not fulfill slot request|Could not allocate enough slots|[Ss]lot request .{0,80}timed out|within slot request timeout|Slot allocation .{0,40}timed out/i,
  },
  {
    rule: 'data-plane-between-taskmanagers-broke',
    subtype: 'network',
    weight: -0.7,
    exception:
      /(?:^|\.)(?:PartitionNotFoundException|RemoteTransportException|LocalTransportException|PartitionConnectionException|DataConsumptionException|TransportException)$/,
    message:
      /Sending the partition request to .{1,160} failed|(?:Local|Remote)TransportException|Error at remote task manager|Connecting to remote task manager .{1,160} has failed|Connection for partition .{1,120} not reachable/i,
  },
  {
    rule: 'shuffle-service-lost',
    subtype: 'shuffle-loss',
    weight: -0.75,
    exception:
      /(?:^|\.)(?:Celeborn\w*Exception|Shuffle\w*Exception|RssException|PartitionUnRetryAbleException|PartitionProducerDisposedException)$/,
    message:
      /remote shuffle|shuffle (?:service|server|worker|manager|client).{0,60}(?:lost|unavailable|failed|not available|connect|exited)|Lost (?:shuffle|result partition)|Failed to (?:fetch|read) (?:shuffle|partition) (?:data|file)|(?:celeborn|uniffle) .{0,60}(?:lost|unavailable|failed to (?:fetch|read|connect)|not available)|Shuffle data (?:lost|corrupted)|The (?:result )?partition .{0,120} (?:was|has been) (?:released|lost)/i,
  },
  {
    rule: 'flink-internal-timeout',
    subtype: 'flink-rpc',
    weight: -0.6,
    message:
      /Coordinator .{0,80}(?:timed out|timeout)|OperatorCoordinator .{0,120}(?:failed|timed out)|Failed to (?:trigger|send) .{0,60}(?:checkpoint|event).{0,60}timed out|Could not retrieve .{0,80} from (?:the )?(?:JobManager|ResourceManager|Dispatcher)|Registration at (?:JobManager|ResourceManager) .{0,60}(?:timed out|failed)|Timeout while waiting for .{0,60}(?:JobMaster|ResourceManager|leader)|ResourceManager .{0,40}(?:not reachable|unreachable)|Could not connect to (?:the )?(?:JobManager|ResourceManager|BlobServer)|Failed to fetch BLOB|Could not retrieve the (?:JobMaster|leader) gateway/i,
  },
  {
    rule: 'rpc-timeout',
    subtype: 'flink-rpc',
    weight: -0.6,
    exception:
      /(?:^|\.)(?:AskTimeoutException|RpcTimeoutException|RecipientUnreachableException|RpcConnectionException)$/,
    message:
      /Ask timed out on|Invocation of .{1,200} timed out|Could not send message .{1,200} to|recipient .{0,40}unreachable|Could not connect to rpc endpoint|has quarantined this system|Tried to associate with unreachable remote address|Association with remote system .{1,200} has failed/i,
  },
  {
    rule: 'jvm-crash-or-host-memory',
    subtype: 'jvm-crash',
    weight: -0.7,
    message:
      /A fatal error has been detected by the Java Runtime Environment|SIGSEGV|SIGBUS|hs_err_pid|There is insufficient memory for the Java Runtime Environment|Cannot allocate memory \(errno=12\)|Native memory allocation \(mmap\) failed/i,
  },
  {
    // A full local disk (RocksDB's working directory, spilling, logs) outside any checkpoint path:
    // the node ran out of room under the job.
    rule: 'local-disk-full',
    subtype: 'disk-full',
    weight: -0.55,
    message:
      /No space left on device|Disk quota exceeded|DiskFull|not enough (?:free )?disk space|disk is full/i,
  },
  {
    rule: 'container-killed',
    subtype: 'taskmanager-lost',
    weight: -0.5,
    message:
      /exit(?:ed)? (?:with )?(?:code|status) 137|Exit code is 1(?:37|43)|Container killed on request|Killed by external signal|killed by signal|Container .{1,120} (?:killed|preempted)|Pod .{1,120} evicted|node .{0,60}(?:not ready|drained|terminated)|spot (?:instance )?interruption|Container (?:exited|terminated) with a non-zero exit code/i,
  },
];

/** Cluster rules. */
export function clusterRules(ev: Evidence): RuleHit[] {
  return matchFamilies(CLUSTER, ev);
}
