import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every process a test starts is recorded here by PID so that the global teardown can stop it
 * even when the test that started it crashed. Peers still stop their own processes first.
 */
export function pidDir(): string {
  const dir = process.env.STREAMCTL_PEER_PIDS ?? join(tmpdir(), `streamctl-peer-pids-${process.ppid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function trackPid(pid: number | undefined, label: string): void {
  if (!pid) return;
  writeFileSync(join(pidDir(), String(pid)), label);
}

export function untrackPid(pid: number | undefined): void {
  if (!pid) return;
  rmSync(join(pidDir(), String(pid)), { force: true });
}

/** Kills every tracked process (SIGCONT first so a SIGSTOPped one can die), then forgets them. */
export function killTracked(): number {
  const dir = pidDir();
  let killed = 0;
  for (const name of readdirSync(dir)) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    for (const sig of ['SIGCONT', 'SIGKILL'] as const) {
      try {
        process.kill(pid, sig);
        if (sig === 'SIGKILL') killed++;
      } catch {
        /* already gone */
      }
    }
    rmSync(join(dir, name), { force: true });
  }
  return killed;
}

/** Stops a process by PID: SIGTERM, then SIGKILL after `graceMs`. Resolves when it is gone. */
export async function stopPid(pid: number | undefined, graceMs = 10_000): Promise<void> {
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGTERM');
  } catch {
    untrackPid(pid);
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    while (alive()) await new Promise((r) => setTimeout(r, 50));
  }
  untrackPid(pid);
}
