import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { badInput, StreamctlError, tempFailure } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import { requireSandbox } from './demo-sandbox.js';
import { type DemoState, demoStateFile } from './demo-state.js';

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

/** The running sandbox, if its host process is alive. */
export function demoState(dir: string): DemoState | undefined {
  const file = demoStateFile(dir);
  if (!existsSync(file)) return undefined;
  const state = readDemoState(file);
  try {
    process.kill(state.hostPid, 0);
  } catch {
    return undefined;
  }
  // A live PID that started after the file was written is a reused PID, not the host.
  return startedBy(state.hostPid, statSync(file).mtimeMs) ? state : undefined;
}

/**
 * Starts the sandbox host in the background (detached, its output in host.log) and waits until
 * it has written its state: real Kafka (3 brokers), real Flink, the AWS emulator, a config.
 */
export async function demoUp(
  sandboxDir: string,
  opts: { timeoutMs?: number; onWait?: (s: string) => void } = {},
): Promise<DemoState> {
  const dir = resolve(sandboxDir);
  const running = demoState(dir);
  if (running) return running;
  // Before any side effect: an installed package has no sandbox to start.
  requireSandbox();
  mkdirSync(dir, { recursive: true });
  rmSync(demoStateFile(dir), { force: true });
  const log = join(dir, 'host.log');
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, [BIN, 'demo', 'host', '--dir', dir], {
    detached: true,
    stdio: ['ignore', out, out],
    env: process.env,
  });
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
  throw new StreamctlError(
    'DEMO_START_FAILED',
    `the demo sandbox did not start${exited === undefined ? ' in time' : ` (host exited with ${exited})`}`,
    {
      exitCode: exited === undefined ? Sysexit.TEMPFAIL : Sysexit.UNAVAILABLE,
      hint: `Java 17 and the peers are needed (npm run peers:fetch). Last lines of ${log}:\n${tail}`,
    },
  );
}

/**
 * Stops the sandbox: asks the host to stop, then kills any JVM it left behind, by PID.
 *
 * A PID from the state file is signalled only if that process started before the file was last
 * written: after a reboot, or once the sandbox died and the PID was reused, the number belongs to
 * someone else's process, which must never be killed.
 */
export async function demoDown(
  sandboxDir: string,
  opts: { timeoutMs?: number } = {},
): Promise<{ stopped: boolean; killed: number[] }> {
  const dir = resolve(sandboxDir);
  const file = demoStateFile(dir);
  if (!existsSync(file)) return { stopped: false, killed: [] };
  const state = readDemoState(file);
  const writtenAt = statSync(file).mtimeMs;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const ours = (pid: number) => alive(pid) && startedBy(pid, writtenAt);
  if (!ours(state.hostPid) && !state.pids.some(ours)) {
    rmSync(file, { force: true });
    return { stopped: false, killed: [] };
  }
  if (ours(state.hostPid)) {
    try {
      process.kill(state.hostPid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    while (alive(state.hostPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  }
  const killed: number[] = [];
  for (const pid of [state.hostPid, ...state.pids]) {
    if (!ours(pid)) continue;
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      /* gone */
    }
  }
  // The demo's healer daemon (a child of `streamctl demo`, not of the host) if it outlived it.
  const healerPidFile = join(dir, 'healer.pid');
  if (existsSync(healerPidFile)) {
    const pid = Number(readFileSync(healerPidFile, 'utf8'));
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      /* gone, or not Linux */
    }
    if (Number.isInteger(pid) && cmd.includes('healer') && cmd.includes(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        /* gone */
      }
    }
    rmSync(healerPidFile, { force: true });
  }
  rmSync(file, { force: true });
  if (ours(state.hostPid)) throw tempFailure(`demo host ${state.hostPid} did not stop`);
  return { stopped: true, killed };
}

/** Reads state.json, or a bad-input error naming the file (a truncated write, a hand edit). */
function readDemoState(file: string): DemoState {
  let state: Partial<DemoState>;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoState>;
  } catch (e) {
    throw badInput(file, '', 'the JSON the demo host writes', (e as Error).message);
  }
  if (!Number.isInteger(state?.hostPid) || (state.hostPid ?? 0) <= 0)
    throw badInput(file, 'hostPid', 'a positive process id', JSON.stringify(state?.hostPid));
  if (!Array.isArray(state.pids) || !state.pids.every((p) => Number.isInteger(p) && p > 0))
    throw badInput(file, 'pids', 'an array of positive process ids');
  return state as DemoState;
}

/** 2 s of slack: the start time has tick precision, the file time is written just after. */
const START_SLACK_MS = 2000;

/**
 * Whether process `pid` started before `writtenAt` (epoch ms), i.e. can be one the state file
 * recorded. Unknown start time (no /proc, no ps) counts as "not ours": leaving a process running
 * is the safe side.
 */
function startedBy(pid: number, writtenAt: number): boolean {
  const started = processStartMs(pid);
  return started !== undefined && started <= writtenAt + START_SLACK_MS;
}

function processStartMs(pid: number): number | undefined {
  try {
    // Linux: field 22 of /proc/<pid>/stat is the start time in clock ticks after boot (USER_HZ = 100).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (Number.isFinite(ticks) && Number.isFinite(btime)) return btime * 1000 + ticks * 10;
  } catch {
    /* not Linux: ask ps */
  }
  try {
    const lstart = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const ms = Date.parse(lstart);
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}
