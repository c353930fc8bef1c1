import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { StartedPeer } from './kinds/types.js';
import { killTracked } from './pids.js';

/**
 * Vitest global setup: a loopback HTTP service that starts shared peers on demand (the first test
 * file that asks for `kafka {version:'3.9',brokers:3}` starts it; later ones reuse it) and stops
 * every one of them, and any process still tracked by PID, at the end of the run.
 */
const started = new Map<string, Promise<StartedPeer<unknown>>>();
let server: Server | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    peerService: string;
    peerPidDir: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  const pidDirPath = mkdtempSync(join(tmpdir(), 'streamctl-peer-pids-'));
  process.env.STREAMCTL_PEER_PIDS = pidDirPath;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      try {
        const { kind, params } = JSON.parse(body) as { kind: string; params: unknown };
        if (!/^[a-z0-9-]+$/.test(kind)) throw new Error(`bad peer kind ${kind}`);
        const key = `${kind}:${JSON.stringify(params ?? {})}`;
        let p = started.get(key);
        if (!p) {
          p = import(`./kinds/${kind}.ts`).then((m) => m.default.start(params ?? {}));
          started.set(key, p);
          p.catch(() => started.delete(key));
        }
        const peer = await p;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(peer.info));
      } catch (e) {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: String((e as Error)?.stack ?? e) }));
      }
    });
  });
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('peer service did not bind');
  project.provide('peerService', `http://127.0.0.1:${addr.port}`);
  project.provide('peerPidDir', pidDirPath);
}

export async function teardown(): Promise<void> {
  for (const p of started.values()) {
    try {
      await (await p).stop();
    } catch {
      /* keep stopping the others */
    }
  }
  killTracked();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
}
