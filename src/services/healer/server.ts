/**
 * The daemon's HTTP endpoint: `GET /metrics` (Prometheus text format) and `GET /healthz` (200 while
 * ticks succeed; 503 with the reason when the journal is unusable, a tick is past its deadline, or
 * `unhealthyAfterFailedTicks` ticks in a row failed: health.ts). Bound to the configured address — loopback by default: the metrics name
 * applications and the endpoint has no authentication.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configError } from '../../core/errors.js';

export interface HealthView {
  ok: boolean;
  status: 'starting' | 'ok' | 'failing' | 'stalled' | 'journal-fault';
  /** Why it is unhealthy, in words. */
  reason?: string;
  consecutiveFailedTicks: number;
  lastTickAt?: string;
  lastSuccessAt?: string;
  lastError?: string;
  mode: 'dry-run' | 'act';
  /** Leadership: `leader` acts, `standby` observes (lease.ts). */
  role?: 'leader' | 'standby';
  replica?: string;
  lease?: string;
  token?: number;
  leaseAgeSeconds?: number;
  leaseExpiresAt?: string;
  /** The replica holding the lease, seen from a standby. */
  leader?: string;
  notActingBecause?: string;
  /** Sharded daemons (healer.store.shards > 1): the shards this replica holds (shard-status.ts). */
  shards?: Array<{
    shard: number;
    role: 'leader';
    token: number;
    leaseAgeSeconds: number;
    leaseExpiresAt: string;
  }>;
  shardCount?: number;
  liveReplicas?: number;
  shardTarget?: number;
}

export interface DaemonServer {
  /** `http://host:port` actually bound (port 0 resolves to a free port). */
  url: string;
  close(): Promise<void>;
}

/** Parses `host:port` (IPv6 in brackets). */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})$/.exec(listen);
  const port = Number(m?.[2]);
  if (!m || port > 65535)
    throw configError(`healer.daemon.listen: expected host:port such as 127.0.0.1:9464, got "${listen}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export async function startDaemonServer(
  listen: string,
  handlers: { metrics(): Promise<string>; health(): HealthView; contentType: string },
): Promise<DaemonServer> {
  const { host, port } = parseListen(listen);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      handlers.metrics().then(
        (text) => res.writeHead(200, { 'content-type': handlers.contentType }).end(text),
        (e: Error) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${e.message}\n`),
      );
      return;
    }
    if (path === '/healthz') {
      const h = handlers.health();
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(h)}\n`);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        configError(
          `healer.daemon.listen ${listen}: cannot listen (${e.code ?? e.message})`,
          'Pick a free port, or port 0 for any.',
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    url: `http://${shown}:${a.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
