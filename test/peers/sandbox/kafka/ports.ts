import { createServer, type Server } from 'node:net';

/**
 * Picks `count` distinct free TCP ports on `host` by binding port 0 and releasing it. All sockets
 * are held until every port is chosen so the kernel cannot hand out the same one twice. Another
 * process may still take a port before the JVM binds it; the launcher retries on "Address already
 * in use".
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => resolve());
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
