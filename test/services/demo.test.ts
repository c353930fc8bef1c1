import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoDown } from '../../src/services/demo.js';
import { stopPid, trackPid } from '../peers/pids.js';
import { demoStateFile } from '../peers/sandbox/demo/host.js';
import { bindPidDir } from '../peers/use.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A harmless process standing in for "someone else's process that got a recycled PID". */
function bystander(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  trackPid(child.pid, 'demo.test bystander');
  return child;
}

function writeState(dir: string, hostPid: number, pids: number[], mtimeMs: number): void {
  const file = demoStateFile(dir);
  writeFileSync(
    file,
    JSON.stringify({
      hostPid,
      pids,
      controlUrl: 'http://127.0.0.1:1',
      configFile: '',
      journalFile: '',
      emulatorEndpoint: '',
      flinkRestUrl: '',
      kafkaBootstrap: '',
      kafkaVersion: '4',
      startedAt: new Date(mtimeMs).toISOString(),
    }),
  );
  utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
}

describe('demo down', () => {
  const started: ChildProcess[] = [];
  beforeAll(() => bindPidDir());
  afterEach(async () => {
    for (const c of started.splice(0)) await stopPid(c.pid, 1000);
  });

  it('never signals a PID from a stale state file that now belongs to a process started after it (reboot, PID reuse)', async () => {
    // Arrange: the state was written an hour ago; the PIDs it names now belong to newer processes.
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-demo-'));
    const host = bystander();
    const jvm = bystander();
    started.push(host, jvm);
    writeState(dir, host.pid!, [jvm.pid!], Date.now() - 3_600_000);

    // Act
    const r = await demoDown(dir, { timeoutMs: 500 });

    // Assert
    expect(r).toEqual({ stopped: false, killed: [] });
    expect(alive(host.pid!)).toBe(true);
    expect(alive(jvm.pid!)).toBe(true);
  });

  it('stops the processes the state file names when they are the ones it recorded', async () => {
    // Arrange: processes started before the state was written (as the host writes it).
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-demo-'));
    const host = bystander();
    const jvm = bystander();
    started.push(host, jvm);
    writeState(dir, host.pid!, [jvm.pid!], Date.now() + 1000);

    // Act
    const r = await demoDown(dir, { timeoutMs: 5000 });

    // Assert: the host is asked to stop (SIGTERM), the leftover JVM is killed by PID.
    expect(r.stopped).toBe(true);
    expect(r.killed).toEqual([jvm.pid]);
  });

  it('names the file and what was expected when the state file is not valid JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamctl-demo-'));
    writeFileSync(demoStateFile(dir), '{"hostPid": 12');
    await expect(demoDown(dir)).rejects.toMatchObject({
      exitCode: 65,
      message: expect.stringContaining('state.json'),
    });
  });
});
