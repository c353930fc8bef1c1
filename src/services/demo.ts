import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamctlError, tempFailure } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import { type DemoState, demoStateFile } from '../sandbox/demo/host.js';

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

export function defaultDemoDir(): string {
  return resolve(process.env.STREAMCTL_DEMO_DIR ?? '.streamctl/demo');
}

/** The running sandbox, if its host process is alive. */
export function demoState(dir: string): DemoState | undefined {
  const file = demoStateFile(dir);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as DemoState;
  try {
    process.kill(state.hostPid, 0);
    return state;
  } catch {
    return undefined;
  }
}

/**
 * Starts the sandbox host in the background (detached, its output in host.log) and waits until
 * it has written its state: real Kafka (3 brokers), real Flink, the AWS emulator, a config.
 */
export async function demoUp(dir: string, opts: { timeoutMs?: number; onWait?: (s: string) => void } = {}): Promise<DemoState> {
  const running = demoState(dir);
  if (running) return running;
  mkdirSync(dir, { recursive: true });
  rmSync(demoStateFile(dir), { force: true });
  const log = join(dir, 'host.log');
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, [BIN, 'demo', 'host', '--dir', dir], { detached: true, stdio: ['ignore', out, out], env: process.env });
  child.unref();
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  while (Date.now() < deadline) {
    const s = demoState(dir);
    if (s) return s;
    if (exited !== undefined) break;
    opts.onWait?.('starting Kafka, Flink and the AWS emulator…');
    await new Promise((r) => setTimeout(r, 1000));
  }
  const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
  if (child.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  throw new StreamctlError('DEMO_START_FAILED', `the demo sandbox did not start${exited === undefined ? ' in time' : ` (host exited with ${exited})`}`, {
    exitCode: exited === undefined ? Sysexit.TEMPFAIL : Sysexit.UNAVAILABLE,
    hint: `Java 17 and the peers are needed (npm run peers:fetch). Last lines of ${log}:\n${tail}`,
  });
}

/** Stops the sandbox: asks the host to stop, then kills any JVM it left behind, by PID. */
export async function demoDown(dir: string, opts: { timeoutMs?: number } = {}): Promise<{ stopped: boolean; killed: number[] }> {
  const file = demoStateFile(dir);
  if (!existsSync(file)) return { stopped: false, killed: [] };
  const state = JSON.parse(readFileSync(file, 'utf8')) as DemoState;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(state.hostPid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (alive(state.hostPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const killed: number[] = [];
  for (const pid of [state.hostPid, ...state.pids]) {
    if (!alive(pid)) continue;
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      /* gone */
    }
  }
  rmSync(file, { force: true });
  if (alive(state.hostPid)) throw tempFailure(`demo host ${state.hostPid} did not stop`);
  return { stopped: true, killed };
}
