import { createServer, type IncomingHttpHeaders } from 'node:http';

/** One expected request and the answer to give. */
export interface Expectation {
  /** Path and query as received, e.g. `/jobs?x=1`, or a pattern. */
  path: string | RegExp;
  status?: number;
  body?: unknown;
  /** Cut the connection instead of answering (a network failure after the request left). */
  destroy?: boolean;
  /** Never answer (a hung JobManager). */
  hang?: boolean;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

/** A received request. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * A strict loopback HTTP server for adapter tests (docs/design.md §6): requests must arrive in the order
 * expected; an unexpected one is answered 599 and recorded; `verify()` fails on unexpected and on
 * unused expectations.
 */
export interface StrictServer {
  url: string;
  expect(...e: Expectation[]): void;
  received: Received[];
  verify(): void;
  close(): Promise<void>;
}

export async function strictServer(): Promise<StrictServer> {
  const queue: Expectation[] = [];
  const received: Received[] = [];
  const unexpected: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    received.push({ method: req.method ?? '', path, headers: req.headers });
    const next = queue[0];
    const matches =
      next &&
      req.method === 'GET' &&
      (typeof next.path === 'string' ? next.path === path : next.path.test(path));
    if (!next || !matches) {
      unexpected.push(`${req.method} ${path}${next ? ` (expected ${String(next.path)})` : ''}`);
      res.writeHead(599).end();
      return;
    }
    queue.shift();
    if (next.hang) return;
    if (next.destroy) {
      req.socket.destroy();
      return;
    }
    const text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body ?? {});
    res.writeHead(next.status ?? 200, { 'content-type': 'application/json', ...next.headers }).end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    expect: (...e) => {
      queue.push(...e);
    },
    received,
    verify() {
      const problems = [
        ...unexpected.map((u) => `unexpected request: ${u}`),
        ...queue.map((q) => `expected request never came: ${String(q.path)}`),
      ];
      if (problems.length) throw new Error(problems.join('\n'));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
