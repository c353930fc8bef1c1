import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StreamctlError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import type { DemoKafkaVersion } from '../services/demo-state.js';

/** The dev-only sandbox host's entry point (test/peers/sandbox/demo/host.ts). */
export interface SandboxHost {
  runDemoHost(dir: string, opts?: { kafkaVersion?: DemoKafkaVersion }): Promise<void>;
}

/**
 * Where the sandbox host is: `npm run build` compiles test/peers/sandbox/demo/host.ts to
 * dist/dev/sandbox-host.js, which `package.json` `files` leaves out of the package; under
 * bin/dev.js (tsx) the source itself. Neither exists in an installed package.
 */
const CANDIDATES = [
  new URL('../dev/sandbox-host.js', import.meta.url),
  new URL('../../test/peers/sandbox/demo/host.ts', import.meta.url),
];

/** The sandbox host's module file, or undefined outside a checkout. */
export function sandboxHostFile(): string | undefined {
  return CANDIDATES.map((u) => fileURLToPath(u)).find((f) => existsSync(f));
}

/**
 * Throws a clear "runs from a checkout" error when the sandbox is not here: the demo starts real
 * Kafka brokers, a real Flink cluster and the AWS emulator, which are dev-side code and jars.
 */
export function requireSandbox(): string {
  const file = sandboxHostFile();
  if (file) return file;
  throw new StreamctlError(
    'DEMO_NEEDS_CHECKOUT',
    'the demo runs from a checkout of streamctl: its sandbox (real Kafka, real Flink, the AWS emulator) is not in the installed package',
    {
      exitCode: Sysexit.UNAVAILABLE,
      hint: 'clone the streamctl repository, then run `npm ci` and `npm run demo` in it (README: Demo)',
    },
  );
}

/** Loads the sandbox host (dev-only code) on demand. */
export async function loadSandboxHost(): Promise<SandboxHost> {
  const file = requireSandbox();
  return (await import(file)) as SandboxHost;
}
