import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopPid, trackPid } from '../peers/pids.js';

const CHILD = fileURLToPath(new URL('./lock-holder-child.ts', import.meta.url));

/** A child process holding a target's lock in the store; kill() stops it by PID (kill -9). */
export async function holdLockInChild(
  where: string,
  target: string,
  owner: string,
  kind: 'sqlite' | 'postgres' = 'sqlite',
): Promise<{ pid: number; kill(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, kind, where, target, owner], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackPid(child.pid, `lock holder ${target}`);
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      if (String(d).startsWith('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited ${code}: ${err}`)));
  });
  const pid = child.pid!;
  return {
    pid,
    async kill() {
      const gone = new Promise((r) => child.once('exit', r));
      process.kill(pid, 'SIGKILL');
      await gone;
      await stopPid(pid, 0);
    },
  };
}
