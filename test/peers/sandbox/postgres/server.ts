/**
 * A real PostgreSQL server for tests, benches and fault drills: Debian's server binaries
 * (`postgresql` package, /usr/lib/postgresql/<major>/bin), `initdb` in a temp dir, `postgres`
 * started on a free loopback port and stopped by PID. initdb and postgres refuse to run as root,
 * so under root both run as the `postgres` system user (spawn uid/gid; the data dir is chowned to
 * it); otherwise as the current user. Trust authentication on loopback only: test data, no secret.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../kafka/ports.js';

/** Where the server listens and lives. */
export interface PostgresServerInfo {
  /** `postgres://streamctl@127.0.0.1:<port>/postgres` (no password: trust on loopback). */
  url: string;
  port: number;
  pid: number;
  dataDir: string;
}

/** A running server with its fault controls. */
export interface PostgresServer {
  info(): PostgresServerInfo;
  /** Fast shutdown (SIGINT), waits for the process to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir (after stop or kill). */
  start(): Promise<void>;
  /** kill -9 of the postmaster (its backends exit when they notice). */
  kill(): Promise<void>;
  /** Stops it and removes the data dir. */
  destroy(): Promise<void>;
}

export interface PostgresServerOptions {
  onSpawn?: (pid: number, label: string) => void;
  onExit?: (pid: number) => void;
}

/** The directory of Debian's server binaries (the newest major ≥ 15), or undefined. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .map(Number)
    .filter((m) => m >= 15)
    .sort((a, b) => b - a);
  for (const m of majors)
    if (existsSync(join(root, String(m), 'bin', 'postgres'))) return join(root, String(m), 'bin');
  return undefined;
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const r = spawnSync('id', ['-u', 'postgres']);
  const g = spawnSync('id', ['-g', 'postgres']);
  if (r.status !== 0 || g.status !== 0)
    throw new Error('running as root and there is no `postgres` user to run initdb/postgres as');
  return { uid: Number(String(r.stdout).trim()), gid: Number(String(g.stdout).trim()) };
}

/** initdb in a fresh temp dir, then starts the server on a free loopback port. */
export async function startPostgresServer(opts: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found: apt-get install postgresql (≥ 15)');
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'streamctl-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'streamctl', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
    { ...(user ?? {}), encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  const [port] = await freePorts(1);
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const c = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-h',
        '127.0.0.1',
        '-k',
        dir,
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ],
      { ...(user ?? {}), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    c.stderr?.on('data', (d) => {
      log = (log + d).slice(-4000);
    });
    child = c;
    if (c.pid) opts.onSpawn?.(c.pid, `postgres :${port}`);
    exited = new Promise((r) =>
      c.once('exit', () => {
        if (c.pid) opts.onExit?.(c.pid);
        r();
      }),
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (c.exitCode !== null) throw new Error(`postgres exited at start: ${log}`);
      const ready = spawnSync(join(bin, 'pg_isready'), [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'streamctl',
      ]);
      if (ready.status === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    c.kill('SIGKILL');
    throw new Error(`postgres did not accept connections within 30 s: ${log}`);
  };
  const signal = async (sig: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill(sig);
    await exited;
  };
  await start();
  return {
    info: () => ({
      url: `postgres://streamctl@127.0.0.1:${port}/postgres`,
      port: port!,
      pid: child?.pid ?? 0,
      dataDir,
    }),
    stop: () => signal('SIGINT'),
    start,
    kill: () => signal('SIGKILL'),
    async destroy() {
      await signal('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
