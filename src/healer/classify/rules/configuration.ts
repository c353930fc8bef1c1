/**
 * The owner's configuration (user): credentials, permissions, endpoints, topics/streams/buckets
 * that do not exist, invalid connector or Flink options, SQL that does not validate. These fail
 * the same way on every attempt, which is what makes a restart loop.
 */

import { frameOrigin } from '../frames.js';
import type { RuleHit } from '../types.js';
import { clip, type Evidence, matchFamilies, type PatternFamily } from './evidence.js';

/** A source database not set up for this job (CDC: server ids, slots, decoding plugins, privileges). */
export const DATABASE_SETUP =
  /A slave with the same server_uuid\/server_id|same server[_ -]id|server-id .{0,60}(?:conflict|in use|already)|replication slot .{1,80} (?:already exists|is active for PID)|(?:could not access file|无法访问文件) \\?"?(?:decoderbufs|wal2json|pgoutput)|logical decoding requires|wal_level|binlog_format .{0,40}(?:ROW|must be)|binlog_row_image|must be superuser|REPLICATION (?:CLIENT|SLAVE)? ?privilege|command denied to user|permission denied for|Public Key Retrieval is not allowed|(?:does not have|doesn't have|has no|without) (?:a )?primary key|primary key is required|requires? (?:a )?primary key|Access denied for user|supplemental logging|ORA-01031|ORA-00942|ORA-01017|binlog probably contains events generated with statement or mixed based replication format|\$changeStream stage is only supported on replica sets|Unrecognized pipeline stage name: '\$changeStream'|change streams? (?:are|is) only supported on replica sets/i;

