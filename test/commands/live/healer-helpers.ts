import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { runCli } from '../../helpers/cli.js';
import { trackPid, untrackPid } from '../../peers/pids.js';

const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));

/** A `streamctl healer run` child process and what it printed (pino JSON lines). */
export interface DaemonProc {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  stdout: () => string;
  stderr: () => string;
  /** The /metrics + /healthz base URL from the "healer started" line. */
  url: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the real CLI's daemon as a child process (tracked by PID). */
export function startDaemon(configPath: string, label: string): DaemonProc {
  const child = spawn(process.execPath, [BIN, 'healer', 'run', '--config', configPath], {
    env: { ...process.env, NO_COLOR: '1', STREAMCTL_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackPid(child.pid, `healer daemon ${label}`);
  let out = '';
  let err = '';
  let buf = '';
  const lines: Array<Record<string, unknown>> = [];
  let resolveUrl: (u: string) => void = () => {};
  const url = new Promise<string>((r) => {
    resolveUrl = r;
  });
  child.stdout!.on('data', (c: Buffer) => {
    out += c;
    buf += c;
    let i = buf.indexOf('\n');
    while (i >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const j = JSON.parse(line) as Record<string, unknown>;
        lines.push(j);
        if (typeof j.endpoint === 'string') resolveUrl(j.endpoint);
      } catch {
        /* not a log line */
      }
      i = buf.indexOf('\n');
    }
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => {
      untrackPid(child.pid);
      r({ code, signal });
    }),
  );
  return { child, lines, stdout: () => out, stderr: () => err, url, exited };
}

/** The daemon's config for one emulated MSF application. */
export function writeDaemonConfig(
  file: string,
  endpoint: string,
  opts: { app: string; applicationName: string; journal: string; extra?: string[]; msfEndpoint?: string },
): void {
  writeFileSync(
    file,
    [
      'aws:',
      '  region: us-east-1',
      `  endpoints: { kinesisanalyticsv2: "${opts.msfEndpoint ?? endpoint}", cloudwatch: "${endpoint}", logs: "${endpoint}", sns: "${endpoint}" }`,
      '  maxAttempts: 1',
      'flink:',
      '  applications:',
      `    - { name: ${opts.app}, managed: { applicationName: ${opts.applicationName} } }`,
      'healer:',
      '  mode: act',
      '  tickInterval: 5s',
      '  suspectCheckInterval: 3s',
      `  journal: ${opts.journal}`,
      '  daemon: { listen: "127.0.0.1:0", logLevel: debug }',
      ...(opts.extra ?? []),
    ].join('\n'),
  );
}

/** `healer history APP --json` through the real CLI. */
export async function history(configPath: string, app: string) {
  const r = await runCli(['healer', 'history', app, '--json', '--limit', '200', '--config', configPath]);
  if (r.code !== 0) throw new Error(`healer history exited ${r.code}: ${r.stdout}${r.stderr}`);
  return r.json();
}

/** Intents in the journal, read directly (what kill -9 timing needs: no CLI start-up delay). */
export function intentCount(journal: string): number {
  try {
    const db = new Database(journal, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM intents').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/**
 * A loopback HTTP proxy in front of the emulator's MSF API that can play a crash in the middle of
 * an action: the first request whose X-Amz-Target ends with `.<operation>` is forwarded (so MSF
 * really starts the operation), then `onForwarded` runs (the test kills the daemon there) and the
 * answer is never relayed — the daemon dies after the call reached MSF and before it could journal
 * the outcome. Every other request passes through.
 */
export async function crashingProxy(
  upstream: string,
  operation: string,
  onForwarded: () => void,
): Promise<{ endpoint: string; held: () => boolean; close: () => Promise<void> }> {
  const { createServer } = await import('node:http');
  let held = false;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const headers = { ...req.headers } as Record<string, string>;
    for (const h of ['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'expect'])
      delete headers[h];
    const upstreamRes = await fetch(`${upstream}${req.url ?? '/'}`, {
      method: req.method ?? 'POST',
      headers,
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
    });
    const body = Buffer.from(await upstreamRes.arrayBuffer());
    if (!held && target.endsWith(`.${operation}`)) {
      held = true;
      onForwarded();
      req.socket.destroy();
      return;
    }
    const out: Record<string, string> = {};
    upstreamRes.headers.forEach((v, k) => {
      if (k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'content-length') out[k] = v;
    });
    res.writeHead(upstreamRes.status, out).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    held: () => held,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
