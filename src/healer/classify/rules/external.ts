/**
 * External systems failing without a change by the owner (system): Kafka brokers unreachable or
 * without a leader, AWS services returning 5xx, connections refused/reset/timing out. The same
 * errors right after the owner changed an endpoint, IAM or the application are configuration:
 * context.ts turns them around.
 *
 * Throttling (ProvisionedThroughputExceeded, Rate exceeded, 429) is a deliberate choice: it leans
 * system with low weight. Rolling back healthy code does not add Kinesis shards or DynamoDB
 * capacity, so the healer should page rather than roll back; after an UpdateApplication that
 * raised parallelism or throughput, context.ts makes it user.
 */

import type { RuleHit } from '../types.js';
import { type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

export const EXTERNAL: readonly PatternFamily[] = [
  {
    rule: 'kafka-unavailable',
    subtype: 'external-system-unavailable',
    weight: -0.6,
    exception:
      /kafka.*\.(?:TimeoutException|NetworkException|DisconnectException|NotLeaderOrFollowerException|NotLeaderForPartitionException|LeaderNotAvailableException|NotEnoughReplicasException|NotEnoughReplicasAfterAppendException|NotCoordinatorException|CoordinatorNotAvailableException|BrokerNotAvailableException|KafkaStorageException|UnknownServerException|RetriableCommitFailedException|CorruptRecordException)$/i,
    message:
      /Timeout expired while fetching topic metadata|not present in metadata after \d+ ms|Timed out waiting for a node assignment|Expiring \d+ record\(s\)|Failed to update metadata after|Broker may not be available|Connection to node .{1,80} (?:could not be established|was disconnected|terminated)|Timeout of \d+ms expired before|Timed out waiting to send the call|Disconnected from node|The coordinator is not available|There is no leader for this topic-partition|NOT_ENOUGH_REPLICAS|Timeout expired after \d+ ?ms while awaiting|TimeoutException: Topic .{1,120} not present|The server experienced an unexpected error when processing the request/i,
  },
  {
    rule: 'remote-service-error',
    subtype: 'external-system-unavailable',
    weight: -0.55,
    exception:
      /(?:^|\.)(?:ServiceUnavailableException|InternalFailureException|InternalServerErrorException|KMSInternalException|ConnectException|NoRouteToHostException|SocketTimeoutException|ConnectTimeoutException|HttpHostConnectException|CommunicationsException|PSQLException)$|ClosedChannelException$/,
    message:
      /Service ?Unavailable|InternalFailure|Internal ?Server ?Error|Status Code: 50[0-4]|status code 50[0-4]|Unable to execute HTTP request|Connection refused|Connection reset|Connect(?:ion)? timed out|Read timed out|connect timed out|Communications link failure|Broken pipe|Connection (?:was )?closed by (?:the )?(?:remote|peer|server)|No route to host|Network is unreachable|ElasticsearchException|NoNodeAvailableException|All hosts? .{0,40}(?:failed|tried)|Unable to connect to/i,
  },
  {
    rule: 'external-throttling',
    subtype: 'external-throttling',
    weight: -0.35,
    exception:
      /(?:^|\.)(?:ProvisionedThroughputExceededException|ThrottlingException|LimitExceededException|RequestLimitExceededException|TooManyRequestsException|KMSThrottlingException)$/,
    message:
      /ProvisionedThroughputExceeded|Rate exceeded|Throttling|TooManyRequests|Status Code: 429|LimitExceededException|RequestLimitExceeded|Slow ?Down/i,
  },
];

/** External-system rules. */
export function externalRules(ev: Evidence): RuleHit[] {
  return matchFamilies(EXTERNAL, ev);
}
