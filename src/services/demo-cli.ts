/**
 * The demo's tools (demo-scenario.ts): the real CLI run as an operator would run it, a patient
 * wait, and the emulated MSF API's client. The demo drives the sandbox it started (`demo up`), so
 * it builds its own clients for it; streamctl's services never do.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { StreamctlError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import type { DemoState } from './demo-state.js';

/** The compiled CLI, as an operator runs it. */
export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
/** The demo's Flink application. */
export const DEMO_APP = 'orders-enricher';

/** One line of the demo's narration. */
export type Narrate = (section: string, line: string) => void;

/**
 * Runs `streamctl <args> --config <file> --json` and parses its JSON (stdout). `T` is the part of
 * the command's `--json` shape the demo reads: every field optional, since a failed command prints
 * an error object instead.
 */
export async function cli<T = unknown>(
  state: DemoState,
  args: string[],
  opts: { json?: boolean } = {},
): Promise<{ code: number | null; out: T | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, ...args, '--config', state.configFile, ...(opts.json === false ? [] : ['--json'])],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      let out: T | undefined;
      try {
        out = JSON.parse(stdout) as T;
      } catch {
        out = undefined;
      }
      resolve({ code, out, text: stdout + stderr });
    });
  });
}

/** Polls `probe` every 2 s until it answers, or fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe().catch((e: unknown) => {
      if (e instanceof StreamctlError && e.code === 'DEMO_HEALER_EXITED') throw e;
      return undefined;
    });
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new StreamctlError('DEMO_TIMEOUT', `demo: gave up waiting for ${what}`, {
    exitCode: Sysexit.TEMPFAIL,
  });
}

/** A client of the emulated MSF API. */
export function msfClient(state: DemoState): KinesisAnalyticsV2Client {
  return new KinesisAnalyticsV2Client({
    endpoint: state.emulatorEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo-not-a-secret' },
    maxAttempts: 2,
  });
}

/** The last lines of a file (for failure hints). */
export function tail(file: string, n = 15): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-n).join('\n') : '';
}
