/**
 * External systems failing without a change by the owner (system). Two kinds, because context
 * treats them differently (context.ts):
 * - the dependency ANSWERED with an error — HTTP 5xx, a broker that is not the leader, a database
 *   failing over, a stream-load endpoint restarting, throttling. The endpoint and the credentials
 *   demonstrably work; nothing the owner changed explains it, and rolling back healthy code does
 *   not fix it;
 * - the dependency could not be REACHED — timeouts, refused or reset connections, names that do not
 *   resolve. Usually the network or the dependency; but right after the owner changed the endpoint,
 *   the credentials or the configuration, the change (context.ts blames it).
 *
 * Throttling (ProvisionedThroughputExceeded, Rate exceeded, 429) leans system with low weight:
 * sustained throttling is a capacity question of the stream or table the owner sized, but rolling
 * back healthy code does not add shards, so the healer should page rather than roll back.
 */

import type { RuleHit } from '../types.js';
import { DATABASE_SETUP } from './configuration.js';
import { type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

/** Subtypes of errors a dependency answered: no owner change is blamed for them. */
export const ANSWERED = new Set([
  'external-http-5xx',
  'kafka-broker-side',
  'database-failover',
  'external-throttling',
]);

export const EXTERNAL: readonly PatternFamily[] = [
  {
    // Includes a known broker (node N ≥ 0, not the bootstrap node -1) dropping the connection: the
    // client had working metadata, so its address and security settings work.
    rule: 'kafka-broker-side-error',
    subtype: 'kafka-broker-side',
    weight: -0.7,
    exception:
      /kafka.*\.(?:NotLeaderOrFollowerException|NotLeaderForPartitionException|LeaderNotAvailableException|NotEnoughReplicasException|NotEnoughReplicasAfterAppendException|NotCoordinatorException|CoordinatorNotAvailableException|CoordinatorLoadInProgressException|BrokerNotAvailableException|KafkaStorageException|UnknownServerException|FencedLeaderEpochException|UnknownLeaderEpochException|OffsetNotAvailableException|ReplicaNotAvailableException|CorruptRecordException|NetworkException|UnknownProducerIdException|InvalidPidMappingException|OutOfOrderSequenceException|ConcurrentTransactionsException|InvalidTxnStateException)$/i,
    message:
      /not the leader for that topic-partition|is not the current leader|NOT_LEADER(?:_OR_FOLLOWER|_FOR_PARTITION)|LEADER_NOT_AVAILABLE|There is no leader for this topic-partition|Leader not (?:found|available)|no leader|Expiring \S+ record\(s\) for|NOT_ENOUGH_REPLICAS|Messages are rejected since there are fewer in-sync replicas|The coordinator is not available|This is not the correct coordinator|The server experienced an unexpected error when processing the request|The broker is not available|Broker: Not enough in-sync replicas|KAFKA_STORAGE_ERROR|Disk error when trying to access log file|due to node (?!-)\d+ being disconnected|[Nn]ode (?!-)\d+ disconnected/i,
  },
  {
    // The client never got metadata: a wrong address, listener or security setting reads exactly
    // like brokers that are down — on the tuning cases more often the former. Below score.ts's
    // WEAK_FROM: alone it is "unknown"; context (an endpoint change) or other evidence decides.
    rule: 'kafka-never-reached',
    subtype: 'external-system-unavailable',
    weight: -0.12,
    message:
      /Timeout expired while fetching topic metadata|Timed out waiting for a node assignment|Failed to update metadata after|not present in metadata after \d+ ms|TimeoutException: Topic .{1,120} not present/i,
  },
  {
    rule: 'kafka-unreachable',
    subtype: 'external-system-unavailable',
    // A timeout is weaker evidence than an error the broker answered: the client may be the one
    // that cannot talk (wrong listener, missing SASL settings). Below STRONG, so a recent deploy
    // makes it unknown rather than system.
    weight: -0.45,
    exception:
      /kafka.*\.(?:DisconnectException|RetriableCommitFailedException|RebalanceInProgressException|CommitFailedException)$/i,
    message:
      /Broker may not be available|Connection to node .{1,80} (?:could not be established|was disconnected|terminated)|Timeout of \d+ms expired before|Timed out waiting to send the call|Disconnected from node|Timeout expired after \d+ ?(?:ms|milliseconds) while awaiting|Timeout expired while (?:initializing transactional state|awaiting InitProducerId|committing offsets)/i,
  },
  {
    rule: 'http-5xx-from-service',
    subtype: 'external-http-5xx',
    weight: -0.75,
    exception:
      /(?:^|\.)(?:ServiceUnavailableException|InternalFailureException|InternalServerErrorException|KMSInternalException|ServiceFailureException|InternalServiceException|BadGatewayException|GatewayTimeoutException)$/,
    message:
      /\b50[0-4] (?:Bad Gateway|Service (?:Temporarily )?Unavailable|Gateway Time-?out|Internal Server Error)|Service ?Unavailable|InternalFailure|Internal ?Server ?Error|Bad Gateway|Gateway Time-?out|(?:Status|status|HTTP|http)(?: ?[Cc]ode)?[ :=]+5\d\d\b|response(?: code| status)?[ :=]+5\d\d\b|returned (?:HTTP |status |an? )?5\d\d\b|statusCode=5\d\d|"status"\s?:\s?5\d\d|error code:? 5\d\d|HTTP\/\d(?:\.\d)? 5\d\d|es_rejected_execution_exception|circuit_breaking_exception|cluster_block_exception|OOM command not allowed when used memory|READONLY You can't write against a read only replica|LOADING Redis is loading|CLUSTERDOWN|TRYAGAIN|no_shard_available_action_exception|unavailable_shards_exception|master_not_discovered_exception|NoNodeAvailableException|None of the configured nodes are available|all shards failed/i,
  },
  {
    rule: 'database-failover',
    subtype: 'database-failover',
    weight: -0.75,
    message:
      /binlog .{0,120}(?:no longer available|is not available|has been purged|purged)|purged (?:the )?binary logs|binary logs? .{0,80}(?:purged|no longer (?:available|exist))|The connector is trying to read binlog starting at|Could not find first log file name in binary log index file|could not find next log; the first event|Client requested master to start replication from position > file size|replication slot .{0,80}(?:does not exist|has been invalidated|could not be)|ORA-01292|ORA-00308|archived? log .{0,60}(?:deleted|not found|no longer available|missing)|terminating connection due to administrator command|the database system is (?:shutting down|starting up|in recovery mode|not yet accepting connections)|The MySQL server is running with the --read-only option|cannot execute .{1,40} in a read-only transaction|ORA-(?:03113|03114|03135|01089|12514|12541)|failover (?:in progress|happened|occurred)|primary (?:switched|changed|stepped down)|NotWritablePrimary|not master|NotPrimaryNoSecondaryOk|PrimarySteppedDown/i,
  },
  {
    rule: 'stream-load-endpoint-failed',
    subtype: 'external-system-unavailable',
    weight: -0.6,
    message:
      /stream ?load .{0,120}(?:Connection refused|Connection reset|timed out|unavailable|Failed to connect|No route|5\d\d\b|not available|closed)|(?:Failed to get|No available|no alive|can not find) (?:a )?(?:backend|BE|be node|alive backend)|no backend alive|backends? (?:is |are )?not alive|Backend .{0,60} (?:is down|not alive|unavailable)|publish timeout|tablet .{0,60}(?:not (?:found|available)|unhealthy)|(?:FE|BE|frontend|backend) .{0,40}(?:restart|is not ready|is starting)|tablet writer write failed.{0,80}err=-235|too many (?:tablet )?versions|-235 (?:error|errcode)/i,
    unless: /too many filtered rows|Reason: column|ErrorURL|data quality|Data quality/i,
  },
  {
    rule: 'remote-service-unreachable',
    subtype: 'external-system-unavailable',
    weight: -0.55,
    exception:
      /(?:^|\.)(?:ConnectException|NoRouteToHostException|SocketTimeoutException|ConnectTimeoutException|HttpHostConnectException|CommunicationsException|ConnectionClosedException|\w*ClosedChannelException|PoolTimeoutException|EndpointDiscoveryFailedException|RedisConnectionException|JedisConnectionException|MongoTimeoutException|MongoSocketException|MongoSocketReadException|NoHostAvailableException|HBaseIOException|RetriesExhaustedException|ConnectionLossException|SQLTransientConnectionException|SQLRecoverableException|SQLNonTransientConnectionException|AllNodesFailedException|RetriesExhaustedWithDetailsException|NotServingRegionException|RegionOfflineException|ServerNotRunningYetException|PleaseHoldException|CallQueueTooBigException|ExpiredIteratorException)$/,
    message:
      /Unable to execute HTTP request|Connection refused|Connection reset|Connect(?:ion)? timed out|Read timed out|connect timed out|Broken pipe|Connection (?:was )?closed by (?:the )?(?:remote|peer|server)|No route to host|Network is unreachable|All hosts? .{0,40}(?:failed|tried)|Unable to connect to|Could not (?:connect|open connection) to|Timeout waiting for connection from pool|Connection pool shut down|failed to respond|Remote host terminated the handshake|Premature EOF|Unexpected end of file from server|Socket closed|Connection timed out|Retrying connect to server|Timeout when (?:subscribing|connecting|reading|writing)|timed out waiting for (?:a )?response|An error occurred on the connection|ClosedChannelException|Channel (?:closed|inactive)|channel is inactive|Stream reset|GOAWAY|ReadTimeoutException|WriteTimeoutException|PrematureChannelClosure|Connection closed prematurely|Server failed to complete the response|Communications link failure|Lost connection to MySQL server|MySQL server has gone away|No operations allowed after connection closed|Connection is not available, request timed out|executeBatch error|This connection has been closed|Connection (?:is )?(?:closed|broken)|An I\/O error occurred while sending to the backend/i,
    // A database refusing the job because it is not set up for it is configuration.
    unless: DATABASE_SETUP,
  },
  {
    // Flink's async I/O giving up on the service it waits for (AsyncWaitOperator's default timeout()).
    rule: 'async-call-timed-out',
    subtype: 'external-system-unavailable',
    weight: -0.45,
    message: /Async function call has timed out|Async (?:operation|request) timed out/i,
  },
  {
    // The same give-up as the async operator words it on a record, with AsyncFunction.timeout below.
    rule: 'async-call-timed-out',
    subtype: 'external-system-unavailable',
    weight: -0.45,
    message: /Could not complete the stream element/i,
    requires: /AsyncFunction\.timeout|AsyncWaitOperator\$ResultHandler\.timerTriggered/,
  },
  {
    rule: 'name-does-not-resolve',
    subtype: 'dns-failure',
    weight: -0.5,
    exception: /(?:^|\.)UnknownHostException$/,
    message:
      /UnknownHostException|Name or service not known|nodename nor servname provided|No address associated with hostname|Couldn't resolve server|Couldn't resolve host|unable to resolve host|Temporary failure in name resolution|DNS resolution failed|Failed to resolve (?:address|host|name)/i,
  },
  {
    rule: 'external-throttling',
    subtype: 'external-throttling',
    // A service refusing for rate is the service's limit (docs/classifier.md): strong, so a deploy
    // beside it cannot tip it toward the owner.
    weight: -0.55,
    exception:
      /(?:^|\.)(?:ProvisionedThroughputExceededException|ThrottlingException|LimitExceededException|RequestLimitExceededException|TooManyRequestsException|KMSThrottlingException|ThrottledException)$/,
    message:
      /ProvisionedThroughputExceeded|Rate exceeded|reduce your request rate|Throttling|TooManyRequests|Too Many Requests|Status Code: 429|LimitExceededException|RequestLimitExceeded|Slow ?Down|throttled/i,
  },
];

/** External-system rules. */
export function externalRules(ev: Evidence): RuleHit[] {
  return matchFamilies(EXTERNAL, ev);
}
