import { trackPid, untrackPid } from '../pids.js';
import {
  type PostgresServer,
  type PostgresServerInfo,
  startPostgresServer,
} from '../sandbox/postgres/server.js';
import type { PeerKind, StartedPeer } from './types.js';

/** Parameters of the `postgres` peer (none yet): `usePeer<PostgresPeerInfo>('postgres', {})`. */
export type PostgresPeerParams = Record<string, never>;

/** The server's URL, port, postmaster PID and data dir. */
export type PostgresPeerInfo = PostgresServerInfo;

/** A directly started server keeps its fault controls (stop, start, kill). */
export type StartedPostgresPeer = StartedPeer<PostgresPeerInfo> & { server: PostgresServer };

/**
 * A real PostgreSQL (Debian's server binaries, initdb in a temp dir) on loopback, its postmaster
 * PID tracked so the global teardown can stop it even after a crash. Shared-peer users create
 * their own database on it (`createTestDatabase`); fault tests start a private one with `start`.
 */
const postgres = {
  async start(): Promise<StartedPostgresPeer> {
    const server = await startPostgresServer({
      onSpawn: (pid, label) => trackPid(pid, label),
      onExit: (pid) => untrackPid(pid),
    });
    return { info: server.info(), stop: () => server.destroy(), server };
  },
} satisfies PeerKind<PostgresPeerParams, PostgresPeerInfo>;

export default postgres;
