import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServers } from '../../hostile/fault-servers.js';

/**
 * The real daemon (bin/run.js healer run) against an AWS endpoint that accepts the connection and
 * never answers (and one that answers byte by byte): its tick wedges on ListApplications. /healthz
 * must say so once the tick is past healer.daemon.tickDeadline (it said "starting" the whole time),
 * and SIGTERM must abort the call and end the process after healer.daemon.shutdownGrace (it was
 * still running 60 s later). The AWS call deadline is 40 s: exiting well before it shows the abort.
 */
const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));
let servers: Awaited<ReturnType<typeof startFaultServers>>;
const dirs: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  servers = await startFaultServers();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
  await servers?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function config(dir: string, port: number): string {
  const url = `"http://127.0.0.1:${port}"`;
  const file = join(dir, 'streamctl.yaml');
  writeFileSync(
    file,
    [
      'aws:',
      '  region: us-east-1',
      `  endpoints: { kinesisanalyticsv2: ${url}, cloudwatch: ${url}, logs: ${url}, sns: ${url} }`,
      'flink:',
      '  applications:',
      '    - { name: enricher, managed: { applicationName: enricher } }',
      'healer:',
      '  mode: act',
      `  journal: ${join(dir, 'journal.db')}`,
      '  tickInterval: 5s',
      '  daemon: { listen: "127.0.0.1:0", tickDeadline: 1s, shutdownGrace: 1s }',
      '',
    ].join('\n'),
  );
  return file;
}

interface Daemon {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startDaemon(configFile: string, cwd: string): Daemon {
  const child = spawn(process.execPath, [BIN, 'healer', 'run', '--config', configFile], {
    cwd,
    env: {
      ...process.env,
      NO_COLOR: '1',
      STREAMCTL_CONFIG: '',
      AWS_ACCESS_KEY_ID: 'AKIASHUTDOWN',
      AWS_SECRET_ACCESS_KEY: 'shutdown-secret',
      AWS_REGION: 'us-east-1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Array<Record<string, unknown>> = [];
  let buf = '';
  child.stdout!.on('data', (c) => {
    buf += c;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const l of parts.filter(Boolean)) lines.push(JSON.parse(l));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  return { child, lines, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(['hang', 'slow'] as const)('healer run against an AWS endpoint that is %s', (fault) => {
  it('/healthz turns 503 "stalled" with the reason; SIGTERM aborts the call and exits 0 after the grace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-shutdown-'));
    dirs.push(dir);
    const d = startDaemon(config(dir, servers.ports[fault]), dir);
    const endpoint = await until('the start line', () => {
      const started = d.lines.find((l) => String(l.msg).startsWith('healer started'));
      return started ? String(started.endpoint) : undefined;
    });
    const health = await until('a stalled /healthz', async () => {
      const res = await fetch(`${endpoint}/healthz`);
      const body = (await res.json()) as { status: string; reason?: string };
      return res.status === 503 ? body : undefined;
    });
    expect(health).toMatchObject({ ok: false, status: 'stalled' });
    expect(health.reason).toContain('past its deadline of 1 s (healer.daemon.tickDeadline)');

    d.child.kill('SIGTERM');
    const end = await Promise.race([
      d.exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), 20_000)),
    ]);
    expect(end).toEqual({ code: 0, signal: null });
    const msgs = d.lines.map((l) => String(l.msg));
    expect(msgs).toContain('shutdown grace elapsed: aborting the calls in flight');
    expect(msgs.at(-1)).toMatch(/^healer stopping: .*cut short after the grace/);
  }, 60_000);
});
