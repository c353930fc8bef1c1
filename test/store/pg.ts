import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PostgresPeerInfo } from '../peers/kinds/postgres.js';
import { usePeer } from '../peers/use.js';

/**
 * A fresh, empty database on the run's shared PostgreSQL peer (one per test, so tests never see
 * each other's rows); returns its URL.
 */
export async function useFreshDatabase(): Promise<string> {
  const peer = await usePeer<PostgresPeerInfo>('postgres', {});
  return freshDatabaseOn(peer.url);
}

/** A fresh, empty database on the server at `url` (a private server of a fault test). */
export async function freshDatabaseOn(url: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
