import { describe, expect, it } from 'vitest';
import { StreamctlError } from '../../../src/core/errors.js';
import { parseListen, startDaemonServer } from '../../../src/services/healer/server.js';

const handlers = {
  contentType: 'text/plain; version=0.0.4',
  metrics: async () => 'm 1\n',
  health: () => ({ ok: true, status: 'ok' as const, consecutiveFailedTicks: 0, mode: 'dry-run' as const }),
};

describe('the daemon endpoint', () => {
  it.each([
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['[::1]:9464', { host: '::1', port: 9464 }],
  ])('parses %s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['9464', '127.0.0.1', '127.0.0.1:70000', 'http://127.0.0.1:9464'])(
    'refuses %s with a config error naming the key',
    (text) => {
      expect(() => parseListen(text)).toThrow(/healer\.daemon\.listen: expected host:port/);
    },
  );

  it('serves /metrics and /healthz; a port already in use is a config error (exit 78), not a crash', async () => {
    const a = await startDaemonServer('127.0.0.1:0', handlers);
    try {
      expect(await (await fetch(`${a.url}/metrics`)).text()).toBe('m 1\n');
      expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${a.url}/other`)).status).toBe(404);
      const err = await startDaemonServer(a.url.replace('http://', ''), handlers).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StreamctlError);
      expect((err as StreamctlError).exitCode).toBe(78);
      expect((err as StreamctlError).message).toMatch(/cannot listen \(EADDRINUSE\)/);
    } finally {
      await a.close();
    }
  });
});