export const CONFIGURATION: readonly PatternFamily[] = [
  {
    rule: 'authentication-or-authorization-refused',
    subtype: 'bad-config-auth',
    weight: 0.85,
    exception:
      /(?:^|\.)(?:SaslAuthenticationException|SslAuthenticationException|AuthenticationException|TopicAuthorizationException|GroupAuthorizationException|ClusterAuthorizationException|TransactionalIdAuthorizationException|AccessDeniedException|AuthorizationException|UnrecognizedClientException|InvalidClientTokenIdException|ExpiredTokenException|LoginException|GSSException|SSLHandshakeException)$/,
    message:
      /Access Denied|AccessDenied|is not authorized to perform|not authorized to access|Not authorized to access (?:topics|group)|UnrecognizedClientException|security token included in the request is (?:invalid|expired)|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken|Status Code: 403|status code: 403|\b403 Forbidden|SASL authentication failed|Authentication failed(?: during authentication)?(?: due to)?|Failed to find any Kerberos tgt|No valid credentials provided|Unable to load (?:AWS )?credentials|Invalid username or password|AuthorizationException|NoCredentialsProviders|PKIX path building failed|unable to find valid certification path|No subject alternative (?:DNS )?names? matching|User is denied operation|not in (?:the )?white ?list|IP .{0,60} (?:is )?not allowed|is not allowed to connect to this|error code: 403\d\d|error code: 401\d\d|Status Code: 401|\b401 Unauthorized|\bUnauthorized\b|Forbidden \(403\)|Invalid credentials|Bad credentials|password authentication failed|Access denied for user|Login failed for user|authentication (?:is )?required|NOAUTH|WRONGPASS|not authorized to perform/i,
  },
  {
    rule: 'invalid-configuration',
    subtype: 'bad-config',
    weight: 0.85,
    exception:
      /(?:^|\.)(?:ConfigException|IllegalConfigurationException|ValidationException|SqlParserException|SqlParseException|SqlValidateException|SqlValidatorException|CalciteContextException|InvalidTopicException|InvalidConfigurationException|InvalidArgumentException|InvalidParameterException|InvalidTxnTimeoutException|RecordTooLargeException)$/,
    message:
      /Missing required configuration|Failed to construct kafka (?:consumer|producer)|Invalid value .{0,160} for configuration|Query schema: .{0,400}Sink schema|Column types of query result and sink for|Incompatible types for sink column|doesn't support consuming update(?: and delete)? changes|Table sink .{0,120} doesn't support|is not supported (?:in|by) (?:streaming|batch|this) (?:mode|connector|sink|source)|Cannot generate a valid execution plan for the given query|Non-query expression encountered|Encountered .{1,60} at line \d+, column \d+|Unknown identifier|Incorrect syntax near|Cannot apply '[^']+' to arguments of type|Rowtime attributes must not be in the input rows of a regular join|No resolvable bootstrap urls|Invalid url in bootstrap\.servers|Unsupported options found|Unsupported option|Missing required options|Could not parse value|Invalid configuration|is not a valid (?:config|option)|Insufficient number of network buffers|Cannot find table|Object '[^']+' not found|Table .{0,80} not found|Unable to create a (?:source|sink) for reading table|SQL validation failed|Column '[^']+' not found|No match found for function signature|transaction timeout is larger than the maximum value allowed by the broker|transaction\.max\.timeout\.ms|when serialized which is larger than (?:the maximum request size|the total memory buffer)|(?:truststore|keystore|\.jks|cacerts).{0,80}(?:No such file|not found|does not exist)|(?:NoSuchFileException|FileNotFoundException): \S*(?:truststore|keystore|\.jks|cacerts)/i,
  },
  {
    rule: 'security-protocol-mismatch',
    subtype: 'bad-config-auth',
    weight: 0.8,
    message:
      /Unexpected handshake request with client mechanism|Invalid receive \(size = \d+ larger than|Unrecognized SSL message, plaintext connection|not an SSL\/TLS record|Unsupported or unrecognized SSL message|SSL routines:[^\n]{0,80}wrong version number|SSL handshake failed|Failed authentication with|terminated during authentication|Could not find a '?KafkaClient'? entry in the JAAS configuration|No serviceName defined in either JAAS or Kafka config|Unable to find LoginModule class|JAAS configuration|sasl\.jaas\.config|Unexpected Kafka request of type \w+ during SASL handshake|Authentication failed during authentication due to invalid credentials|unsupported SASL mechanism|UnsupportedSaslMechanism|Invalid SASL mechanism|security\.protocol|Failed to configure SaslClientAuthenticator|ssl\.(?:truststore|keystore)\.(?:location|password)/i,
  },
  {
    // The bootstrap broker (id -1) dropping the connection before any metadata: the classic sign of
    // a client speaking the wrong protocol to a listener (plaintext to a TLS or IAM port). Brokers
    // that are down look the same, so it is a lean, not a verdict.
    rule: 'bootstrap-broker-dropped-connection',
    subtype: 'bad-config-endpoint',
    weight: 0.3,
    message:
      /Bootstrap broker .{1,160}\(id: -1 rack: \w+\) disconnected|Connection to node -1 .{1,160} (?:was disconnected|could not be established)/i,
  },
  {
    rule: 'no-timestamps-or-watermarks',
    subtype: 'missing-watermark',
    weight: 0.85,
    message:
      /Record has (?:Long\.MIN_VALUE|java\.lang\.Long\.MIN_VALUE) timestamp|did you forget to call 'DataStream\.assignTimestampsAndWatermarks|no timestamp marker|Rowtime timestamp is (?:not defined|null)|Please (?:specify|define) a (?:timestamp assigner|watermark)|requires a (?:time attribute|watermark)|event[- ]time .{0,40}(?:requires|without) (?:a )?watermark|can only be defined (?:over|on) a time attribute|expects a time attribute|is not a (?:valid )?(?:time|rowtime) attribute|must be a (?:time|rowtime) attribute|time attribute column|is a time attribute type|Window aggregate can only be defined over a time attribute/i,
  },
  {
    rule: 'empty-job-graph',
    subtype: 'empty-topology',
    weight: 0.85,
    message:
      /No operators defined in streaming topology|No data sinks have been created yet|Cannot generate StreamGraph|No (?:INSERT|insert) statement|statement set .{0,40}(?:is )?empty|No statement to execute|The program didn't contain a Flink job|No sinks? (?:defined|registered)/i,
  },
  {
    // In a distributed job, "localhost" is the TaskManager itself: pointing a source or sink at a
    // loopback or wildcard address is a configuration mistake, not a service down.
    rule: 'connection-to-local-address',
    subtype: 'bad-config-endpoint',
    weight: 0.8,
    message:
      /(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::\d+)?.{0,160}(?:Connection refused|refused|Failed to connect|Unable to connect|Connect(?:ion)? timed out)|(?:Connection refused|Failed to connect to|Unable to connect to|Connecting to).{0,120}(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?:[:/]|\b)/i,
  },
  {
    rule: 'database-not-set-up-for-this-job',
    subtype: 'bad-config',
    weight: 0.75,
    message: DATABASE_SETUP,
  },
  {
    rule: 'configured-resource-missing',
    subtype: 'bad-config-resource',
    weight: 0.75,
    exception:
      /(?:^|\.)(?:ResourceNotFoundException|NoSuchBucketException|UnknownTopicOrPartitionException|NoSuchKeyException)$/,
    message:
      /ResourceNotFoundException|Stream .{1,200} (?:under account .{1,40} )?not found|Requested resource not found|NoSuchBucket|The specified bucket does not exist|Topic .{1,120} (?:does not exist|not present in metadata)|This server does not host this topic-partition|Unknown topic or partition|The specified key does not exist.{0,80}savepoint|savepoint.{0,120}(?:does not exist|not found)|Cannot find savepoint|Cannot find checkpoint or savepoint/i,
    // "not present in metadata after N ms" is a timeout: the broker may be down (external.ts).
    unless: /not present in metadata after \d+ ms/i,
  },
  {
    // Doris and StarRocks load transactions are named by the job's label prefix: a label "already
    // used" means the job restarted without its checkpoint under the same prefix (the owner's
    // option), not the database failing.
    rule: 'load-label-reused',
    subtype: 'bad-config',
    weight: 0.6,
    message: /Label \[?[\w.-]+\]? has already been used|Label Already Exists|LABEL_ALREADY_EXISTS/i,
  },
  {
    rule: 'schema-registry-subject-missing',
    subtype: 'bad-config-resource',
    weight: 0.6,
    message:
      /Subject '?[^' ]+'? not found|Schema not found; error code: 40403|Subject not found\.?; error code: 40401/i,
  },
  {
    rule: 'job-main-failed',
    subtype: 'user-code-error',
    weight: 0.3,
    message:
      /The main method caused an error|The program's entry point class|Could not build the program from JAR file|Neither a 'Main-Class', nor a 'program-class' entry was found|No jobs included in application/i,
    // When the main method only relays a job failure, the failure decides.
    unless:
      /Job execution failed|JobExecutionException|Recovery is suppressed|Job failed|Failed to execute job/i,
  },
];

