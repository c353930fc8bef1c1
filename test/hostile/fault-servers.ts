import { createServer, type Server, type Socket } from 'node:net';

/**
 * Misbehaving servers on 127.0.0.1 for the network cases: raw TCP, so a fault is exactly what
 * is on the wire. `refused` is a port that was bound and closed (nothing listens there).
 */
export type Fault = 'refused' | 'hang' | '500' | '429' | 'json' | 'garbage' | 'slow';

const BODIES: Record<string, { status: string; body: string }> = {
  '500': { status: '500 Internal Server Error', body: '<html><body>upstream exploded</body></html>' },
  '429': { status: '429 Too Many Requests', body: '{"message": "Rate exceeded"' },
  json: { status: '200 OK', body: '{"not": json, really' },
  garbage: { status: '200 OK', body: '\u0000\u0001\u0002 not an API \u00ff' },
};

function serve(fault: Fault, socket: Socket, timers: Set<NodeJS.Timeout>): void {
  socket.on('error', () => {});
  if (fault === 'hang') return; // accept, read, never answer
  if (fault === 'slow') {
    // Slow-loris: a valid status line, then one header byte every 500 ms, never ending.
    const head = 'HTTP/1.1 200 OK\r\nX-Slow: ';
    let i = 0;
    const t = setInterval(() => socket.write(i < head.length ? head[i++]! : 'a'), 500);
    timers.add(t);
    socket.on('close', () => clearInterval(t));
    return;
  }
  const { status, body } = BODIES[fault]!;
  socket.once('data', () =>
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    ),
  );
}

/** Starts one server per fault; `stop` closes them and every connection. */
export async function startFaultServers(): Promise<{
  ports: Record<Fault, number>;
  stop: () => Promise<void>;
}> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const listen = (fault: Fault) =>
    new Promise<number>((resolve) => {
      const s = createServer((socket) => {
        sockets.add(socket);
        serve(fault, socket, timers);
      });
      servers.push(s);
      s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port));
    });
  const faults: Fault[] = ['hang', '500', '429', 'json', 'garbage', 'slow'];
  const ports = {} as Record<Fault, number>;
  for (const f of faults) ports[f] = await listen(f);
  // A port nothing listens on: bound, then closed.
  const closed = createServer();
  ports.refused = await new Promise<number>((resolve) =>
    closed.listen(0, '127.0.0.1', () => {
      const { port } = closed.address() as { port: number };
      closed.close(() => resolve(port));
    }),
  );
  return {
    ports,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
