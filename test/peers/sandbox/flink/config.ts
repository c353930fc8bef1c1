/**
 * Pure builders for a sandbox Flink session cluster: its config.yaml and the JVM command lines of
 * the JobManager and the TaskManager. Everything binds to 127.0.0.1 and memory is explicit and small,
 * because the machine is shared (JM + TM stay around 1 GB of address space, far less resident).
 */

/** Flink's Java 17 module flags (`env.java.opts.all` in Flink 1.20's conf/config.yaml). */
export const JAVA17_MODULE_FLAGS: readonly string[] = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
  '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED',
  '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.net=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.text=ALL-UNNAMED',
  '--add-opens=java.base/java.time=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED',
];

/** Entry points of the two processes. */
export const JOBMANAGER_MAIN = 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint';
export const TASKMANAGER_MAIN = 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner';

/** Inputs of the config file. */
export interface FlinkConfigInput {
  restPort: number;
  rpcPort: number;
  taskSlots: number;
  /** Heap of each JVM in MB (JM heap; TM framework + task heap). */
  heapMb: number;
  restartDelayMs: number;
  checkpointDir: string;
  savepointDir: string;
  workDir: string;
  /** Extra keys that override the defaults. */
  extra?: Record<string, string | number | boolean>;
}

/** Fixed TM memory pieces (MB) besides the heap; the TaskManagerRunner needs every one explicit. */
const TM = {
  frameworkHeap: 64,
  managed: 32,
  network: 32,
  frameworkOffHeap: 64,
  metaspace: 192,
  overhead: 96,
} as const;
const JM = { offHeap: 64, metaspace: 192, overhead: 64 } as const;

/** The cluster's config.yaml entries (flattened keys, which Flink 1.20's YAML parser accepts). */
export function flinkConfig(input: FlinkConfigInput): Record<string, string | number | boolean> {
  const taskHeap = Math.max(64, input.heapMb - TM.frameworkHeap);
  return {
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.rpc.port': input.rpcPort,
    'jobmanager.bind-host': '127.0.0.1',
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.port': input.restPort,
    'taskmanager.host': '127.0.0.1',
    'taskmanager.bind-host': '127.0.0.1',
    'taskmanager.rpc.port': 0,
    'taskmanager.data.port': 0,
    'blob.server.port': 0,
    'metrics.internal.query-service.port': 0,
    'taskmanager.numberOfTaskSlots': input.taskSlots,
    // TaskManagerRunner (unlike the start scripts) needs the CPU share explicit; one per slot.
    'taskmanager.cpu.cores': input.taskSlots,
    'parallelism.default': 1,
    'high-availability.type': 'NONE',
    // Real fail-and-restart loops: never give up, restart quickly.
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': 2147483647,
    'restart-strategy.fixed-delay.delay': `${input.restartDelayMs} ms`,
    'state.checkpoint-storage': 'filesystem',
    'execution.checkpointing.dir': `file://${input.checkpointDir}`,
    'execution.checkpointing.savepoint-dir': `file://${input.savepointDir}`,
    'web.upload.dir': `${input.workDir}/web-upload`,
    'web.tmpdir': `${input.workDir}/web-tmp`,
    'io.tmp.dirs': `${input.workDir}/io-tmp`,
    // REST metrics refresh every second (default 10 s) so tests see numRestarts move promptly.
    'metrics.fetcher.update-interval': 1000,
    // A kill -9'd TaskManager is noticed in seconds, not the default 50 s.
    'heartbeat.interval': 2000,
    'heartbeat.timeout': 15000,
    'jobmanager.memory.heap.size': `${input.heapMb}m`,
    'jobmanager.memory.off-heap.size': `${JM.offHeap}m`,
    'jobmanager.memory.jvm-metaspace.size': `${JM.metaspace}m`,
    'jobmanager.memory.jvm-overhead.min': `${JM.overhead}m`,
    'jobmanager.memory.jvm-overhead.max': `${JM.overhead}m`,
    'taskmanager.memory.framework.heap.size': `${TM.frameworkHeap}m`,
    'taskmanager.memory.task.heap.size': `${taskHeap}m`,
    'taskmanager.memory.managed.size': `${TM.managed}m`,
    'taskmanager.memory.network.min': `${TM.network}m`,
    'taskmanager.memory.network.max': `${TM.network}m`,
    'taskmanager.memory.framework.off-heap.size': `${TM.frameworkOffHeap}m`,
    'taskmanager.memory.task.off-heap.size': '0m',
    'taskmanager.memory.jvm-metaspace.size': `${TM.metaspace}m`,
    'taskmanager.memory.jvm-overhead.min': `${TM.overhead}m`,
    'taskmanager.memory.jvm-overhead.max': `${TM.overhead}m`,
    ...input.extra,
  };
}

/** Renders entries as YAML (one flattened key per line; values quoted when they need it). */
export function renderConfigYaml(entries: Record<string, string | number | boolean>): string {
  const lines = Object.entries(entries).map(
    ([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`,
  );
  return `# Written by streamctl's Flink sandbox (test/peers/sandbox/flink). Loopback only.\n${lines.join('\n')}\n`;
}

/** Common small-JVM flags: serial GC and C1 only keep CPU and memory low on a shared 2-core box. */
function commonFlags(logFile: string, log4jConfig: string): string[] {
  return [
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Djava.awt.headless=true',
    '-Dfile.encoding=UTF-8',
    `-Dlog.file=${logFile}`,
    `-Dlog4j.configurationFile=file:${log4jConfig}`,
    ...JAVA17_MODULE_FLAGS,
  ];
}

/** JVM flags of the JobManager, matching the jobmanager.memory.* entries. */
export function jobManagerJvmFlags(heapMb: number, logFile: string, log4jConfig: string): string[] {
  return [
    `-Xmx${heapMb}m`,
    `-Xms${Math.min(heapMb, 64)}m`,
    `-XX:MaxMetaspaceSize=${JM.metaspace}m`,
    `-XX:MaxDirectMemorySize=${JM.offHeap}m`,
    ...commonFlags(logFile, log4jConfig),
  ];
}

/** JVM flags of the TaskManager, as Flink's BashJavaUtils derives them from taskmanager.memory.*. */
export function taskManagerJvmFlags(heapMb: number, logFile: string, log4jConfig: string): string[] {
  const heap = TM.frameworkHeap + Math.max(64, heapMb - TM.frameworkHeap);
  return [
    `-Xmx${heap}m`,
    `-Xms${Math.min(heap, 64)}m`,
    `-XX:MaxMetaspaceSize=${TM.metaspace}m`,
    `-XX:MaxDirectMemorySize=${TM.frameworkOffHeap + TM.network}m`,
    ...commonFlags(logFile, log4jConfig),
  ];
}
