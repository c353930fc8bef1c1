/**
 * Which kafkajs connection a request travels on. The broker directory is kept in kafkajs's own
 * BrokerPool (so kafkajs's admin calls reuse the same connections) but filled from streamctl's
 * Metadata answer, because kafkajs's metadata refresh throws on the first offline partition.
 */

import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { mapKafkaError } from './kafka-errors.js';
import type { InternalBroker, InternalCluster } from './kafkajs-internals.js';
import { type ApiDefinition, pickVersion, toKafkajs } from './protocol/api.js';
import { Metadata, type RawMetadata } from './protocol/metadata.js';
import { checkMetadata } from './schema.js';

/** Routes streamctl's requests to the right broker over kafkajs's connections. */
export class BrokerRouter {
  /** The controller id of the last Metadata answer (-1 before the first). */
  controllerId = -1;

  constructor(
    private readonly name: string,
    private readonly cluster: InternalCluster,
  ) {}

  /** Connects (bootstrap, ApiVersions, authentication) and learns the brokers. */
  async connect(): Promise<void> {
    try {
      await this.cluster.connect();
    } catch (e) {
      throw mapKafkaError(e, `kafka cluster ${this.name}: cannot connect`);
    }
    await this.refresh([]);
  }

  /** Every broker object known (for closing). */
  all(): InternalBroker[] {
    return Object.values(this.pool.brokers);
  }

  private get pool() {
    return this.cluster.brokerPool as unknown as {
      seedBroker?: InternalBroker;
      versions: Record<number, { minVersion: number; maxVersion: number }> | null;
      brokers: Record<string, InternalBroker>;
      rootLogger: unknown;
      createBroker(o: Record<string, unknown>): InternalBroker;
      connectionPoolBuilder: {
        build(o: { host: string; port: number; rack: string | null }): Promise<unknown>;
      };
      findBroker(q: { nodeId: number }): Promise<InternalBroker>;
      metadataExpireAt: number | null;
    };
  }

  /** Sends one of our requests to one broker; retries once on a dropped connection. */
  async send<Req, Res>(broker: InternalBroker, def: ApiDefinition<Req, Res>, req: Req): Promise<Res> {
    const version = pickVersion(
      def as ApiDefinition<unknown, unknown>,
      broker.versions ?? this.pool.versions,
    );
    for (let attempt = 0; ; attempt++) {
      try {
        return await broker.connectionPool.send(toKafkajs(def, req, version));
      } catch (e) {
        const name = (e as { name?: string }).name ?? '';
        if (attempt === 0 && /ConnectionClosed|KafkaJSConnectionError/.test(name)) {
          await broker.disconnect().catch(() => undefined);
          await broker.connect(); // reconnects and re-authenticates; ApiVersions are kept
          continue;
        }
        throw e;
      }
    }
  }

  /** A connected broker by id (throws when it cannot connect). */
  async broker(id: number): Promise<InternalBroker> {
    if (!this.pool.brokers[id]) await this.refresh([]);
    if (!this.pool.brokers[id])
      throw new StreamctlError('KAFKA', `broker ${id} is not in the cluster metadata`, {
        exitCode: Sysexit.UNAVAILABLE,
      });
    return this.pool.findBroker({ nodeId: id });
  }

  /** Any broker that answers: the seed broker if still connected, else the first that connects. */
  async anyBroker(): Promise<InternalBroker> {
    const seed = this.pool.seedBroker;
    if (seed && (seed as unknown as { isConnected(): boolean }).isConnected()) return seed;
    let last: unknown;
    for (const id of Object.keys(this.pool.brokers)) {
      try {
        return await this.pool.findBroker({ nodeId: Number(id) });
      } catch (e) {
        last = e;
      }
    }
    try {
      await this.cluster.connect();
      if (this.pool.seedBroker) return this.pool.seedBroker;
    } catch (e) {
      last = e;
    }
    throw mapKafkaError(last, `kafka cluster ${this.name}: no broker reachable`);
  }

  /** Our Metadata request; also keeps kafkajs's broker directory in step with it. */
  async refresh(topics: string[] | null): Promise<RawMetadata> {
    let raw: RawMetadata;
    try {
      const b = await this.anyBroker();
      raw = checkMetadata(
        await this.send(b, Metadata, { topics }),
        `kafka cluster ${this.name}: Metadata response`,
      );
    } catch (e) {
      throw mapKafkaError(e, `kafka cluster ${this.name}: Metadata`);
    }
    await this.syncBrokers(raw);
    this.controllerId = raw.controllerId;
    return raw;
  }

  /** Mirrors kafkajs's BrokerPool.refreshMetadata bookkeeping (reuse, seed, replace). */
  private async syncBrokers(raw: RawMetadata): Promise<void> {
    const pool = this.pool;
    const seed = pool.seedBroker;
    const next: Record<string, InternalBroker> = {};
    for (const b of raw.brokers) {
      const existing = pool.brokers[b.nodeId];
      if (existing && existing.connectionPool.host === b.host && existing.connectionPool.port === b.port) {
        next[b.nodeId] = existing;
      } else if (seed && seed.connectionPool.host === b.host && seed.connectionPool.port === b.port) {
        seed.nodeId = b.nodeId;
        next[b.nodeId] = seed;
      } else {
        if (existing) await existing.disconnect().catch(() => undefined);
        next[b.nodeId] = pool.createBroker({
          logger: pool.rootLogger,
          versions: pool.versions,
          connectionPool: await pool.connectionPoolBuilder.build({
            host: b.host,
            port: b.port,
            rack: b.rack,
          }),
          nodeId: b.nodeId,
        });
      }
    }
    for (const [id, broker] of Object.entries(pool.brokers)) {
      if (!next[id] && broker !== seed) await broker.disconnect().catch(() => undefined);
    }
    pool.brokers = next;
  }
}