/** Methods that set things up (constructors, builders, open/validate/configure): arguments come from configuration. */
const SETUP_METHOD =
  /^(?:<init>|<clinit>|build|open|validate\w*|configure\w*|initialize\w*|create\w*|parse\w*|check\w*|get(?:Required|Mandatory)\w*|load\w*)$/;
const CONFIG_CLASS =
  /(?:Config|Configuration|Option|Options|Builder|Factory|Properties|Validator|Settings)[\w$]*$/;
const CONFIG_WORDS =
  /propert|option|config|must be|must not|required|missing|not set|is not valid|invalid|null or empty|cannot be (?:empty|null|blank)|should be|expected .{0,40} but|unknown (?:value|key|type)|not supported/i;

/**
 * An IllegalArgumentException raised while a connector or Flink itself sets up (a builder, open(),
 * validate()) with a message about options or values: the argument came from the job's configuration.
 */
function invalidArgumentDuringSetup(ev: Evidence): RuleHit | undefined {
  const root = ev.root;
  if (!root || !/(?:^|\.)(?:IllegalArgumentException|InvalidArgumentException)$/.test(root.exception))
    return undefined;
  if (!CONFIG_WORDS.test(root.message)) return undefined;
  const frames = root.frames.filter((f) => frameOrigin(f.cls) !== 'jdk').slice(0, 8);
  const top = frames[0];
  // Only where configuration is read: connectors, or configuration/builder/factory classes.
  if (!top || !(frameOrigin(top.cls) === 'connector' || CONFIG_CLASS.test(top.cls))) return undefined;
  const setup = frames.find((f) => SETUP_METHOD.test(f.method));
  if (!setup) return undefined;
  return {
    rule: 'invalid-argument-during-setup',
    subtype: 'bad-config',
    weight: 0.45,
    evidence: `${clip(`${root.exception}: ${root.message}`)} raised while setting up ${setup.cls}.${setup.method}`,
  };
}

const PRECONDITION =
  /^(?:checkNotNull|checkArgument|checkState|requireNonNull|notNull|isTrue|checkNotEmpty)$/;
const RECORD_PATH =
  /^(?:(?:de)?serialize\w*|process\w*|invoke|emit\w*|collect|map|flatMap|run|poll\w*|fetch\w*|handle\w*|write\w*|flush|snapshotState|notifyCheckpoint\w*)$/;

/**
 * A precondition (checkNotNull, checkArgument) failing while a connector or Flink sets itself up —
 * a factory creating a catalog, a builder, open() — is a required option the owner did not set, not
 * a bug where it was thrown. On the record path (deserialize, process) it stays a bug (ownership.ts).
 */
function preconditionDuringSetup(ev: Evidence): RuleHit | undefined {
  const root = ev.root;
  if (
    !root ||
    !/(?:^|\.)(?:NullPointerException|IllegalArgumentException|IllegalStateException)$/.test(root.exception)
  )
    return undefined;
  const frames = root.frames.filter((f) => frameOrigin(f.cls) !== 'jdk');
  const at = frames.findIndex((f) => PRECONDITION.test(f.method));
  if (at < 0 || at > 1) return undefined;
  const callers = frames.slice(at + 1, at + 6);
  if (callers.some((f) => RECORD_PATH.test(f.method))) return undefined;
  const setup = callers.find((f) => SETUP_METHOD.test(f.method) && !PRECONDITION.test(f.method));
  if (!setup) return undefined;
  return {
    rule: 'precondition-failed-during-setup',
    subtype: 'bad-config',
    weight: 0.45,
    evidence: `root cause: ${clip(`${root.exception}${root.message ? `: ${root.message}` : ''}`)} — a precondition ${setup.cls}.${setup.method} checks while setting up`,
  };
}

/** Configuration rules. */
export function configurationRules(ev: Evidence): RuleHit[] {
  const out = matchFamilies(CONFIGURATION, ev);
  const pre = preconditionDuringSetup(ev);
  if (pre) out.push(pre);
  const arg = invalidArgumentDuringSetup(ev);
  if (arg) out.push(arg);
  return out;
}
