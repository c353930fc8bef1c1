/**
 * Kafka protocol error codes as values. Per-resource errors in admin responses (a topic that does
 * not exist, an election that was not needed, a broker config the broker refused) are results,
 * not exceptions (docs/design.md §6): callers get `{ code, name, message? }` and decide.
 */
import { kafkajsErrorCodes } from '../kafkajs-internals.js';

/** A Kafka error code with its protocol name and, when the broker sent one, its message. */
export interface KafkaErrorInfo {
  code: number;
  name: string;
  message?: string;
}

/** Codes newer than kafkajs's table (Kafka's Errors.java). */
const NEWER: Record<number, string> = {
  89: 'THROTTLING_QUOTA_EXCEEDED',
  90: 'PRODUCER_FENCED',
  91: 'RESOURCE_NOT_FOUND',
  92: 'DUPLICATE_RESOURCE',
  93: 'UNACCEPTABLE_CREDENTIAL',
  94: 'INCONSISTENT_VOTER_SET',
  95: 'INVALID_UPDATE_VERSION',
  96: 'FEATURE_UPDATE_FAILED',
  97: 'PRINCIPAL_DESERIALIZATION_FAILURE',
  98: 'SNAPSHOT_NOT_FOUND',
  99: 'POSITION_OUT_OF_RANGE',
  100: 'UNKNOWN_TOPIC_ID',
  101: 'DUPLICATE_BROKER_REGISTRATION',
  102: 'BROKER_ID_NOT_REGISTERED',
  103: 'INCONSISTENT_TOPIC_ID',
  104: 'INCONSISTENT_CLUSTER_ID',
  105: 'TRANSACTIONAL_ID_NOT_FOUND',
  106: 'FETCH_SESSION_TOPIC_ID_ERROR',
  107: 'INELIGIBLE_REPLICA',
  108: 'NEW_LEADER_ELECTED',
  109: 'OFFSET_MOVED_TO_TIERED_STORAGE',
};

const NAMES = new Map<number, string>(kafkajsErrorCodes.map((e) => [e.code, e.type]));
// Kafka renamed code 6 in 2.7 (KIP-392); use the current name in what operators read.
NAMES.set(6, 'NOT_LEADER_OR_FOLLOWER');
NAMES.set(-1, 'UNKNOWN_SERVER_ERROR');
for (const [code, name] of Object.entries(NEWER)) NAMES.set(Number(code), name);

/** The protocol name of an error code (`ERROR_<code>` when unknown). */
export function errorName(code: number): string {
  return NAMES.get(code) ?? `ERROR_${code}`;
}

/** `undefined` for code 0, else the error as a value. */
export function kafkaError(code: number, message?: string | null): KafkaErrorInfo | undefined {
  if (code === 0) return undefined;
  return message ? { code, name: errorName(code), message } : { code, name: errorName(code) };
}

/** Codes that mean "not allowed": the whole operation maps to exit 77. */
export const AUTHORIZATION_CODES: ReadonlySet<number> = new Set([29, 30, 31, 53, 58]);

/** Well-known codes the adapter and the fake refer to by name. */
export const ErrorCode = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  BROKER_NOT_AVAILABLE: 8,
  REPLICA_NOT_AVAILABLE: 9,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  UNSUPPORTED_VERSION: 35,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  NOT_CONTROLLER: 41,
  INVALID_REQUEST: 42,
  KAFKA_STORAGE_ERROR: 56,
  PREFERRED_LEADER_NOT_AVAILABLE: 80,
  ELIGIBLE_LEADERS_NOT_AVAILABLE: 83,
  ELECTION_NOT_NEEDED: 84,
  NO_REASSIGNMENT_IN_PROGRESS: 85,
} as const;
