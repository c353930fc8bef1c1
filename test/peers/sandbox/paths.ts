import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `scripts/fetch-peers.mjs` puts the Kafka and Flink jars (peers/<name>/ → <cache>/<name>/). */
export function peerCacheDir(name: string): string {
  return join(process.env.STREAMCTL_PEER_CACHE ?? join(homedir(), '.cache', 'streamctl-peers'), name);
}
