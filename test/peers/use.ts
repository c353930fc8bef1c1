import { request } from 'node:http';
import { inject } from 'vitest';

/**
 * Asks the run's peer service for a shared peer, starting it if no test file has yet.
 * Example: `const kafka = await usePeer<KafkaInfo>('kafka', { version: '3.9', brokers: 3 })`.
 * Shared peers must not be broken on purpose: fault tests start their own with the kind's `start`.
 */
export async function usePeer<Info>(kind: string, params: Record<string, unknown> = {}): Promise<Info> {
  process.env.STREAMCTL_PEER_PIDS ??= inject('peerPidDir');
  const url = new URL(inject('peerService'));
  const body = JSON.stringify({ kind, params });
  return new Promise<Info>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () => {
          const parsed = JSON.parse(data) as Info & { error?: string };
          if (res.statusCode !== 200) reject(new Error(`peer ${kind} failed to start: ${parsed.error}`));
          else resolve(parsed);
        });
      },
    );
    req.setTimeout(0);
    req.on('error', reject);
    req.end(body);
  });
}

/** Makes directly-started peers record their PIDs where the global teardown will find them. */
export function bindPidDir(): void {
  process.env.STREAMCTL_PEER_PIDS ??= inject('peerPidDir');
}
