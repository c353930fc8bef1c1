import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { type KafkaVersion, kafkaInstall, smallJvmFlags } from './install.js';

/** Callbacks that let a caller record every process the sandbox starts (tests track them by PID). */
export interface ProcessHooks {
  onSpawn?: (pid: number, label: string) => void;
  onExit?: (pid: number) => void;
}

/** A running Kafka JVM whose output goes to a log file. */
export interface KafkaJvm {
  pid: number;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<number | string>;
  alive(): boolean;
}

/** Starts `java <flags> -cp <libs> <mainClass> <args>` with stdout and stderr appended to `logFile`. */
export function spawnKafkaJvm(
  version: KafkaVersion,
  mainClass: string,
  args: string[],
  opts: { heapMb: number; logFile: string; label: string } & ProcessHooks,
): KafkaJvm {
  const install = kafkaInstall(version);
  const fd = openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      install.java,
      [...smallJvmFlags(opts.heapMb), install.brokerLogFlag, '-cp', install.classpath, mainClass, ...args],
      {
        stdio: ['ignore', fd, fd],
      },
    );
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
  return { pid, exited, alive: () => running };
}

/** What a Kafka command-line tool printed, and how it ended. */
export interface ToolResult {
  /** Exit code; null when the tool was killed (timeout) or died by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of `runKafkaTool`. */
export interface ToolOptions extends ProcessHooks {
  /** Kill the tool after this long (default 120 s: a cold JVM on a loaded machine is slow). */
  timeoutMs?: number;
  heapMb?: number;
  cwd?: string;
  /** Written to the tool's stdin, then closed. */
  input?: string;
}

/**
 * Runs a Java main class from a fetched Kafka version, e.g. Apache's reassignment tool:
 * `runKafkaTool('4', 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand',
 * ['--bootstrap-server', bootstrap, '--list'])`. Logging goes to stderr; stdout is the tool's.
 */
export function runKafkaTool(
  version: KafkaVersion,
  mainClass: string,
  args: string[],
  opts: ToolOptions = {},
): Promise<ToolResult> {
  const install = kafkaInstall(version);
  const child = spawn(
    install.java,
    [
      ...smallJvmFlags(opts.heapMb ?? 256),
      install.toolsLogFlag,
      '-cp',
      install.classpath,
      mainClass,
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd },
  );
  const pid = child.pid;
  if (pid !== undefined) opts.onSpawn?.(pid, `kafka-${version} ${mainClass.split('.').pop()}`);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  child.stdin.on('error', () => {
    /* the tool may exit without reading its input */
  });
  child.stdin.end(opts.input ?? '');
  return new Promise<ToolResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      stderr += `\n[streamctl] ${mainClass} killed after ${opts.timeoutMs ?? 120_000} ms\n`;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      if (pid !== undefined) opts.onExit?.(pid);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (pid !== undefined) opts.onExit?.(pid);
      resolve({ code, stdout, stderr });
    });
  });
}
