import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

/** Callbacks that let a caller record every process the sandbox starts (tests track them by PID). */
export interface ProcessHooks {
  onSpawn?: (pid: number, label: string) => void;
  onExit?: (pid: number) => void;
}

/** A running Flink JVM whose stdout/stderr go to `outFile` (its log4j log goes to its own file). */
export interface FlinkJvm {
  pid: number;
  label: string;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<number | string>;
  alive(): boolean;
}

/** Starts `java <flags> -cp <classpath> <mainClass> <args>`. */
export function spawnJvm(
  java: string,
  flags: string[],
  classpath: string,
  mainClass: string,
  args: string[],
  opts: { outFile: string; label: string } & ProcessHooks,
): FlinkJvm {
  const fd = openSync(opts.outFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(java, [...flags, '-cp', classpath, mainClass, ...args], { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${opts.label} (java ${mainClass})`);
  opts.onSpawn?.(pid, opts.label);
  let running = true;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      opts.onExit?.(pid);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { pid, label: opts.label, exited, alive: () => running };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the JVM has exited. */
export async function stopJvm(jvm: FlinkJvm, graceMs: number): Promise<void> {
  if (!jvm.alive()) return;
  signal(jvm.pid, 'SIGTERM');
  const timer = setTimeout(() => signal(jvm.pid, 'SIGKILL'), graceMs);
  await jvm.exited;
  clearTimeout(timer);
}

/** Sends a signal, ignoring a process that is already gone. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/** The last `lines` lines of a file, for error messages that explain a failed start. */
export function tailFile(file: string, lines = 30): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}
