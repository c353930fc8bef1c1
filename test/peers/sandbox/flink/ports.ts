import { createServer, type Server } from 'node:net';

/**
 * Picks `count` distinct free TCP ports on 127.0.0.1 by binding port 0 and releasing it. All sockets
 * are held until every port is chosen so the kernel cannot hand out the same one twice; another
 * process may still take one before the JVM binds it, so the launcher retries once on a bind error.
 */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const addr = server.address();
      if (!addr || typeof addr === 'string') throw new Error('could not read a bound port');
      ports.push(addr.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
