import { closeSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaVersion } from './install.js';
import { type KafkaJvm, type ProcessHooks, runKafkaTool, spawnKafkaJvm } from './jvm.js';
import { type ClusterLayout, type NodeLayout, nodeProperties, renderProperties } from './properties.js';

/** The SCRAM user created at format time. */
export interface ScramUser {
  username: string;
  password: string;
}

/** A node's files: its directory, properties and log (stdout + stderr of the JVM). */
export interface NodeFiles {
  dir: string;
  configFile: string;
  logFile: string;
}

/** Where node `id` keeps its files under the cluster's base directory; also creates its log dirs. */
export function prepareNodeDir(baseDir: string, id: number): NodeFiles & { logDirs: string[] } {
  const dir = join(baseDir, `node-${id}`);
  // Two log dirs per broker (JBOD): disk-balance and log-dir tests need more than one per broker.
  const logDirs = [join(dir, 'data-a'), join(dir, 'data-b')];
  for (const d of logDirs) mkdirSync(d, { recursive: true });
  return { dir, configFile: join(dir, 'server.properties'), logFile: join(dir, 'kafka.log'), logDirs };
}

/**
 * Writes the node's server.properties and formats its storage with the cluster id (every node of a
 * cluster must share it). SCRAM credentials are bootstrapped into the metadata log at format time,
 * which only the controllers read, so broker-only nodes are formatted without them.
 */
export async function formatNode(
  version: KafkaVersion,
  node: NodeLayout,
  cluster: ClusterLayout,
  files: NodeFiles,
  clusterId: string,
  scram: ScramUser | undefined,
  hooks: ProcessHooks,
): Promise<void> {
  writeFileSync(files.configFile, renderProperties(nodeProperties(node, cluster)));
  const args = ['format', '-t', clusterId, '-c', files.configFile];
  if (scram && node.roles === 'broker,controller') {
    args.push('--add-scram', `SCRAM-SHA-512=[name=${scram.username},password=${scram.password}]`);
  }
  const r = await runKafkaTool(version, 'kafka.tools.StorageTool', args, { ...hooks, heapMb: 192 });
  writeFileSync(join(files.dir, 'format.log'), `${r.stdout}\n${r.stderr}`);
  if (r.code !== 0) {
    const out = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`formatting Kafka ${version} node ${node.id} failed (exit ${r.code}):\n${out}`);
  }
}

/** Starts `kafka.Kafka <server.properties>` for a formatted node. */
export function launchNode(
  version: KafkaVersion,
  node: NodeLayout,
  files: NodeFiles,
  heapMb: number,
  hooks: ProcessHooks,
): KafkaJvm {
  return spawnKafkaJvm(version, 'kafka.Kafka', [files.configFile], {
    heapMb,
    logFile: files.logFile,
    label: `kafka-${version} node ${node.id}`,
    ...hooks,
  });
}

/** The last `lines` lines of a log file (reads at most the last 64 KiB). */
export function tailFile(file: string, lines = 25): string {
  try {
    const size = statSync(file).size;
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, len, size - len);
    } finally {
      closeSync(fd);
    }
    return buf.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Sends a signal by PID, ignoring a process that is already gone. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * Stops a JVM by PID: SIGCONT (a paused one cannot handle SIGTERM), SIGTERM, then SIGKILL after
 * `graceMs`. Resolves once the process has exited.
 */
export async function stopJvm(jvm: KafkaJvm, graceMs: number): Promise<void> {
  if (!jvm.alive() || !isAlive(jvm.pid)) return;
  signal(jvm.pid, 'SIGCONT');
  signal(jvm.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    jvm.exited.then(() => false),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(true), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    signal(jvm.pid, 'SIGKILL');
    await jvm.exited;
  }
}
