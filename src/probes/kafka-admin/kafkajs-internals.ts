/**
 * The one place that reaches into kafkajs 2.2.4 internals (node_modules/kafkajs/src). kafkajs is
 * frozen upstream (tulios/kafkajs#1603), so these shapes will not move under us. We need them to
 * send the admin requests kafkajs lacks over its own authenticated, pooled broker connections
 * instead of a second Kafka client: a Cluster (broker lookup by node id, the controller), each
 * Broker's ConnectionPool `send({ request, response })`, the negotiated ApiVersions map, and the
 * protocol error table.
 */
import { createRequire } from 'node:module';
import type { Admin, KafkaConfig, logCreator } from 'kafkajs';

const require = createRequire(import.meta.url);

/** `{ [apiKey]: { minVersion, maxVersion } }` as kafkajs stores the broker's ApiVersions answer. */
export type ApiVersionsMap = Record<number, { minVersion: number; maxVersion: number } | undefined>;

/** A request/response pair in the shape kafkajs's Connection.send accepts. */
export interface KafkajsProtocolRequest<T> {
  request: {
    apiKey: number;
    apiVersion: number;
    apiName: string;
    encode: () => Promise<{ buf: Buffer; buffer: Buffer }>;
  };
  response: { decode: (payload: Buffer) => Promise<T>; parse: (decoded: T) => Promise<T> };
  requestTimeout?: number;
  logResponseError?: boolean;
}

/** What we use of kafkajs's internal Broker. */
export interface InternalBroker {
  nodeId: number | null;
  versions: ApiVersionsMap | null;
  connectionPool: { host: string; port: number; send<T>(req: KafkajsProtocolRequest<T>): Promise<T> };
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/** What we use of kafkajs's internal Cluster. */
export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  refreshMetadata(): Promise<void>;
  findBroker(q: { nodeId: number }): Promise<InternalBroker>;
  findControllerBroker(): Promise<InternalBroker>;
  brokerPool: {
    seedBroker?: InternalBroker;
    versions: ApiVersionsMap | null;
    withBroker<T>(fn: (a: { broker: InternalBroker; nodeId: number }) => Promise<T>): Promise<T>;
  };
}

/** An entry of kafkajs's protocol error table (protocol/error.js). */
export interface KafkajsErrorCode {
  type: string;
  code: number;
  retriable: boolean;
  message: string;
}

type ClusterCtor = new (opts: Record<string, unknown>) => InternalCluster;
type CreateAdmin = (opts: {
  logger: unknown;
  cluster: InternalCluster;
  retry?: unknown;
  instrumentationEmitter?: unknown;
}) => Admin;

const Cluster = require('kafkajs/src/cluster/index.js') as ClusterCtor;
const createAdmin = require('kafkajs/src/admin/index.js') as CreateAdmin;
const { createLogger } = require('kafkajs/src/loggers/index.js') as {
  createLogger: (o: { level: number; logCreator: logCreator }) => unknown;
};
const defaultSocketFactory = require('kafkajs/src/network/socketFactory.js') as () => unknown;
const InstrumentationEventEmitter = require('kafkajs/src/instrumentation/emitter.js') as new () => unknown;

/** kafkajs's table of Kafka protocol error codes (up to 88; newer codes are added in protocol/errors.ts). */
export const kafkajsErrorCodes: readonly KafkajsErrorCode[] = (
  require('kafkajs/src/protocol/error.js') as { errorCodes: KafkajsErrorCode[] }
).errorCodes;

/**
 * Builds one kafkajs Cluster and a kafkajs Admin over it, exactly as `new Kafka(config).admin()`
 * does (kafkajs src/index.js), but keeping the Cluster so our own requests share its connections.
 */
export function createClusterAndAdmin(config: KafkaConfig & { logLevel: number; logCreator: logCreator }): {
  cluster: InternalCluster;
  admin: Admin;
} {
  const logger = createLogger({ level: config.logLevel, logCreator: config.logCreator });
  const instrumentationEmitter = new InstrumentationEventEmitter();
  const cluster = new Cluster({
    logger,
    retry: config.retry,
    offsets: new Map(),
    socketFactory: config.socketFactory ?? defaultSocketFactory(),
    brokers: config.brokers,
    ssl: config.ssl,
    sasl: config.sasl,
    clientId: config.clientId,
    connectionTimeout: config.connectionTimeout ?? 1000,
    authenticationTimeout: config.authenticationTimeout,
    reauthenticationThreshold: config.reauthenticationThreshold,
    requestTimeout: config.requestTimeout,
    enforceRequestTimeout: config.enforceRequestTimeout ?? true,
    metadataMaxAge: undefined,
    instrumentationEmitter,
    allowAutoTopicCreation: false,
    maxInFlightRequests: null,
    isolationLevel: undefined,
  });
  const admin = createAdmin({ retry: config.retry, logger, instrumentationEmitter, cluster });
  return { cluster, admin };
}
